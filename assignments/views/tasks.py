"""Pages for tasks handed down by the county: list, register, detail with its actions, print, files."""

from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.forms import Form
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import ListView, TemplateView

from assignments import selectors, services
from assignments.documents import task_document
from assignments.filters import CountyTaskFilter
from assignments.forms import (
    AttachmentForm,
    CountyTaskForm,
    FeedbackForm,
    ReassignForm,
    ReturnFeedbackForm,
    TaskNoteForm,
    opinion_link_form,
)
from assignments.models import CountyTask, TaskAttachment
from assignments.policies import county_task_actions
from bureau import clock
from bureau.documents import docx_response
from bureau.files import protected_file_response
from bureau.pagination import LastPagePaginator, query_string_without_page
from bureau.views_base import ActionView, ServiceFormView


class TaskListView(PermissionRequiredMixin, ListView):
    permission_required = "assignments.view_tasks"
    template_name = "assignments/task_list.html"
    context_object_name = "tasks"
    paginate_by = 30
    paginator_class = LastPagePaginator

    def get_queryset(self):
        self.filter_form = CountyTaskFilter(self.request.GET or None).form
        for field in self.filter_form.fields.values():
            is_select = getattr(field.widget, "input_type", "") == "select"
            field.widget.attrs["class"] = "form-select" if is_select else "form-control"
        return selectors.county_task_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        context["now"] = clock.now()  # for the overdue badge
        context["query_string"] = query_string_without_page(self.request)
        return context


class TaskCreateView(PermissionRequiredMixin, ServiceFormView):
    permission_required = "assignments.manage_tasks"
    template_name = "assignments/task_form.html"
    form_class = CountyTaskForm
    service = services.county_task_register
    success_message = gettext_lazy("Task registered; the handler has been told.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class TaskAccessMixin:
    """Loads ``self.task`` through the user-scoped selector: a task the user may not see is a 404."""

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        try:
            self.task = selectors.county_task_for_user(user=request.user, pk=kwargs["pk"])
        except CountyTask.DoesNotExist as error:
            raise Http404 from error
        return super().dispatch(request, *args, **kwargs)


class TaskDetailView(PermissionRequiredMixin, TaskAccessMixin, TemplateView):
    permission_required = "assignments.view_tasks"
    template_name = "assignments/task_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task, user = self.task, self.request.user
        actions = county_task_actions(user, task)
        context.update(
            task=task,
            now=clock.now(),
            actions=actions,
            notes=task.notes.all(),
            attachments=task.attachments.all(),
            note_form=TaskNoteForm() if actions["note"] else None,
            attachment_form=AttachmentForm() if actions["attach"] else None,
            feedback_form=FeedbackForm(initial={"feedback": task.feedback}) if actions["feedback"] else None,
            return_form=ReturnFeedbackForm() if actions["send_back"] else None,
            link_form=opinion_link_form(user=user) if actions["link"] else None,
            links_url=reverse("assignments:task-links", args=[task.pk]),
            reassign_form=ReassignForm(initial={"handler": task.handler_id}) if actions["reassign"] else None,
        )
        return context


class TaskAction(ActionView, TaskDetailView):
    """An action posted from the task's page: one service call on the task, then back to its page.
    A refusal shows the task's page again, with the bound form and why."""

    def service_kwargs(self, form: Form) -> dict[str, Any]:
        return {"task": self.task, **super().service_kwargs(form)}

    def get_success_url(self) -> str:
        return self.task.get_absolute_url()


class TaskNoteView(TaskAction):
    form_class, form_context_name, service = TaskNoteForm, "note_form", services.county_task_add_note
    success_message = gettext_lazy("Progress recorded.")


class TaskAttachView(TaskAction):
    form_class, form_context_name, service = AttachmentForm, "attachment_form", services.county_task_add_attachment
    success_message = gettext_lazy("File uploaded.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def service_kwargs(self, form: Form) -> dict[str, Any]:
        kwargs = super().service_kwargs(form)
        kwargs["uploaded_file"] = kwargs.pop("file")
        return kwargs


class TaskFeedbackView(TaskAction):
    form_class, form_context_name, service = FeedbackForm, "feedback_form", services.county_task_submit_feedback
    success_message = gettext_lazy("Feedback submitted for approval.")


class TaskApproveView(TaskAction):
    permission_required = "assignments.approve_feedback"
    service = services.county_task_approve_feedback
    success_message = gettext_lazy("Feedback approved.")


class TaskReturnView(TaskAction):
    permission_required = "assignments.approve_feedback"
    form_class, form_context_name, service = ReturnFeedbackForm, "return_form", services.county_task_return_feedback
    success_message = gettext_lazy("Feedback sent back to the handler.")


class TaskCloseView(TaskAction):
    permission_required = "assignments.manage_tasks"
    service = services.county_task_close
    success_message = gettext_lazy("Task closed.")


class TaskReassignView(TaskAction):
    permission_required = "assignments.manage_tasks"
    form_class, form_context_name, service = ReassignForm, "reassign_form", services.county_task_reassign
    success_message = gettext_lazy("Task reassigned.")


class TaskPrintView(PermissionRequiredMixin, TaskAccessMixin, TemplateView):
    """The printable task sheet, with the feedback."""

    permission_required = "assignments.view_tasks"
    template_name = "assignments/task_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            task=self.task, now=clock.now(), notes=self.task.notes.all(), attachments=self.task.attachments.all()
        )
        return context


class TaskWordView(TaskPrintView):
    """The task sheet as a Word document (same content, official format)."""

    def get(self, request, *args, **kwargs):
        document = task_document(
            task=self.task, notes=self.task.notes.all(), attachments=self.task.attachments.all(), now=clock.now()
        )
        return docx_response(filename=f"{self.task.reference}.docx", sheet=document)


class AttachmentDownloadView(PermissionRequiredMixin, View):
    """A task's file, only for someone who may see the task (anyone else gets a 404)."""

    permission_required = "assignments.view_tasks"

    def get(self, request, pk):
        try:
            attachment = selectors.task_attachment_for_user(user=request.user, pk=pk)
        except TaskAttachment.DoesNotExist as error:
            raise Http404 from error
        return protected_file_response(attachment.file, download_name=attachment.original_name)

"""Pages for tasks handed down by the county: list, register, detail with its actions, print, files."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from assignments import selectors, services
from assignments.filters import CountyTaskFilter
from assignments.forms import (
    AttachmentForm,
    CountyTaskForm,
    FeedbackForm,
    ReassignForm,
    ReturnFeedbackForm,
    TaskNoteForm,
)
from assignments.models import CountyTask, TaskAttachment
from assignments.views.links import opinion_link_form
from bureau.files import protected_file_response
from bureau.pagination import LastPagePaginator


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
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context


class TaskCreateView(PermissionRequiredMixin, FormView):
    permission_required = "assignments.manage_tasks"
    template_name = "assignments/task_form.html"
    form_class = CountyTaskForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form):
        data = dict(form.cleaned_data)
        attachment = data.pop("attachment", None)
        try:
            with transaction.atomic():
                task = services.county_task_register(actor=self.request.user, request=self.request, **data)
                if attachment:
                    services.county_task_add_attachment(
                        task=task, uploaded_file=attachment, actor=self.request.user, request=self.request
                    )
        except ValidationError as error:
            form.add_error("attachment" if attachment and getattr(error, "code", "") else None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Task registered; the handler has been told."))
        return redirect(task)


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
        may_handle = task.handler.user_id == user.pk or user.has_perm("assignments.manage_tasks")
        may_write = may_handle and task.is_with_handler
        context.update(
            task=task,
            notes=task.notes.all(),
            attachments=task.attachments.all(),
            note_form=TaskNoteForm() if may_write else None,
            attachment_form=AttachmentForm() if may_handle and task.state != CountyTask.State.CLOSED else None,
            feedback_form=FeedbackForm(initial={"feedback": task.feedback}) if may_write else None,
            may_approve=user.has_perm("assignments.approve_feedback")
            and task.state == CountyTask.State.FEEDBACK_SUBMITTED,
            return_form=ReturnFeedbackForm() if user.has_perm("assignments.approve_feedback") else None,
            may_close=user.has_perm("assignments.manage_tasks") and task.state == CountyTask.State.FEEDBACK_APPROVED,
            link_form=opinion_link_form(user=user) if may_handle else None,
            links_url=reverse("assignments:task-links", args=[task.pk]),
            reassign_form=ReassignForm(initial={"handler": task.handler_id})
            if user.has_perm("assignments.manage_tasks") and task.is_open
            else None,
        )
        return context


class TaskActionView(PermissionRequiredMixin, TaskAccessMixin, View):
    """One POST, one service call; errors come back as a message on the task's page."""

    permission_required = "assignments.view_tasks"
    form_class = None
    success_message = ""

    def perform(self, form):
        raise NotImplementedError

    def build_form(self, request):
        return self.form_class(request.POST) if self.form_class else None

    def post(self, request, pk):
        form = self.build_form(request)
        if form is not None and not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(self.task)
        try:
            self.perform(form)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, self.success_message)
        return redirect(self.task)


class TaskNoteView(TaskActionView):
    form_class = TaskNoteForm

    def perform(self, form):
        services.county_task_add_note(
            task=self.task, body=form.cleaned_data["body"], actor=self.request.user, request=self.request
        )
        self.success_message = _("Progress recorded.")


class TaskAttachView(TaskActionView):
    form_class = AttachmentForm

    def build_form(self, request):
        return AttachmentForm(request.POST, request.FILES, request=request)

    def perform(self, form):
        services.county_task_add_attachment(
            task=self.task, uploaded_file=form.cleaned_data["file"], actor=self.request.user, request=self.request
        )
        self.success_message = _("File uploaded.")


class TaskFeedbackView(TaskActionView):
    form_class = FeedbackForm

    def perform(self, form):
        services.county_task_submit_feedback(
            task=self.task, feedback=form.cleaned_data["feedback"], actor=self.request.user, request=self.request
        )
        self.success_message = _("Feedback submitted for approval.")


class TaskApproveView(TaskActionView):
    permission_required = "assignments.approve_feedback"

    def perform(self, form):
        services.county_task_approve_feedback(task=self.task, actor=self.request.user, request=self.request)
        self.success_message = _("Feedback approved.")


class TaskReturnView(TaskActionView):
    permission_required = "assignments.approve_feedback"
    form_class = ReturnFeedbackForm

    def perform(self, form):
        services.county_task_return_feedback(
            task=self.task, reason=form.cleaned_data["reason"], actor=self.request.user, request=self.request
        )
        self.success_message = _("Feedback sent back to the handler.")


class TaskCloseView(TaskActionView):
    permission_required = "assignments.manage_tasks"

    def perform(self, form):
        services.county_task_close(task=self.task, actor=self.request.user, request=self.request)
        self.success_message = _("Task closed.")


class TaskReassignView(TaskActionView):
    permission_required = "assignments.manage_tasks"
    form_class = ReassignForm

    def perform(self, form):
        services.county_task_reassign(
            task=self.task, handler=form.cleaned_data["handler"], actor=self.request.user, request=self.request
        )
        self.success_message = _("Task reassigned.")


class TaskPrintView(PermissionRequiredMixin, TaskAccessMixin, TemplateView):
    """The printable task sheet, with the feedback."""

    permission_required = "assignments.view_tasks"
    template_name = "assignments/task_print.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(task=self.task, notes=self.task.notes.all(), attachments=self.task.attachments.all())
        return context


class AttachmentDownloadView(PermissionRequiredMixin, View):
    """A task's file, only for someone who may see the task (anyone else gets a 404)."""

    permission_required = "assignments.view_tasks"

    def get(self, request, pk):
        try:
            attachment = selectors.task_attachment_for_user(user=request.user, pk=pk)
        except TaskAttachment.DoesNotExist as error:
            raise Http404 from error
        return protected_file_response(attachment.file, download_name=attachment.original_name)

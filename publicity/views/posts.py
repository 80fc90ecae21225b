"""Pages of publicity posts: lists, the approval queue, the form, the detail page with its
actions, the export and the quota progress page."""

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import ListView, TemplateView

from archive.selectors import archive_history_for
from bureau import clock
from bureau.bounds import requested_year
from bureau.documents import docx_response
from bureau.exports import xlsx_response
from bureau.pagination import LastPagePaginator, query_string_without_page, quick_page, total_if_asked
from bureau.selectors import person_for
from bureau.views_base import ActionView, ServiceFormView
from proofing.forms import ProofAcknowledgeForm, acknowledged_message
from publicity import exports, selectors, services
from publicity.documents import approval_document
from publicity.forms import (
    CorrectPublicationForm,
    PublicityPostForm,
    PublishForm,
    ReviewForm,
)
from publicity.models import PublicityPost
from publicity.policies import post_actions, post_may
from publicity.views._common import PostAccessMixin

STALE_SUBMISSION = timedelta(days=3)


# --- Posts ---------------------------------------------------------------------------------------


class PostListView(PermissionRequiredMixin, TemplateView):
    """Every post, newest first, paged without a total (``quick_page``: the list grows every year);
    ``count=1`` (the dashboard's links) asks for how many match."""

    permission_required = "publicity.view_publicitypost"
    template_name = "publicity/post_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post_filter = selectors.post_filterset(user=self.request.user, filters=self.request.GET)
        page = quick_page(post_filter.qs, self.request.GET.get("page"), per_page=30)
        context.update(
            filter=post_filter,
            page=page,
            posts=page.object_list,
            query_string=query_string_without_page(self.request),
            today=clock.today(),
            progress_list=selectors.quota_progress_shown(year=clock.today().year),
            total=total_if_asked(self.request, post_filter.qs),
        )
        return context


class PostExportView(PermissionRequiredMixin, TemplateView):
    permission_required = "publicity.export_publicitypost"

    def get(self, request, *args, **kwargs):
        posts = selectors.post_list(user=request.user, filters=request.GET)
        year = clock.today().year
        sheets = [exports.post_sheet(posts), exports.progress_sheet(selectors.quota_progress_list(year=year))]
        return xlsx_response(filename=f"publicity-{clock.today():%Y%m%d}.xlsx", sheets=sheets)


class MyPostListView(PermissionRequiredMixin, ListView):
    permission_required = "publicity.add_publicitypost"
    template_name = "publicity/post_mine.html"
    context_object_name = "posts"
    paginate_by = 30
    paginator_class = LastPagePaginator

    def get_queryset(self):
        return selectors.post_list_mine(user=self.request.user)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "today": clock.today()}


class ApprovalQueueView(PermissionRequiredMixin, ListView):
    permission_required = "publicity.approve_publicitypost"
    template_name = "publicity/approval_queue.html"
    context_object_name = "posts"
    paginate_by = 30
    paginator_class = LastPagePaginator

    def get_queryset(self):
        return selectors.approval_queue(user=self.request.user)

    def get_context_data(self, **kwargs):
        # A submission waiting longer than this is flagged: approval should not hold publicity up.
        now = clock.now()
        return {**super().get_context_data(**kwargs), "now": now, "stale_before": now - STALE_SUBMISSION}


class PostCreateView(PermissionRequiredMixin, ServiceFormView):
    permission_required = "publicity.add_publicitypost"
    form_class = PublicityPostForm
    template_name = "publicity/post_form.html"
    service = services.post_create
    success_message = gettext_lazy("Draft saved. Submit it for approval when it is ready.")

    def get_initial(self):
        person = person_for(self.request.user)
        return {"department": person.department if person else None, "planned_on": clock.today()}


class PostUpdateView(PermissionRequiredMixin, PostAccessMixin, ServiceFormView):
    permission_required = "publicity.change_publicitypost"
    form_class = PublicityPostForm
    template_name = "publicity/post_form.html"
    service = services.post_update
    success_message = gettext_lazy("Changes saved.")

    def get(self, request, *args, **kwargs):
        if not post_may(request.user, self.post_obj, "edit"):
            raise PermissionDenied  # the form is only for whom the service would let save it
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.post_obj}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "post": self.post_obj}

    def service_kwargs(self, form: forms.Form) -> dict[str, Any]:
        return {"post": self.post_obj, **super().service_kwargs(form)}


class PostDetailView(PermissionRequiredMixin, PostAccessMixin, TemplateView):
    permission_required = "publicity.view_publicitypost"
    template_name = "publicity/post_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post, user = self.post_obj, self.request.user
        context.update(
            post=post,
            actions=post_actions(user, post),
            review_form=ReviewForm(),
            publish_form=PublishForm(),
            correct_form=CorrectPublicationForm(initial={"published_on": post.published_on, "link": post.link}),
            coverage=post.coverage.select_related("outlet"),
            history=archive_history_for(target=post)[:50],
            proof=selectors.post_proof(post),
            proof_form=ProofAcknowledgeForm(),
            proof_action=reverse("publicity:post-proof-acknowledge", args=[post.pk]),
        )
        return context


class PostPrintView(PermissionRequiredMixin, PostAccessMixin, TemplateView):
    """The approval form (信息发布审批表) of one post on one A4 page: who submitted it, who approved
    or returned it, the leader's opinion and the dates; visible to whoever may see the post."""

    permission_required = "publicity.view_publicitypost"
    template_name = "publicity/post_print.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "post": self.post_obj, "now": clock.now()}


class PostWordView(PostPrintView):
    """The approval form as a Word document (same content, official format)."""

    def get(self, request, *args, **kwargs):
        document = approval_document(post=self.post_obj, now=clock.now())
        return docx_response(filename=f"publicity-{self.post_obj.pk}.docx", sheet=document)


class PostAction(ActionView, PostDetailView):
    """An action posted from the post's page: one service call on the post, then back to its page.
    A refusal shows the post's page again, with the bound form and why."""

    def service_kwargs(self, form: forms.Form) -> dict[str, Any]:
        return {"post": self.post_obj, **super().service_kwargs(form)}

    def get_success_url(self) -> str:
        return self.post_obj.get_absolute_url()


class PostSubmitView(PostAction):
    permission_required = "publicity.add_publicitypost"
    service = services.post_submit
    success_message = gettext_lazy("Submitted to the leaders for approval.")

    def add_success_message(self, form: forms.Form) -> None:
        super().add_success_message(form)
        # Submission is warned, not blocked (publicity.services.posts): say what approval waits for.
        open_hits = len(selectors.post_proof(self.result).unresolved)
        if open_hits:
            warning = ngettext(
                "Proofreading found %(count)d hit not yet fixed or acknowledged: a leader cannot approve "
                "the post until it is.",
                "Proofreading found %(count)d hits not yet fixed or acknowledged: a leader cannot approve "
                "the post until each is.",
                open_hits,
            )
            messages.warning(self.request, warning % {"count": open_hits})


class PostProofAcknowledgeView(PostAction):
    """The proofreading panel's form: hits kept as written, each with its reason."""

    permission_required = "publicity.view_publicitypost"
    form_class, form_context_name, service = ProofAcknowledgeForm, "proof_form", services.post_proof_acknowledge

    def get_success_message(self, form: forms.Form) -> str:
        return acknowledged_message(len(form.cleaned_data["reasons"]))


class PostWithdrawView(PostAction):
    permission_required = "publicity.add_publicitypost"
    service = services.post_withdraw
    success_message = gettext_lazy("Withdrawn: the post is a draft again.")


class PostReviewView(PostAction):
    """One form, two services: the leader's decision picks ``post_approve`` or ``post_return``."""

    permission_required = "publicity.approve_publicitypost"
    form_class, form_context_name = ReviewForm, "review_form"

    def perform(self, form: forms.Form) -> PublicityPost:
        service = services.post_approve if form.cleaned_data["decision"] == "approve" else services.post_return
        return service(
            post=self.post_obj, actor=self.request.user, comment=form.cleaned_data["comment"], request=self.request
        )

    def get_success_message(self, form: forms.Form) -> str:
        return _("Approved.") if form.cleaned_data["decision"] == "approve" else _("Returned to the author.")

    def get_success_url(self) -> str:
        if self.request.POST.get("next") == "queue":
            return reverse("publicity:approval-queue")
        return super().get_success_url()


class PostPublishView(PostAction):
    permission_required = "publicity.view_publicitypost"
    form_class, form_context_name, service = PublishForm, "publish_form", services.post_publish
    success_message = gettext_lazy("Publication recorded.")


class PostCorrectView(PostAction):
    permission_required = "publicity.view_publicitypost"
    form_class, form_context_name, service = CorrectPublicationForm, "correct_form", services.post_correct_publication
    success_message = gettext_lazy("Publication details corrected; the archive keeps the old values.")


# --- Progress ------------------------------------------------------------------------------------


class ProgressView(PermissionRequiredMixin, TemplateView):
    permission_required = "publicity.view_publicitypost"
    template_name = "publicity/progress.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = requested_year(self.request.GET.get("year"))
        context.update(
            year=year,
            years=sorted({*selectors.quota_years(), clock.today().year}, reverse=True),
            progress_list=selectors.quota_progress_shown(year=year),
        )
        return context

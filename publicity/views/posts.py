"""Pages of publicity posts: lists, the approval queue, the form, the detail page with its
actions, the export and the quota progress page."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from archive.selectors import archive_history_for
from bureau import clock
from bureau.exports import xlsx_response
from bureau.pagination import LastPagePaginator
from bureau.selectors import person_for
from publicity import exports, selectors, services
from publicity.forms import (
    CorrectPublicationForm,
    PublicityPostForm,
    PublishForm,
    ReviewForm,
)
from publicity.models import PublicityPost
from publicity.views._common import FilteredListView, PostAccessMixin, requested_year

STALE_SUBMISSION = timedelta(days=3)


# --- Posts ---------------------------------------------------------------------------------------


class PostListView(FilteredListView):
    permission_required = "publicity.view_publicitypost"
    template_name = "publicity/post_list.html"
    context_object_name = "posts"

    def filterset(self):
        return selectors.post_filterset(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["progress_list"] = selectors.quota_progress_list(year=clock.today().year)
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
        return {**super().get_context_data(**kwargs), "stale_before": clock.now() - STALE_SUBMISSION}


class PostCreateView(PermissionRequiredMixin, FormView):
    permission_required = "publicity.add_publicitypost"
    form_class = PublicityPostForm
    template_name = "publicity/post_form.html"

    def get_initial(self):
        person = person_for(self.request.user)
        return {"department": person.department if person else None, "planned_on": clock.today()}

    def form_valid(self, form):
        try:
            post = services.post_create(actor=self.request.user, request=self.request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Draft saved. Submit it for approval when it is ready."))
        return redirect(post)


class PostUpdateView(PermissionRequiredMixin, PostAccessMixin, FormView):
    permission_required = "publicity.change_publicitypost"
    form_class = PublicityPostForm
    template_name = "publicity/post_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.post_obj}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "post": self.post_obj}

    def form_valid(self, form):
        try:
            post = services.post_update(
                post=self.post_obj, actor=self.request.user, request=self.request, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Changes saved."))
        return redirect(post)


class PostDetailView(PermissionRequiredMixin, PostAccessMixin, TemplateView):
    permission_required = "publicity.view_publicitypost"
    template_name = "publicity/post_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post, user = self.post_obj, self.request.user
        is_author = post.author.user_id == user.pk
        context.update(
            post=post,
            is_author=is_author,
            can_review=(
                post.state == PublicityPost.State.SUBMITTED
                and not is_author
                and user.has_perm("publicity.approve_publicitypost")
            ),
            can_publish=(is_author or user.has_perm("publicity.publish_publicitypost")),
            review_form=ReviewForm(),
            publish_form=PublishForm(),
            correct_form=CorrectPublicationForm(initial={"published_on": post.published_on, "link": post.link}),
            coverage=post.coverage.select_related("outlet"),
            history=archive_history_for(target=post)[:50],
        )
        return context


class PostActionView(PermissionRequiredMixin, PostAccessMixin, FormView):
    """A POST that runs one service on the post and goes back to its page."""

    http_method_names = ["post"]
    form_class = None
    success_message = ""

    def get_form_class(self):
        return self.form_class or forms.Form

    def act(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.act(form)
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
        else:
            messages.success(self.request, self.get_success_message(form))
        return redirect(self.post_obj)

    def get_success_message(self, form):
        return self.success_message

    def form_invalid(self, form):
        for field_errors in form.errors.values():
            for message in field_errors:
                messages.error(self.request, message)
        return redirect(self.post_obj)


class PostSubmitView(PostActionView):
    permission_required = "publicity.add_publicitypost"

    def act(self, form):
        services.post_submit(post=self.post_obj, actor=self.request.user, request=self.request)

    def get_success_message(self, form):
        return _("Submitted to the leaders for approval.")


class PostWithdrawView(PostActionView):
    permission_required = "publicity.add_publicitypost"

    def act(self, form):
        services.post_withdraw(post=self.post_obj, actor=self.request.user, request=self.request)

    def get_success_message(self, form):
        return _("Withdrawn: the post is a draft again.")


class PostReviewView(PostActionView):
    permission_required = "publicity.approve_publicitypost"
    form_class = ReviewForm

    def act(self, form):
        comment = form.cleaned_data["comment"]
        if form.cleaned_data["decision"] == "approve":
            services.post_approve(post=self.post_obj, actor=self.request.user, comment=comment, request=self.request)
        else:
            services.post_return(post=self.post_obj, actor=self.request.user, comment=comment, request=self.request)

    def get_success_message(self, form):
        return _("Approved.") if form.cleaned_data["decision"] == "approve" else _("Returned to the author.")

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.POST.get("next") == "queue":
            return redirect("publicity:approval-queue")
        return response


class PostPublishView(PostActionView):
    permission_required = "publicity.view_publicitypost"
    form_class = PublishForm
    success_message = ""

    def act(self, form):
        services.post_publish(post=self.post_obj, actor=self.request.user, request=self.request, **form.cleaned_data)

    def get_success_message(self, form):
        return _("Publication recorded.")


class PostCorrectView(PostActionView):
    permission_required = "publicity.view_publicitypost"
    form_class = CorrectPublicationForm

    def act(self, form):
        services.post_correct_publication(
            post=self.post_obj, actor=self.request.user, request=self.request, **form.cleaned_data
        )

    def get_success_message(self, form):
        return _("Publication details corrected; the archive keeps the old values.")


# --- Progress ------------------------------------------------------------------------------------


class ProgressView(PermissionRequiredMixin, TemplateView):
    permission_required = "publicity.view_publicitypost"
    template_name = "publicity/progress.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = requested_year(self.request)
        context.update(
            year=year,
            years=sorted({*selectors.quota_years(), clock.today().year}, reverse=True),
            progress_list=selectors.quota_progress_list(year=year),
        )
        return context

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from opinions.forms import ClearForm, TakedownForm, UndoTakedownForm
from opinions.selectors.paging import quick_page
from opinions.selectors.posts import hit_contexts, takedown_queue
from opinions.services.takedowns import takedown_clear, takedown_confirm, takedown_undo
from opinions.views.mixins import PostAccessMixin, safe_next


class TakedownQueueView(PermissionRequiredMixin, TemplateView):
    permission_required = "opinions.take_down_post"
    template_name = "opinions/takedown_queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = quick_page(takedown_queue(user=self.request.user), self.request.GET.get("page"), per_page=20)
        context["page"] = page
        context["entries"] = [
            {
                "post": post,
                "title_contexts": hit_contexts(post.title, post.hits, "title"),
                "body_contexts": hit_contexts(post.body, post.hits, "body"),
            }
            for post in page
        ]
        # One list of categories for every row's form: a form per row would query it per row.
        context["categories"] = list(TakedownForm.base_fields["category"].queryset)
        return context


class _DecisionView(PermissionRequiredMixin, PostAccessMixin, View):
    form_class = None
    success_message = ""

    def call_service(self, form):
        raise NotImplementedError

    def post(self, request, pk):
        prefix = request.POST.get("prefix") or None
        form = self.form_class(request.POST, prefix=prefix)
        target = safe_next(request, self.post_object.get_absolute_url())
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(target)
        try:
            self.call_service(form)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, self.success_message)
        return redirect(target)


class TakedownConfirmView(_DecisionView):
    permission_required = "opinions.take_down_post"
    form_class = TakedownForm

    def call_service(self, form):
        self.success_message = _("The post was taken down. Its text is kept and the takedown is recorded.")
        takedown_confirm(post=self.post_object, actor=self.request.user, request=self.request, **form.cleaned_data)


class TakedownClearView(_DecisionView):
    permission_required = "opinions.take_down_post"
    form_class = ClearForm

    def call_service(self, form):
        self.success_message = _("The post was cleared as a false alarm.")
        takedown_clear(post=self.post_object, actor=self.request.user, request=self.request, **form.cleaned_data)


class TakedownUndoView(_DecisionView):
    permission_required = "opinions.undo_takedown"
    form_class = UndoTakedownForm

    def call_service(self, form):
        self.success_message = _("The takedown was undone.")
        takedown_undo(post=self.post_object, actor=self.request.user, request=self.request, **form.cleaned_data)

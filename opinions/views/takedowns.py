from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from bureau.pagination import quick_page
from opinions.forms import ClearForm, TakedownForm, UndoTakedownForm
from opinions.selectors.posts import hit_contexts, takedown_queue
from opinions.services.takedowns import takedown_clear, takedown_confirm, takedown_undo
from opinions.views.posts import PostAction


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


class TakedownConfirmView(PostAction):
    permission_required = "opinions.take_down_post"
    form_class, form_context_name, service = TakedownForm, "takedown_form", takedown_confirm
    success_message = gettext_lazy("The post was taken down. Its text is kept and the takedown is recorded.")


class TakedownClearView(PostAction):
    permission_required = "opinions.take_down_post"
    form_class, form_context_name, service = ClearForm, "clear_form", takedown_clear
    success_message = gettext_lazy("The post was cleared as a false alarm.")


class TakedownUndoView(PostAction):
    permission_required = "opinions.undo_takedown"
    form_class, form_context_name, service = UndoTakedownForm, "undo_form", takedown_undo
    success_message = gettext_lazy("The takedown was undone.")

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import TemplateView

from bureau.pagination import query_string_without_page, quick_page, total_if_asked
from opinions.selectors.posts import failing_channels, post_list

PER_PAGE = 50


class MonitorView(PermissionRequiredMixin, TemplateView):
    """The office's main screen: newest posts first, filtered, refreshing itself (static/js/opinions.js
    fetches ``?partial=1`` with the same filters every 30 seconds and swaps the table in)."""

    permission_required = "opinions.view_monitor"
    template_name = "opinions/monitor.html"

    def get_template_names(self):
        if self.request.GET.get("partial") == "1":
            return ["opinions/_monitor_table.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post_filter, posts = post_list(user=self.request.user, filters=self.request.GET)
        context.update(
            filter=post_filter,
            page=quick_page(posts, self.request.GET.get("page"), per_page=PER_PAGE),
            querystring=query_string_without_page(self.request, "partial"),
            failing_channels=failing_channels(),
            total=total_if_asked(self.request, post_filter.qs),
        )
        return context

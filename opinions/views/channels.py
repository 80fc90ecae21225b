from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import TemplateView

from opinions.selectors.channels import channel_list


class ChannelListView(PermissionRequiredMixin, TemplateView):
    """The channels and their health: last poll, last success, last error, failing or not."""

    permission_required = "opinions.view_channel_health"
    template_name = "opinions/channel_list.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "channels": channel_list(user=self.request.user)}

"""The alerts pages: the list (预警) and the phone page where the person told acknowledges with one tap."""

from typing import Any

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from alerts import selectors
from alerts.models import Alert
from alerts.policies import alert_actions, may_acknowledge
from alerts.services.raising import alert_acknowledge
from bureau.pagination import LastPagePaginator
from bureau.views_base import ActionView


class AlertListView(PermissionRequiredMixin, ListView):
    permission_required = "alerts.view_alerts"
    template_name = "alerts/alert_list.html"
    context_object_name = "alerts"
    paginate_by = 30
    paginator_class = LastPagePaginator

    def get_queryset(self):
        return selectors.alert_list(user=self.request.user, state=self.request.GET.get("state", ""))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "state": self.request.GET.get("state", "")}


class AlertAccessMixin:
    """Loads ``self.alert``: not the user's to see → 404 for an unknown one, 403 otherwise."""

    def dispatch(self, request, *args, **kwargs):
        if not self.has_permission():
            return self.handle_no_permission()
        try:
            self.alert = selectors.alert_for_user(user=request.user, pk=kwargs["pk"])
        except Alert.DoesNotExist as error:
            if Alert.objects.filter(pk=kwargs["pk"]).exists():
                raise PermissionDenied from error
            raise Http404 from error
        return super().dispatch(request, *args, **kwargs)


class AlertDetailView(PermissionRequiredMixin, AlertAccessMixin, TemplateView):
    permission_required = "alerts.view_alerts"
    template_name = "alerts/alert_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["alert"] = self.alert
        context["actions"] = alert_actions(self.request.user, self.alert)
        context["may_acknowledge"] = may_acknowledge(self.request.user, self.alert)
        return context


class AlertAcknowledgeView(ActionView, AlertDetailView):
    permission_required = "alerts.view_alerts"
    service = alert_acknowledge
    success_message = _("Alert acknowledged.")

    def service_kwargs(self, form):
        return {"alert": self.alert, "actor": self.request.user}

    def get_success_url(self) -> str:
        return self.alert.get_absolute_url()

"""Organisation pages, the personal home page, notifications and the health check."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import ListView, TemplateView

from bureau import notifications, selectors
from bureau.celery import app as celery_app
from bureau.pagination import LastPagePaginator

logger = logging.getLogger(__name__)


class OrganisationView(PermissionRequiredMixin, TemplateView):
    permission_required = "bureau.view_organisation"
    template_name = "bureau/organisation.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            responsibility_chain=selectors.responsibility_chain(),
            sections=selectors.section_list(),
            spokespeople=selectors.spokesperson_list(),
            phone_list=selectors.phone_list(),
        )
        return context


class ResourcesView(PermissionRequiredMixin, TemplateView):
    """Equipment and training: the resources the year-end summary reports."""

    permission_required = "bureau.view_organisation"
    template_name = "bureau/resources.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(equipment=selectors.equipment_list(), trainings=selectors.training_list()[:50])
        return context


class NotificationListView(ListView):
    template_name = "bureau/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 30
    paginator_class = LastPagePaginator

    def get_queryset(self):
        return selectors.notification_list(user=self.request.user)

    def post(self, request, *args, **kwargs):
        notifications.notifications_mark_all_read(user=request.user)
        messages.success(request, _("All notifications are marked as read."))
        return redirect("notification-list")


class NotificationOpenView(View):
    """Marks a notice read and follows its link, which must stay on this site."""

    def post(self, request, pk):
        notification = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
        notifications.notification_mark_read(notification=notification)
        target = notification.link
        if not target or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect("notification-list")
        return redirect(target)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception:  # noqa: BLE001 - any failure means "down"
        logger.warning("healthz.database_down", exc_info=True)
        return False


def _broker_ok() -> bool:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT)
        return True
    except Exception:  # noqa: BLE001 - any failure means "down"
        logger.warning("healthz.broker_down", exc_info=True)
        return False


@never_cache
def healthz(request):
    """For load balancers and monitoring: no login, JSON, 503 when a dependency is down."""
    status = {"database": "ok" if _database_ok() else "down", "broker": "ok" if _broker_ok() else "down"}
    healthy = all(value == "ok" for value in status.values())
    return JsonResponse({"status": "ok" if healthy else "down", **status}, status=200 if healthy else 503)

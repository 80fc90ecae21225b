from django.conf import settings
from django.utils.translation import gettext as _

from bureau.selectors import notification_unread_counts, person_for


def office(request):
    """What the layout shows on every page: the office's name, who is logged in, unread notices
    and, among them, unread alerts (one query for both)."""
    user = getattr(request, "user", None)
    context = {
        "office_name": settings.OFFICE_NAME or _("County Bureau Online Opinion Office"),
        "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    if user is not None and user.is_authenticated:
        context["current_person"] = person_for(user)
        unread, alerts = notification_unread_counts(user=user)
        context["unread_notification_count"] = unread
        context["unacknowledged_alert_count"] = alerts
    return context

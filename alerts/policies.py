"""Who may see and acknowledge an alert, written once: the people it was sent to, the office
heads, the leaders (director and leaders in charge). Anyone else gets a 403. The view asks
``alert_actions`` which button to show; the service refuses through ``alert_acknowledge_require``."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from alerts.models import Alert, AlertRecipient
from bureau.models import Role
from bureau.selectors import person_for
from bureau.types import AnyUser

OVERSEERS = (Role.OFFICE_HEAD, Role.DIRECTOR, Role.LEADER)


def oversees_alerts(user: AnyUser) -> bool:
    """Office heads and leaders see every alert."""
    person = person_for(user)
    return person is not None and person.is_active and person.role in OVERSEERS


def may_acknowledge(user: AnyUser, alert: Alert) -> bool:
    if not user.is_authenticated or not user.has_perm("alerts.view_alerts"):
        return False
    if oversees_alerts(user):
        return True
    return AlertRecipient.objects.filter(alert=alert, user_id=user.pk).exists()


def alert_acknowledge_require(user: AnyUser, alert: Alert) -> None:
    if not may_acknowledge(user, alert):
        raise PermissionDenied(
            _("Only the people this alert was sent to, office heads and leaders may acknowledge it.")
        )


def alert_actions(user: AnyUser, alert: Alert) -> dict[str, bool]:
    return {"acknowledge": alert.acknowledged_at is None and may_acknowledge(user, alert)}

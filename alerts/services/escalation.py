"""Escalation of alerts nobody acknowledged: to the office head, then the leader in charge.

The beat job runs every minute. Each step is claimed with a conditional UPDATE on the alert's stored
``escalate_at`` and step (two beats escalate once), recorded as an ``AlertEscalation`` row (unique
per alert and step) and in the archive, and tells the step's people through the outbox."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from alerts.models import Alert, AlertEscalation
from alerts.routing import LAST_STEP, escalation_recipients
from alerts.services.raising import alert_tell
from archive.services import archive_record
from bureau import clock


def alerts_escalate(*, now: datetime | None = None) -> int:
    """Escalate each unacknowledged alert whose limit has passed by one step; returns the steps taken."""
    now = now or clock.now()
    due = list(
        Alert.objects.unacknowledged()
        .filter(escalate_at__lte=now)
        .order_by("escalate_at", "pk")
        .values_list("pk", "escalation_step", "escalate_at")
    )
    taken = 0
    for pk, step, escalate_at in due:
        with transaction.atomic():
            following = step + 1
            next_at = now + _limit(pk) if following < LAST_STEP else None
            claimed = Alert.objects.filter(
                pk=pk, acknowledged_at__isnull=True, escalation_step=step, escalate_at=escalate_at
            ).update(escalation_step=following, escalate_at=next_at)
            if not claimed:
                continue
            alert = Alert.objects.select_related("rule").get(pk=pk)
            told = alert_tell(alert=alert, targets=escalation_recipients(following), step=following, now=now)
            AlertEscalation.objects.create(alert=alert, step=following, escalated_at=now, told=told)
            archive_record(
                action="alerts.alert.escalated",
                target=alert,
                summary=_("Not acknowledged in time: step %(step)s, told %(people)s")
                % {"step": following, "people": "、".join(told) or _("nobody new")},
                before={"escalation_step": step},
                after={"escalation_step": following, "told": told},
                now=now,
            )
            taken += 1
    return taken


def _limit(alert_id: int) -> timedelta:
    minutes = Alert.objects.filter(pk=alert_id).values_list("rule__acknowledge_minutes", flat=True).get()
    return timedelta(minutes=minutes)

"""The alerts outbox: every ``AlertDelivery`` row sent once.

A row is claimed by a conditional UPDATE (unsent, due, and unclaimed or its lease expired), so two
senders never hold one row; it is marked sent only after the other side took it. A refusal (HTTP
429 or 5xx, a connection refused) releases the claim and sets the next attempt with backoff
(10 s, 20 s, 40 s … at most 10 minutes), never giving up and never sending twice. A worker killed
mid-send leaves its claim to expire (``LEASE``) and the row is sent then: at least once, and only a
kill between the other side's answer and the one UPDATE could repeat it.

E-mail goes through the project's notifications (``bureau.notifications``): the row's notice (an
in-app notice plus its e-mail, sent by the notifications outbox) is created once per delivery by its
unique key, in the same transaction that marks the row sent."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from alerts.models import AlertDelivery
from alerts.senders import SendFailed, robot_send, sms_adapter
from bureau import clock
from bureau.models import Notification
from bureau.notifications import notification_create

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
BATCH = 100
FIRST_BACKOFF = timedelta(seconds=10)
MAX_BACKOFF = timedelta(minutes=10)


def backoff(attempts: int) -> timedelta:
    """After the n-th failed attempt: 10 s, 20 s, 40 s, … capped at 10 minutes."""
    return min(FIRST_BACKOFF * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _claimable_q(now: datetime) -> Q:
    return Q(sent_at__isnull=True, next_attempt_at__lte=now) & (
        Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - LEASE)
    )


def _message(delivery: AlertDelivery) -> tuple[str, str]:
    alert = delivery.alert
    names = "、".join(str(recipient.user) for recipient in alert.recipients.all())
    title = _("Alert: %(title)s") % {"title": alert.title}
    body = _("%(text)s\nTold: %(names)s\nAcknowledge: %(link)s") % {
        "text": alert.text,
        "names": names or "—",
        "link": _absolute(alert.get_absolute_url()),
    }
    return title, body


def _absolute(path: str) -> str:
    return f"{getattr(settings, 'SITE_URL', '').rstrip('/')}{path}"


def _send(delivery: AlertDelivery) -> None:
    title, body = _message(delivery)
    if delivery.channel == AlertDelivery.Channel.ROBOT:
        assert delivery.robot is not None  # robot rows always name their robot
        robot_send(url=delivery.robot.url, title=title, body=body)
    elif delivery.channel == AlertDelivery.Channel.SMS:
        assert delivery.user is not None  # per-person rows always name their person
        person = getattr(delivery.user, "person", None)
        try:
            sms_adapter().send(
                phone=person.phone if person else "", text=f"{title} {body}", key=f"alert-delivery-{delivery.pk}"
            )
        except Exception as error:
            raise SendFailed(str(error)) from error


def alert_delivery_send(*, delivery_id: int, now: datetime | None = None) -> bool:
    """Claim and send one row; True if this call sent it."""
    now = now or clock.now()
    if not AlertDelivery.objects.filter(_claimable_q(now), pk=delivery_id).update(claimed_at=now):
        return False
    delivery = (
        AlertDelivery.objects.select_related("alert", "user__person", "robot")
        .prefetch_related("alert__recipients__user__person")
        .get(pk=delivery_id)
    )
    if delivery.channel == AlertDelivery.Channel.EMAIL:
        assert delivery.user is not None  # per-person rows always name their person
        title, body = _message(delivery)
        with transaction.atomic():
            notice = notification_create(
                recipient=delivery.user,
                kind=Notification.ALERT_KIND,
                dedupe_key=f"alerts.alert:{delivery.alert_id}:{delivery.pk}",
                title=title,
                body=body,
                link=delivery.alert.get_absolute_url(),
                now=now,
            )
            if notice is not None and delivery.alert.acknowledged_at is not None:
                # Acknowledged before its notice went out: the badge counts only what still waits.
                Notification.objects.filter(pk=notice.pk).update(read_at=delivery.alert.acknowledged_at)
            AlertDelivery.objects.filter(pk=delivery_id, claimed_at=now).update(
                sent_at=clock.now(), attempts=delivery.attempts + 1, last_error=""
            )
        return True
    try:
        _send(delivery)
    except SendFailed as error:
        attempts = delivery.attempts + 1
        AlertDelivery.objects.filter(pk=delivery_id, claimed_at=now).update(
            claimed_at=None, attempts=attempts, next_attempt_at=now + backoff(attempts), last_error=str(error)[:300]
        )
        logger.warning("alerts.delivery_failed id=%s attempt=%s: %s", delivery_id, attempts, error)
        return False
    AlertDelivery.objects.filter(pk=delivery_id, claimed_at=now).update(
        sent_at=clock.now(), attempts=delivery.attempts + 1, last_error=""
    )
    return True


def alert_deliveries_send(*, now: datetime | None = None, limit: int = BATCH) -> int:
    """Send every due row (the task after each alert, and the beat job every minute); returns how many were sent."""
    now = now or clock.now()
    due = list(
        AlertDelivery.objects.filter(_claimable_q(now))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(alert_delivery_send(delivery_id=pk, now=now) for pk in due)


def alert_deliveries_next_attempt(*, now: datetime | None = None) -> datetime | None:
    """When the next unsent row falls due (the task re-queues itself for it when it is soon)."""
    return (
        AlertDelivery.objects.filter(sent_at__isnull=True)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )

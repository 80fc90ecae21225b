"""Raising an alert (``alert_raise``, which every evaluator calls), telling people, acknowledging.

Guarantees: one alert per rule and subject key per quiet window, whoever races (the conditional
UPDATE of the unique ``AlertQuiet`` row); each person is told once per alert (unique recipient), each
message is one outbox row (unique delivery), written in the alert's transaction and sent after it
commits; every step is archived."""

from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alerts.dispatch import SEND_DELIVERIES, publish
from alerts.models import Alert, AlertDelivery, AlertQuiet, AlertRecipient, AlertRule
from alerts.policies import alert_acknowledge_require
from alerts.routing import Target, first_recipients
from archive.services import archive_record
from bureau import clock
from bureau.durations import duration_text
from bureau.models import Notification, User
from bureau.types import AnyUser
from opinions.models import Post

# The quiet row's starting point: before any window, so the first match always raises.
NEVER = datetime(2000, 1, 1, tzinfo=UTC)


def _claim_quiet_window(*, rule: AlertRule, key: str, now: datetime) -> bool:
    """True for exactly one caller per (rule, key) per window: the row is created if missing (a
    conflict is ignored), then moved forward only if its window has passed — PostgreSQL re-checks
    the condition for a concurrent UPDATE, so of two racers one moves it and the other sees 0."""
    AlertQuiet.objects.bulk_create([AlertQuiet(rule=rule, key=key, until=NEVER)], ignore_conflicts=True)
    until = now + timedelta(minutes=rule.quiet_minutes)
    return AlertQuiet.objects.filter(rule=rule, key=key, until__lte=now).update(until=until) == 1


def alert_raise(
    *,
    rule: AlertRule,
    key: str,
    title: str,
    text: str = "",
    link: str = "",
    post: Post | None = None,
    now: datetime | None = None,
) -> Alert | None:
    """Raise an alert for ``rule`` about ``key`` (its subject: a word, a section, an event), routed
    by the roster at ``now``. Returns None, raising nothing, inside the rule's quiet window for that
    key. The messages go out after commit."""
    now = now or clock.now()
    key = key[:200]
    with transaction.atomic():
        if not _claim_quiet_window(rule=rule, key=key, now=now):
            return None
        alert = Alert.objects.create(
            rule=rule,
            key=key,
            title=title[:200],
            text=text,
            link=link[:300],
            post=post,
            raised_at=now,
            acknowledge_due_at=now + timedelta(minutes=rule.acknowledge_minutes),
            escalate_at=now + timedelta(minutes=rule.acknowledge_minutes),
        )
        targets = first_recipients(now=now)
        told = alert_tell(alert=alert, targets=targets, step=0, now=now)
        archive_record(
            action="alerts.alert.raised",
            target=alert,
            summary=_("%(rule)s: %(title)s; told %(people)s")
            % {"rule": rule.name, "title": alert.title, "people": "、".join(told) or _("nobody")},
            after={"rule_id": rule.pk, "key": key, "recipients": told},
            now=now,
        )
    return alert


def alert_tell(*, alert: Alert, targets: list[Target], step: int, now: datetime) -> list[str]:
    """Record the people told at this step and write their messages to the outbox (inside the
    caller's transaction); returns the names of those newly told. Someone already told is not told
    again; the chat robots get one message per step naming the people told."""
    already = set(AlertRecipient.objects.filter(alert=alert).values_list("user_id", flat=True))
    new = [target for target in targets if target.person.user_id not in already]
    AlertRecipient.objects.bulk_create(
        [
            AlertRecipient(alert=alert, user_id=target.person.user_id, reason=target.reason, step=step, added_at=now)
            for target in new
        ],
        ignore_conflicts=True,
    )
    rule = alert.rule
    rows = [
        AlertDelivery(
            alert=alert,
            channel=AlertDelivery.Channel.EMAIL,
            target=f"user:{target.person.user_id}",
            user_id=target.person.user_id,
            created_at=now,
            next_attempt_at=now,
        )
        for target in new
    ]
    if rule.send_sms:
        rows += [
            AlertDelivery(
                alert=alert,
                channel=AlertDelivery.Channel.SMS,
                target=f"user:{target.person.user_id}",
                user_id=target.person.user_id,
                created_at=now,
                next_attempt_at=now,
            )
            for target in new
            if target.person.phone
        ]
    if new:
        rows += [
            AlertDelivery(
                alert=alert,
                channel=AlertDelivery.Channel.ROBOT,
                target=f"robot:{robot.pk}:{step}",
                robot=robot,
                created_at=now,
                next_attempt_at=now,
            )
            for robot in rule.robots.filter(is_active=True)
        ]
    AlertDelivery.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        transaction.on_commit(lambda: publish(SEND_DELIVERIES))
    return [target.person.name for target in new]


@transaction.atomic
def alert_acknowledge(*, alert: Alert, actor: AnyUser, now: datetime | None = None) -> Alert:
    """One tap: the alert is acknowledged and stops escalating. Raises PermissionDenied for someone
    who may not (``alerts.policies``), ValidationError if it was already acknowledged."""
    now = now or clock.now()
    alert = Alert.objects.select_for_update().select_related("rule").get(pk=alert.pk)
    alert_acknowledge_require(actor, alert)
    if alert.acknowledged_at is not None:
        raise ValidationError(_("This alert has already been acknowledged."))
    assert isinstance(actor, User)  # an anonymous user is refused by the policy above
    alert.acknowledged_at, alert.acknowledged_by, alert.escalate_at = now, actor, None
    alert.save(update_fields=["acknowledged_at", "acknowledged_by", "escalate_at"])
    # The menu's alert badge counts the unread alert notices: acknowledged, they are read for all.
    Notification.objects.filter(
        kind=Notification.ALERT_KIND, dedupe_key__startswith=f"alerts.alert:{alert.pk}:", read_at__isnull=True
    ).update(read_at=now)
    archive_record(
        action="alerts.alert.acknowledged",
        actor=actor,
        target=alert,
        summary=_("Acknowledged %(duration)s after it was raised")
        % {"duration": duration_text((now - alert.raised_at).total_seconds())},
        before={"acknowledged_at": None},
        after={"acknowledged_at": now.isoformat(), "in_time": now <= alert.acknowledge_due_at},
        now=now,
    )
    return alert

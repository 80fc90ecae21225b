"""Configuration changes to channels and patrol rules made by administrators."""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.forms.models import model_to_dict
from django.http import HttpRequest

from archive.services import archive_record
from bureau import clock
from bureau.types import AnyUser
from opinions.models import Channel, PatrolRule

CHANNEL_FIELDS = ["name", "kind", "section", "is_active", "feed_url", "poll_interval_minutes", "sort_order"]
RULE_FIELDS = ["section", "limit_minutes", "hours_start", "hours_end", "weekdays_only", "is_active"]


def _snapshot(instance: Channel | PatrolRule, fields: list[str]) -> dict[str, Any]:
    if instance.pk is None:
        return {}
    stored = type(instance).objects.filter(pk=instance.pk).first()
    return model_to_dict(stored, fields=fields) if stored else {}


@transaction.atomic
def channel_save(
    *, channel: Channel, actor: AnyUser, request: HttpRequest | None = None, now: datetime | None = None
) -> Channel:
    """Save a channel's configuration. A changed feed address or interval is polled at the next beat."""
    now = now or clock.now()
    is_new = channel.pk is None
    before = _snapshot(channel, CHANNEL_FIELDS)
    if (
        is_new
        or before.get("feed_url") != channel.feed_url
        or before.get("poll_interval_minutes") != (channel.poll_interval_minutes)
    ):
        channel.next_poll_at = None
        channel.feed_etag = channel.feed_last_modified = channel.feed_digest = ""
    channel.save()
    archive_record(
        action="opinions.channel." + ("created" if is_new else "changed"),
        actor=actor,
        request=request,
        target=channel,
        before=before,
        after=model_to_dict(channel, fields=CHANNEL_FIELDS),
        now=now,
    )
    return channel


@transaction.atomic
def patrol_rule_save(
    *, rule: PatrolRule, actor: AnyUser, request: HttpRequest | None = None, now: datetime | None = None
) -> PatrolRule:
    """Save a section's patrol limit and hours; the next review deadline follows the new limit."""
    now = now or clock.now()
    is_new = rule.pk is None
    before = _snapshot(rule, RULE_FIELDS)
    rule.due_at = (rule.last_reviewed_at or now) + timedelta(minutes=rule.limit_minutes)
    rule.save()
    archive_record(
        action="opinions.patrolrule." + ("created" if is_new else "changed"),
        actor=actor,
        request=request,
        target=rule,
        before=before,
        after=model_to_dict(rule, fields=RULE_FIELDS),
        now=now,
    )
    return rule

"""Reply deadlines: hours by the clock, or working days from the calendar kept by admins."""

from datetime import date, datetime, timedelta
from typing import TypeVar

from django.http import HttpRequest
from django.utils import timezone

from archive.services import archive_record
from bureau import clock
from bureau.config_cache import config_row, config_rows_changed
from bureau.types import AnyUser
from opinions.models import CalendarDay, DemandRules, ReplyWindow, SimilarityRules

DEFAULT_WINDOW = timedelta(hours=24)

# A row the admin edits: a reply window, a calendar day, the escalation or the near-duplicate rules.
ConfigRow = TypeVar("ConfigRow", ReplyWindow, CalendarDay, DemandRules, SimilarityRules)


def working_days_after(day: date, count: int) -> date:
    """The ``count``-th working day after ``day`` (``day`` itself not counted).

    Monday–Friday work unless the calendar says otherwise: a statutory holiday on a weekday is
    off, a weekend make-up workday (调休) is on. One query, whatever ``count``."""
    horizon = day + timedelta(days=count * 3 + 40)
    exceptions = dict(CalendarDay.objects.filter(day__gt=day, day__lte=horizon).values_list("day", "is_working_day"))
    current, found = day, 0
    while found < count:
        current += timedelta(days=1)
        if current > horizon:  # a calendar with a holiday longer than the horizon: keep looking
            return working_days_after(horizon, count - found)
        if exceptions.get(current, current.weekday() < 5):
            found += 1
    return current


def reply_deadline(*, kind: str, received_at: datetime) -> datetime:
    """When the reply to a demand of ``kind`` received at ``received_at`` is due.

    Hours count by the clock, nights and holidays included. Working days end at local midnight:
    3 working days from a Friday 15:00 receipt is the end of the following Wednesday."""
    window = config_row(("reply_window", kind), ReplyWindow.objects.filter(kind=kind).first)
    if window is None:
        return received_at + DEFAULT_WINDOW
    if window.unit == ReplyWindow.Unit.HOURS:
        return received_at + timedelta(hours=window.amount)
    local_day = timezone.localdate(received_at)
    return clock.local_midnight(working_days_after(local_day, window.amount) + timedelta(days=1))


def needs_review(kind: str) -> bool:
    return config_row(("needs_review", kind), ReplyWindow.objects.filter(kind=kind, needs_review=True).exists)


def demand_config_save(
    *, obj: ConfigRow, actor: AnyUser, request: HttpRequest | None = None, now: datetime | None = None
) -> ConfigRow:
    """Save a reply window, calendar day or the escalation rules from the admin, with its archive record."""
    from django.db import transaction
    from django.forms.models import model_to_dict

    with transaction.atomic():
        is_new = obj.pk is None or not type(obj).objects.filter(pk=obj.pk).exists()
        obj.save()
        config_rows_changed()
        archive_record(
            action=f"opinions.{obj._meta.model_name}.{'created' if is_new else 'changed'}",
            actor=actor,
            target=obj,
            summary=str(obj),
            after={key: str(value) for key, value in model_to_dict(obj).items()},
            request=request,
            now=now,
        )
    return obj

"""Keeping the daily aggregates (``opinions.models.aggregates``) equal to the figures selectors.

A day's rows are recomputed as a whole (delete and insert, from ``demand_daily_rows`` and
``post_daily_rows``), so recomputing is idempotent and two runs never disagree. Which days to recompute
does not rely on each service remembering to say so: every change of a demand or a post writes an
archive record (``archive_record``, serialised, so primary-key order is commit order), and the refresh
reads the records past its watermark, maps their targets to the day they were received or found and
recomputes those days, plus every day from the last run's through today (new posts and demands
arrive there, and beat may have been down for days). A batch of posts (feed, manual entry, import)
writes one record naming its channel and the day it was found, which the refresh reads too. The deadline
sweep writes no record, but it only sets flags (overdue_at, due_soon_at, escalation) that no stored
count reads.

Each run counts as of its moment ``now`` (stored as ``refreshed_at``): the rows hold the demands
received and the posts found before it, and ``DemandOverdueDay`` the demands overdue at it, so a reader
adds what came at or after it, and the deadlines passed since, without counting twice
(``reports.dashboard.selectors.demand_breakdown``)."""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, TypeVar

from django.db import connection, transaction
from django.utils import timezone

from archive.selectors import archive_head
from bureau import clock
from opinions.models import DailyFiguresState, DemandDay, DemandOverdueDay, OverdueDay, PostDay
from opinions.selectors.figures import (
    daily_figures_changed_days,
    days_not_refreshed,
    demand_daily_rows,
    demand_overdue_day_rows,
    overdue_history,
    post_daily_rows,
)

# Names the advisory lock that serialises refreshes (a dashboard load and the beat job).
_LOCK_KEY = 7_420_517

# A stored day's model: demands or posts.
DayRow = TypeVar("DayRow", DemandDay, PostDay)


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])


def _state() -> DailyFiguresState:
    state, _created = DailyFiguresState.objects.select_for_update().get_or_create(pk=1)
    return state


def _days_recompute(
    model: type[DayRow], rows_of: Callable[..., Iterable[dict[str, Any]]], days: Iterable[date], now: datetime
) -> int:
    """Replace the stored rows of ``days`` with fresh ones from ``rows_of(days=...)``, of what was
    received or found before ``now`` (the run's moment: readers add the rest live); returns the
    rows written."""
    days = set(days)
    if not days:
        return 0
    model.objects.filter(day__in=days).delete()
    rows = [model(**row) for row in rows_of(days=days, end=now)]
    model.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def demand_days_recompute(*, days: Iterable[date], now: datetime) -> int:
    return _days_recompute(DemandDay, demand_daily_rows, days, now)


def post_days_recompute(*, days: Iterable[date], now: datetime) -> int:
    return _days_recompute(PostDay, post_daily_rows, days, now)


def _overdue_store(now: datetime) -> None:
    """``DemandOverdueDay`` rewritten whole: the demands received before ``now`` and overdue at it
    (one grouped query over the open backlog, here in the job rather than on every page); and
    today's ``OverdueDay`` measured from the same rows, as every demand overdue now is in one of
    them, overdue in its first round or in a redo round (the dashboard's "overdue now" adds them
    up the same way)."""
    DemandOverdueDay.objects.all().delete()
    rows = [DemandOverdueDay(**row) for row in demand_overdue_day_rows(now=now, end=now)]
    DemandOverdueDay.objects.bulk_create(rows, batch_size=5000)
    OverdueDay.objects.update_or_create(
        day=timezone.localdate(now),
        defaults={"overdue": sum(row.overdue + row.redo_overdue for row in rows), "measured_at": now},
    )


@transaction.atomic
def daily_figures_rebuild(*, now: datetime | None = None) -> dict[str, bool | int]:
    """Recompute every day from scratch (first run, or after bulk loading). Days already measured
    keep their overdue count; the others get it from history."""
    _lock()
    # Taken once the lock is held: runs then count as of increasing moments, so a run that waited
    # for another never stores rows older than the ones it leaves in place.
    now = now or clock.now()
    state = _state()
    watermark = archive_head()
    DemandDay.objects.all().delete()
    PostDay.objects.all().delete()
    demand_rows = [DemandDay(**row) for row in demand_daily_rows(end=now)]
    DemandDay.objects.bulk_create(demand_rows, batch_size=5000)
    post_rows = [PostDay(**row) for row in post_daily_rows(end=now)]
    PostDay.objects.bulk_create(post_rows, batch_size=5000)
    today = timezone.localdate(now)
    history = overdue_history(before=clock.local_midnight(today))
    measured = set(OverdueDay.objects.filter(measured_at__isnull=False).values_list("day", flat=True))
    OverdueDay.objects.filter(measured_at__isnull=True).delete()
    OverdueDay.objects.bulk_create(
        [OverdueDay(day=day, overdue=count) for day, count in history.items() if day < today and day not in measured],
        batch_size=5000,
    )
    _overdue_store(now)
    state.archive_watermark, state.refreshed_at, state.rebuilt_at = watermark, now, now
    state.save()
    return {"rebuilt": True, "demand_rows": len(demand_rows), "post_rows": len(post_rows)}


def _overdue_fill_skipped(days: set[date], *, today: date) -> int:
    """Days before today that no run measured (beat was down): their overdue count from history
    (due before the day's end and not first replied by then), as a rebuild would give them."""
    measured = set(OverdueDay.objects.filter(day__in=days).values_list("day", flat=True))
    missing = {day for day in days if day < today and day not in measured}
    if not missing:
        return 0
    history = overdue_history(before=clock.local_midnight(today))
    OverdueDay.objects.bulk_create([OverdueDay(day=day, overdue=history.get(day, 0)) for day in sorted(missing)])
    return len(missing)


@transaction.atomic
def daily_figures_refresh(*, now: datetime | None = None) -> dict[str, bool | int]:
    """Recompute the stale days (``daily_figures_changed_days``: the days the archive names since
    the last run; ``days_not_refreshed``: every day from the last run's through today, however long
    beat was down) as of ``now``, and the demands overdue at ``now``; safe to run twice or
    concurrently (an advisory lock serialises runs). The first run rebuilds everything.
    Readers never call this: they add what changed since ``refreshed_at`` live (``daily_figures_stored_days``)."""
    _lock()
    # Taken once the lock is held: runs then count as of increasing moments, so a run that waited
    # for another never stores rows older than the ones it leaves in place.
    now = now or clock.now()
    state = _state()
    if state.rebuilt_at is None:
        return daily_figures_rebuild(now=now)
    changed = daily_figures_changed_days(watermark=state.archive_watermark)
    today = timezone.localdate(now)
    unseen = days_not_refreshed(refreshed_at=state.refreshed_at, now=now)
    demand_days = unseen | changed.demand_days
    post_days = unseen | changed.post_days
    demand_days_recompute(days=demand_days, now=now)
    post_days_recompute(days=post_days, now=now)
    _overdue_fill_skipped(unseen, today=today)
    _overdue_store(now)
    if changed.last_record is not None:
        state.archive_watermark = max(state.archive_watermark, changed.last_record)
    state.refreshed_at = now
    state.save(update_fields=["archive_watermark", "refreshed_at"])
    return {"rebuilt": False, "demand_days": len(demand_days), "post_days": len(post_days)}

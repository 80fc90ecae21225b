"""The demand figures, defined once (../shared/DOMAIN.md, "Figures, defined once"). Dashboards,
exports and the annual summary use this module and nothing else.

For the demands received in [start, end) and visible to the user:
- received: their count (duplicates merged into another demand are not demands of their own);
- replied: a reply was given (approved, where replies are reviewed); replied on time: the first
  reply was given by the deadline (the deadline as extended, if an extension was approved);
- completed: completed now (a case reopened after an unsatisfied call-back is not);
- overdue: not replied and past the deadline, at ``now``;
- reply rate = replied ÷ received, on-time rate = replied on time ÷ received, completion rate =
  completed ÷ received; satisfaction = satisfied or fairly satisfied ÷ those reached on call-back.
Rates are None when their denominator is 0."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from archive.models import ArchiveRecord
from bureau import clock
from opinions.models import (
    Channel,
    DailyFiguresState,
    Demand,
    Post,
    completed_q,
    overdue_q,
    reached_q,
    replied_on_time_q,
    replied_q,
    satisfied_q,
)
from opinions.selectors.demands import demands_visible

GROUPS = {"kind": "kind", "channel": "channel__name", "department": "department__name"}


@dataclass
class Figures:
    key: str | None
    received: int
    replied: int
    replied_on_time: int
    completed: int
    overdue: int
    called_back: int
    satisfied: int

    @staticmethod
    def _rate(part: int, whole: int) -> float | None:
        return round(part / whole, 4) if whole else None

    @property
    def reply_rate(self) -> float | None:
        return self._rate(self.replied, self.received)

    @property
    def on_time_rate(self) -> float | None:
        return self._rate(self.replied_on_time, self.received)

    @property
    def completion_rate(self) -> float | None:
        return self._rate(self.completed, self.received)

    @property
    def satisfaction(self) -> float | None:
        return self._rate(self.satisfied, self.called_back)


def _aggregates(now: datetime) -> dict:
    return {
        "received": Count("pk"),
        "replied": Count("pk", filter=replied_q()),
        "replied_on_time": Count("pk", filter=replied_on_time_q()),
        "completed": Count("pk", filter=completed_q()),
        "overdue": Count("pk", filter=overdue_q(now)),
        "called_back": Count("pk", filter=reached_q()),
        "satisfied": Count("pk", filter=satisfied_q()),
    }


def demands_received(demands: QuerySet[Demand], *, start: datetime, end: datetime) -> QuerySet[Demand]:
    """The demands "received" in [start, end): duplicates merged into another demand are not
    demands of their own. Every figure, list and sheet of received demands starts here."""
    return demands.filter(received_at__gte=start, received_at__lt=end).exclude(state=Demand.State.MERGED)


def demand_figures(
    *, user, start: datetime, end: datetime, group_by: str | None = None, now: datetime | None = None
) -> tuple[Figures, list[Figures]]:
    """The figures of the demands ``user`` may see (see ``_figures``)."""
    return _figures(demands_visible(user=user), start=start, end=end, group_by=group_by, now=now)


def office_demand_figures(
    *, start: datetime, end: datetime, group_by: str | None = None, now: datetime | None = None
) -> tuple[Figures, list[Figures]]:
    """The whole office's figures, whoever asks (the annual summary, compiled by a person or the
    nightly job): every demand, by the same count as ``demand_figures``."""
    return _figures(Demand.objects.all(), start=start, end=end, group_by=group_by, now=now)


def _figures(
    demands: QuerySet[Demand], *, start: datetime, end: datetime, group_by: str | None, now: datetime | None
) -> tuple[Figures, list[Figures]]:
    """The totals and, if ``group_by`` is "kind", "channel" or "department", one row per group.
    One grouped aggregate query (or one plain aggregate without ``group_by``), whatever the size."""
    now = now or clock.now()
    queryset = demands_received(demands, start=start, end=end).order_by()
    aggregates = _aggregates(now)
    if not group_by:
        return Figures(key=None, **queryset.aggregate(**aggregates)), []
    field = GROUPS[group_by]
    rows = []
    for row in queryset.values(field).annotate(**aggregates).order_by(field):
        key = row.pop(field)
        rows.append(Figures(key=key, **row))
    # Every demand is in exactly one group: the totals are the groups' sums (one query, not two).
    counts = ("received", "replied", "replied_on_time", "completed", "overdue", "called_back", "satisfied")
    total = Figures(key=None, **{name: sum(getattr(row, name) for row in rows) for name in counts})
    return total, rows


# --- Posts ---------------------------------------------------------------------------------------
# For the posts found in [start, end): found, relevant to the bureau, handled (followed up, answered
# or filed), and taken down — overall and by prohibited-content category. A post counts in the
# period it was found in, however late it was taken down, so a day's figures are a fixed set.


@dataclass
class PostFigures:
    found: int
    relevant: int
    handled: int
    taken_down: int
    # (category pk, category name, posts taken down), largest first; the pk keys the list link.
    taken_down_by_category: list[tuple[int | None, str, int]]


def _post_aggregates() -> dict:
    return {
        "found": Count("pk"),
        "relevant": Count("pk", filter=Q(is_relevant=True)),
        "handled": Count("pk", filter=Q(status__in=Post.HANDLING_STATUSES)),
        "taken_down": Count("pk", filter=Q(status=Post.Status.TAKEN_DOWN)),
    }


def post_figures(*, start: datetime, end: datetime) -> PostFigures:
    """Two queries: the totals, and the takedowns grouped by category."""
    posts = Post.objects.filter(found_at__gte=start, found_at__lt=end).order_by()
    totals = posts.aggregate(**_post_aggregates())
    by_category = (
        posts.filter(status=Post.Status.TAKEN_DOWN)
        .values("category_id", "category__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "category__name")
    )
    rows = [(row["category_id"], row["category__name"] or "", row["count"]) for row in by_category]
    return PostFigures(**totals, taken_down_by_category=rows)


# --- Per local day -------------------------------------------------------------------------------
# The same definitions, grouped by the local (Asia/Shanghai) day of receipt or discovery: the rows the
# daily aggregates (``opinions.models.aggregates``) store. "overdue" depends on the moment asked, so a
# day's row leaves it out; it is read live or from ``OverdueDay``.

DAILY_DEMAND_COUNTS = ("received", "replied", "replied_on_time", "completed", "called_back", "satisfied")
DAILY_POST_COUNTS = ("found", "relevant", "handled", "taken_down")


def _local_day(field: str) -> TruncDate:
    return TruncDate(field, tzinfo=timezone.get_default_timezone())


def _day_ranges(days: Iterable[date]) -> list[tuple[datetime, datetime]]:
    """``days`` as half-open ranges of aware moments, contiguous days merged into one range."""
    ranges: list[tuple[datetime, datetime]] = []
    ordered = sorted(set(days))
    while ordered:
        first = last = ordered.pop(0)
        while ordered and ordered[0] == last + timedelta(days=1):
            last = ordered.pop(0)
        ranges.append((clock.local_midnight(first), clock.local_midnight(last + timedelta(days=1))))
    return ranges


def _span_filter(field: str, days: Iterable[date]) -> Q:
    condition = Q(pk__in=[])
    for start, end in _day_ranges(days):
        condition |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return condition


def demand_daily_rows(
    *, days: Iterable[date] | None = None, start: datetime | None = None, end: datetime | None = None
):
    """Per local day of receipt, kind, channel and department: the demand counts (no "overdue"), for
    the demands received on ``days`` or in [start, end). All demands, whoever asks (the dashboard's
    readers see every demand). One grouped query."""
    queryset = Demand.objects.exclude(state=Demand.State.MERGED).order_by()
    if days is not None:
        queryset = queryset.filter(_span_filter("received_at", days))
    if start is not None:
        queryset = queryset.filter(received_at__gte=start)
    if end is not None:
        queryset = queryset.filter(received_at__lt=end)
    aggregates = _aggregates(clock.now())
    del aggregates["overdue"]
    return (
        queryset.annotate(day=_local_day("received_at"))
        .values("day", "kind", "channel_id", "department_id")
        .annotate(**aggregates)
        .order_by("day", "kind", "channel_id", "department_id")
    )


def post_daily_rows(*, days: Iterable[date] | None = None, start: datetime | None = None, end: datetime | None = None):
    """Per local day found, channel and category: the post counts of ``post_figures``. One grouped query."""
    queryset = Post.objects.order_by()
    if days is not None:
        queryset = queryset.filter(_span_filter("found_at", days))
    if start is not None:
        queryset = queryset.filter(found_at__gte=start)
    if end is not None:
        queryset = queryset.filter(found_at__lt=end)
    return (
        queryset.annotate(day=_local_day("found_at"))
        .values("day", "channel_id", "category_id")
        .annotate(**_post_aggregates())
        .order_by("day", "channel_id", "category_id")
    )


def overdue_now_count(*, now: datetime | None = None) -> int:
    """Demands overdue at ``now`` (not replied, deadline passed), whenever received: the open rows only
    (served by the open-demands partial index)."""
    now = now or clock.now()
    return Demand.objects.overdue(at=now).count()


def overdue_history(*, before: datetime | None = None) -> dict[date, int]:
    """For rebuilding ``OverdueDay`` from history: per local day, demands overdue at its end (deadline
    passed and not first replied by then). A demand adds one on the day its deadline passes unreplied
    and takes it back on the day a late first reply comes: two grouped queries and a running sum."""
    went = Demand.objects.exclude(state=Demand.State.MERGED).filter(~replied_on_time_q()).order_by()
    if before is not None:
        went = went.filter(due_at__lt=before)
    changes: dict[date, int] = {}
    for row in went.annotate(day=_local_day("due_at")).values("day").annotate(n=Count("pk")).order_by():
        changes[row["day"]] = changes.get(row["day"], 0) + row["n"]
    late = went.filter(first_replied_at__isnull=False)
    for row in late.annotate(day=_local_day("first_replied_at")).values("day").annotate(n=Count("pk")).order_by():
        changes[row["day"]] = changes.get(row["day"], 0) - row["n"]
    running, result = 0, {}
    if not changes:
        return result
    day, last = min(changes), max(changes)
    if before is not None:
        last = max(last, timezone.localdate(before) - timedelta(days=1))
    while day <= last:
        running += changes.get(day, 0)
        result[day] = running
        day += timedelta(days=1)
    return result


# --- Which stored days are stale -----------------------------------------------------------------
# A stored day may be out of date for two reasons, and both are read here, once, for the refresh and
# for the readers alike:
# 1. something changed on it later: every change of a demand or a post writes an archive record
#    naming it, and a batch of posts (a feed poll, a manual entry, an import) writes one record naming
#    its channel and the day its posts were found (``opinions.channel.posts_received``); the days of
#    the records past the refresh's watermark are stale;
# 2. it has not been refreshed since it began: posts and demands arrive on the day they are found or
#    received, so every day from the one the last refresh ran on through today is stale. After beat
#    was down for four days that is five days, not "today and yesterday".
# The refresh recomputes the stale days; a reader (the dashboard) counts them live instead, so it is
# exact without writing.

# Archive records re-read at each run: recomputing a day twice is harmless, missing one is not.
OVERLAP = 50
DEMAND_TARGET, POST_TARGET = Demand._meta.label_lower, Post._meta.label_lower
CHANNEL_TARGET = Channel._meta.label_lower
POSTS_RECEIVED = "opinions.channel.posts_received"


@dataclass(frozen=True)
class ChangedDays:
    demand_days: set[date]
    post_days: set[date]
    last_record: int | None  # the newest archive record read (the refresh's next watermark)


def _local_days(moments) -> set[date]:
    return {timezone.localdate(moment) for moment in moments if moment is not None}


def _batch_day(created_at: datetime, after: dict) -> date:
    """The day a batch's posts were found: written on the record (``found_on``), else the record's
    own day (older records; intake stamps its posts with the moment it records)."""
    try:
        return date.fromisoformat(after["found_on"])
    except (KeyError, TypeError, ValueError):
        return timezone.localdate(created_at)


def daily_figures_changed_days(*, watermark: int) -> ChangedDays:
    """The local days of receipt (demands) and discovery (posts) of the targets of the archive
    records past ``watermark`` (less ``OVERLAP``), and the days of the post batches recorded there.
    Three queries, proportional to the recent changes."""
    records = list(
        ArchiveRecord.objects.filter(pk__gt=max(watermark - OVERLAP, 0))
        .order_by("pk")
        .values_list("pk", "target_type", "target_id", "action", "created_at", "after")
    )
    demand_ids, post_ids, batch_days = set(), set(), set()
    for _pk, target_type, target_id, action, created_at, after in records:
        if target_type in (DEMAND_TARGET, POST_TARGET) and target_id.isdigit():
            (demand_ids if target_type == DEMAND_TARGET else post_ids).add(int(target_id))
        elif target_type == CHANNEL_TARGET and action == POSTS_RECEIVED:
            batch_days.add(_batch_day(created_at, after or {}))
    return ChangedDays(
        demand_days=_local_days(Demand.objects.filter(pk__in=demand_ids).values_list("received_at", flat=True)),
        post_days=batch_days | _local_days(Post.objects.filter(pk__in=post_ids).values_list("found_at", flat=True)),
        last_record=records[-1][0] if records else None,
    )


def days_not_refreshed(*, refreshed_at: datetime | None, now: datetime) -> set[date]:
    """The local days from the one the last refresh ran on through today (at ``now``): what arrived
    on them since may be missing from the stored rows. Without a refresh yet: yesterday and today."""
    today = timezone.localdate(now)
    first = timezone.localdate(refreshed_at) if refreshed_at is not None else today - timedelta(days=1)
    first = min(first, today)
    return {first + timedelta(days=offset) for offset in range((today - first).days + 1)}


@dataclass(frozen=True)
class StoredDays:
    """How far the stored daily rows can be trusted: ``usable`` is False before the first rebuild
    (then everything is counted live); ``stale_*`` are the days to count live instead of stored."""

    usable: bool
    stale_demand_days: set[date]
    stale_post_days: set[date]
    refreshed_at: datetime | None


def daily_figures_stored_days(*, now: datetime) -> StoredDays:
    """Read-only: which stored days a reader may use at ``now``: not the days changed since the
    last refresh, nor those it has not seen whole (see ``days_not_refreshed``)."""
    state = DailyFiguresState.objects.filter(pk=1).first()
    if state is None or state.rebuilt_at is None:
        return StoredDays(usable=False, stale_demand_days=set(), stale_post_days=set(), refreshed_at=None)
    changed = daily_figures_changed_days(watermark=state.archive_watermark)
    unseen = days_not_refreshed(refreshed_at=state.refreshed_at, now=now)
    return StoredDays(
        usable=True,
        stale_demand_days=changed.demand_days | unseen,
        stale_post_days=changed.post_days | unseen,
        refreshed_at=state.refreshed_at,
    )

"""The demand figures, defined once (../shared/DOMAIN.md, "Figures, defined once"). Dashboards,
exports and the annual summary use this module and nothing else.

For the demands received in [start, end) and visible to the user (each word is a function of
``opinions.models``, where it is written out; the first round is round 0, see ``opinions.models.rounds``):
- received: their count; duplicates merged into another demand are not demands of their own, they
  are counted as ``merged`` (重复件数) and in nothing else;
- replied: the first round has a reply (approved, where replies are reviewed); replied on time: that
  first reply came by the deadline in force when it was given (an approved extension counts when it
  was asked for before the deadline passed, even if approved later; a refused one never counts);
  replied late (超期答复): replied, after it. A redo never changes either;
- completed: completed now (a case reopened after an unsatisfied call-back is not);
- overdue: the first round unanswered and past its deadline, at ``now``; redo_overdue (重办超期): redo
  rounds replied after their deadline, plus redo rounds unanswered past it at ``now``;
- signed for / signed for on time (及时签收): the first round signed for, within the sign-for limit;
- handed back (退单): accepted hand-backs, counted under the department that handed the case back
  (the case itself counts for whoever handles it next); a refused hand-back is no hand-back;
- redone (重办): cases with a redo round; extensions requested / approved: over all rounds;
  presses (催办): a supervisor's presses;
- called back (回访): cases with a call-back attempted (unreachable included); reached / satisfied:
  the latest call-back of each case reached the citizen / found them satisfied or fairly satisfied;
  first reached / first satisfied: the same on the first call-back; completed called back: the
  completed cases among the called back (回访率 = completed called back ÷ completed).
A case is counted under the department of its first round (the one that handled it, after any
accepted hand-back; kept on the round, so moving a person or giving a redo to someone else later
rewrites nothing). Rates are ``bureau.rates.rate`` of two counts (None when nothing to divide by)."""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, F, FilteredRelation, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from archive.models import ArchiveRecord
from bureau import clock
from bureau.kept import Kept, kept
from bureau.rates import rate
from bureau.types import AnyUser
from opinions.models import (
    FIRST_CALL_BACK,
    FIRST_REDO,
    FIRST_ROUND,
    LATEST_CALL_BACK,
    Channel,
    DailyFiguresState,
    Demand,
    DemandHandBack,
    DemandOverdueDay,
    DemandPress,
    DemandRound,
    Post,
    call_back_reached_q,
    call_back_satisfied_q,
    completed_q,
    counted_q,
    deadline_in_force,
    first_round_overdue_q,
    merged_q,
    overdue_q,
    redo_late_q,
    redo_overdue_q,
    round_replied_late_q,
    round_replied_on_time_q,
    round_signed_for_on_time_q,
    with_first_records,
    with_latest_call_back,
)
from opinions.selectors.demands import demands_visible

GROUPS = {"kind": "kind", "channel": "channel__name", "department": "department__name"}


@dataclass
class Figures:
    """The demand counts of a period (and of one group, ``key``), with their rates."""

    key: str | None
    received: int = 0
    replied: int = 0
    replied_on_time: int = 0
    completed: int = 0
    overdue: int = 0
    called_back: int = 0
    satisfied: int = 0
    replied_late: int = 0
    redo_overdue: int = 0
    signed_for: int = 0
    signed_for_on_time: int = 0
    handed_back: int = 0
    redone: int = 0
    extensions_requested: int = 0
    extensions_approved: int = 0
    presses: int = 0
    reached: int = 0
    first_reached: int = 0
    first_satisfied: int = 0
    merged: int = 0
    completed_called_back: int = 0  # completed cases with a call-back attempted (回访率's part)

    @property
    def reply_rate(self) -> Decimal | None:
        return rate(self.replied, self.received)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.replied_on_time, self.received)

    @property
    def completion_rate(self) -> Decimal | None:
        return rate(self.completed, self.received)

    @property
    def satisfaction(self) -> Decimal | None:
        """满意率: satisfied ÷ reached, on the latest call-back of each case."""
        return rate(self.satisfied, self.reached)

    @property
    def first_satisfaction(self) -> Decimal | None:
        """首次满意率: the same on the first call-back of each case."""
        return rate(self.first_satisfied, self.first_reached)

    @property
    def call_back_rate(self) -> Decimal | None:
        """回访率: completed cases with a call-back attempted ÷ completed (a case reopened after its
        call-back is called back but not completed, so it is in neither count)."""
        return rate(self.completed_called_back, self.completed)

    @property
    def sign_for_on_time_rate(self) -> Decimal | None:
        return rate(self.signed_for_on_time, self.signed_for)

    @property
    def hand_back_rate(self) -> Decimal | None:
        return rate(self.handed_back, self.received)

    @property
    def redo_rate(self) -> Decimal | None:
        return rate(self.redone, self.received)


# Every count of ``Figures``, in order; the daily aggregates store all but the moment's overdue.
FIGURE_COUNTS = tuple(field.name for field in fields(Figures) if field.name != "key")
DAILY_DEMAND_COUNTS = tuple(name for name in FIGURE_COUNTS if name != "overdue")

_LIVE = counted_q()


def _demand_aggregates() -> dict:
    """Counted on the demands themselves (one row each, with ``with_first_records`` and
    ``with_latest_call_back`` joined)."""
    first, call_back = FIRST_ROUND, FIRST_CALL_BACK
    called_back = Q(**{f"{call_back}number__isnull": False})  # the first call-back exists: one was made
    return {
        "received": Count("pk", filter=_LIVE),
        "replied": Count("pk", filter=_LIVE & Q(**{f"{first}replied_at__isnull": False})),
        "replied_on_time": Count("pk", filter=_LIVE & round_replied_on_time_q(first)),
        "replied_late": Count("pk", filter=_LIVE & round_replied_late_q(first)),
        "completed": Count("pk", filter=_LIVE & completed_q()),
        "signed_for": Count("pk", filter=_LIVE & Q(**{f"{first}signed_for_at__isnull": False})),
        "signed_for_on_time": Count("pk", filter=_LIVE & round_signed_for_on_time_q(first)),
        "redone": Count("pk", filter=_LIVE & Q(**{f"{FIRST_REDO}number__isnull": False})),
        "called_back": Count("pk", filter=_LIVE & called_back),
        "completed_called_back": Count("pk", filter=_LIVE & completed_q() & called_back),
        "reached": Count("pk", filter=_LIVE & call_back_reached_q(LATEST_CALL_BACK)),
        "satisfied": Count("pk", filter=_LIVE & call_back_satisfied_q(LATEST_CALL_BACK)),
        "first_reached": Count("pk", filter=_LIVE & call_back_reached_q(call_back)),
        "first_satisfied": Count("pk", filter=_LIVE & call_back_satisfied_q(call_back)),
        "merged": Count("pk", filter=merged_q()),
    }


def _moment_aggregates(now: datetime) -> dict:
    """What depends on the moment asked: counted live, never stored."""
    return {
        "overdue": Count("pk", filter=_LIVE & first_round_overdue_q(now)),
        "redo_overdue": Count("pk", filter=_LIVE & redo_overdue_q(now)),
    }


def _grouped(queryset: QuerySet, keys: dict, aggregates: dict) -> list[dict]:
    """``aggregates`` of ``queryset`` per distinct ``keys`` (output name → path or expression), as
    plain dicts keyed by the output names. Without keys: one row of totals."""
    if not keys:
        return [queryset.order_by().aggregate(**aggregates)]
    aliases = {f"group_{i}": name for i, name in enumerate(keys)}
    expressions = {
        alias: F(keys[name]) if isinstance(keys[name], str) else keys[name] for alias, name in aliases.items()
    }
    rows = queryset.order_by().values(**expressions).annotate(**aggregates).order_by()
    return [{aliases.get(name, name): value for name, value in row.items()} for row in rows]


def _case_keys(keys: dict, *, via: str, department_via: str) -> dict:
    """The group keys seen from a model reaching the demand through ``via`` ("" on the demand
    itself); a department key is the case's, its first round's (reached through ``department_via``),
    and a day key (an expression) is the local day of receipt."""
    result: dict[str, Any] = {}
    for name, path in keys.items():
        if not isinstance(path, str):
            result[name] = _local_day(via + "received_at")
        elif path.startswith("department"):
            result[name] = F(department_via + path)
        else:
            result[name] = F(via + path)
    return result


def _case_round(queryset: QuerySet) -> QuerySet:
    """Records pointing at a demand, with the demand's first round joined as ``case_round``."""
    return queryset.annotate(case_round=FilteredRelation("demand__rounds", condition=Q(demand__rounds__number=0)))


def _count_rows(demands: QuerySet[Demand], *, keys: dict, now: datetime | None) -> list[dict]:
    """Every count of ``demands`` (received in a period, merged duplicates included) per ``keys``,
    from at most five grouped queries: the demands, their rounds, presses and accepted hand-backs,
    and, with ``now``, the moment's overdue. A case counts under the department of its first round
    (the one that handled it, after any accepted hand-back; a redo given to someone else later does
    not move last year's case); an accepted hand-back under the department that handed it back.
    Rows of one key may repeat; ``_merge`` adds them up."""
    live = demands.filter(_LIVE).values("pk")
    aggregates = _demand_aggregates() | (_moment_aggregates(now) if now is not None else {})
    rows = _grouped(
        with_latest_call_back(with_first_records(demands)),
        _case_keys(keys, via="", department_via=FIRST_ROUND),
        aggregates,
    )
    through = _case_keys(keys, via="demand__", department_via="case_round__")
    rows += _grouped(
        _case_round(DemandRound.objects.filter(demand__in=live)),
        through,
        {
            "extensions_requested": Count("pk", filter=Q(extension_asked_at__isnull=False)),
            "extensions_approved": Count("pk", filter=Q(extension_decision=DemandRound.Decision.APPROVED)),
            "redo_overdue": Count("pk", filter=redo_late_q()),
        },
    )
    presses = DemandPress.objects.filter(demand__in=live, step=DemandPress.Step.PRESSED)
    rows += _grouped(_case_round(presses), through, {"presses": Count("pk")})
    hand_backs = DemandHandBack.objects.filter(demand__in=live, decision=DemandHandBack.Decision.ACCEPTED)
    rows += _grouped(hand_backs, _case_keys(keys, via="demand__", department_via=""), {"handed_back": Count("pk")})
    return rows


def _merge(rows: Iterable[dict], keys: Iterable[str]) -> dict[tuple, dict]:
    keys = tuple(keys)
    merged: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[name] for name in keys)
        target = merged.setdefault(key, {name: row[name] for name in keys})
        for name, value in row.items():
            if name not in keys:
                target[name] = target.get(name, 0) + (value or 0)
    return merged


def figures_sum(rows: Iterable[dict], *, key: str | None = None) -> Figures:
    """One ``Figures`` adding up count rows (``demand_daily_rows``, ``DemandDay`` sums, ``demand_overdue_rows``)."""
    total = Figures(key=key)
    for row in rows:
        for name in FIGURE_COUNTS:
            setattr(total, name, getattr(total, name) + (row.get(name) or 0))
    return total


def demands_received(demands: QuerySet[Demand], *, start: datetime, end: datetime) -> QuerySet[Demand]:
    """The demands "received" in [start, end): duplicates merged into another demand are not
    demands of their own. Every figure, list and sheet of received demands starts here."""
    return demands.filter(counted_q(), received_at__gte=start, received_at__lt=end)


def demand_figures(
    *, user: AnyUser, start: datetime, end: datetime, group_by: str | None = None, now: datetime | None = None
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
    Four grouped queries (``_count_rows``) whatever the number of demands."""
    now = now or clock.now()
    queryset = demands.filter(received_at__gte=start, received_at__lt=end)
    keys = {"key": GROUPS[group_by]} if group_by else {}
    merged = _merge(_count_rows(queryset, keys=keys, now=now), keys)
    if not group_by:
        return figures_sum(merged.values()), []
    rows = [figures_sum([row], key=row["key"]) for row in merged.values() if any(row.get(n) for n in FIGURE_COUNTS)]
    rows.sort(key=lambda row: (row.key is None, row.key or ""))
    # Every count is in exactly one group: the totals are the groups' sums.
    return figures_sum(row.__dict__ for row in rows), rows


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
# daily aggregates (``opinions.models.aggregates``) store. What depends on the moment asked (overdue,
# and redo rounds overdue now) a day's row leaves out; it is read live (``demand_overdue_rows``) or
# from ``OverdueDay``.

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


DAILY_KEYS = ("day", "kind", "channel_id", "department_id")


def _daily_keys() -> dict:
    return {
        "day": _local_day("received_at"),
        "kind": "kind",
        "channel_id": "channel_id",
        "department_id": "department_id",
    }


def _days_or_since(field: str, days: Iterable[date] | None, since: datetime | None) -> Q | None:
    """Found or received on ``days`` or at ``since`` or later (either may be None: not asked)."""
    if days is None and since is None:
        return None
    condition = _span_filter(field, days or ())
    if since is not None:
        condition |= Q(**{f"{field}__gte": since})
    return condition


def _received_between(
    queryset: QuerySet[Demand],
    days: Iterable[date] | None,
    start: datetime | None,
    end: datetime | None,
    since: datetime | None = None,
) -> QuerySet[Demand]:
    condition = _days_or_since("received_at", days, since)
    if condition is not None:
        queryset = queryset.filter(condition)
    if start is not None:
        queryset = queryset.filter(received_at__gte=start)
    if end is not None:
        queryset = queryset.filter(received_at__lt=end)
    return queryset


def demand_daily_rows(
    *,
    days: Iterable[date] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    since: datetime | None = None,
) -> list[dict]:
    """Per local day of receipt, kind, channel and department: every count of ``Figures`` but the
    moment's (``DAILY_DEMAND_COUNTS``: no first-round overdue; ``redo_overdue`` only its settled
    part, redo rounds replied late), for the demands received on ``days`` (or at ``since`` or
    later) and in [start, end). All demands, whoever asks (the dashboard's readers see every
    demand). Four grouped queries, or when no demand is in the selection one probe instead (what
    the dashboard asks between two refreshes, when nothing was received since: building the four
    queries cost more than running them); one dict per key, ready for ``DemandDay(**row)``."""
    queryset = _received_between(Demand.objects.all(), days, start, end, since)
    if not queryset.exists():
        return []
    merged = _merge(_count_rows(queryset, keys=_daily_keys(), now=None), DAILY_KEYS)
    return [
        {name: row.get(name, 0) for name in (*DAILY_KEYS, *DAILY_DEMAND_COUNTS)}
        for _key, row in sorted(merged.items(), key=lambda item: tuple((v is None, v or 0) for v in item[0]))
    ]


def demand_overdue_rows(*, now: datetime, start: datetime | None = None, end: datetime | None = None) -> list[dict]:
    """What the daily rows leave to the moment: per kind, channel and department, the demands
    received in [start, end) overdue at ``now`` in their first round (``overdue``) and in a redo
    round (the running part of ``redo_overdue``). The open rows only; one grouped query. Added to
    the stored days' sums (``figures_sum``) it gives ``demand_figures``' counts."""
    queryset = with_first_records(_received_between(Demand.objects.overdue(at=now), None, start, end))
    keys = _case_keys(
        {"kind": "kind", "channel_id": "channel_id", "department_id": "department_id"},
        via="",
        department_via=FIRST_ROUND,
    )
    return _grouped(queryset, keys, _moment_aggregates(now))


def demand_overdue_day_rows(
    *,
    now: datetime,
    end: datetime | None = None,
    since: datetime | None = None,
    days: Iterable[date] = (),
) -> list[dict]:
    """``demand_overdue_rows`` per local day of receipt too (``DemandOverdueDay``'s rows), for the
    demands received before ``end``, whenever received. With ``since`` (the last refresh, whose
    stored rows counted the demands overdue then): only what those rows cannot know, the demands
    received on ``days`` (stale: touched since) or at ``since`` or later, and those whose deadline
    passed at ``since`` or later. Those are as few as the changes since: the open-demands index
    serves the deadlines, the receipt index the rest. One grouped query."""
    overdue: QuerySet[Demand] = Demand.objects.overdue(at=now)
    if since is not None:
        # The deadline branch repeats overdue()'s "due_at < now" so PostgreSQL sees one range
        # [since, now): with the bounds on either side of the OR it multiplies them as independent
        # (1,362 rows estimated 37,216 at 1,000,000 demands) and hashes every demand round.
        overdue = overdue.filter(
            _span_filter("received_at", days) | Q(received_at__gte=since) | Q(due_at__gte=since, due_at__lt=now)
        )
    queryset = with_first_records(_received_between(overdue, None, None, end))
    day = _local_day("received_at")
    keys = _case_keys(
        {"day": day, "kind": "kind", "channel_id": "channel_id", "department_id": "department_id"},
        via="",
        department_via=FIRST_ROUND,
    )
    return _grouped(queryset, keys, _moment_aggregates(now))


def post_daily_rows(
    *,
    days: Iterable[date] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    since: datetime | None = None,
) -> QuerySet[Post, dict[str, Any]]:
    """Per local day found, channel and category: the post counts of ``post_figures``, for the posts
    found on ``days`` (or at ``since`` or later) and in [start, end). One grouped query."""
    queryset = Post.objects.order_by()
    condition = _days_or_since("found_at", days, since)
    if condition is not None:
        queryset = queryset.filter(condition)
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
    """For rebuilding ``OverdueDay`` from history: per local day, demands overdue at its end (the
    current round unanswered past its deadline in force). Each round not replied on time adds one on
    the day its deadline in force passes and takes it back on the day its late reply comes: two
    grouped queries over the rounds and a running sum."""
    went = (
        DemandRound.objects.filter(counted_q(via="demand__"))
        .filter(Q(replied_at__isnull=True) | round_replied_late_q())
        .order_by()
    )
    went = went.annotate(deadline=deadline_in_force())
    if before is not None:
        went = went.filter(deadline__lt=before)
    changes: dict[date, int] = {}
    for row in (
        went.annotate(day=TruncDate("deadline", tzinfo=timezone.get_default_timezone()))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        changes[row["day"]] = changes.get(row["day"], 0) + row["n"]
    late = went.filter(replied_at__isnull=False)
    for row in late.annotate(day=_local_day("replied_at")).values("day").annotate(n=Count("pk")).order_by():
        changes[row["day"]] = changes.get(row["day"], 0) - row["n"]
    result: dict[date, int]
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
# Each refresh stores, as of its moment (``DailyFiguresState.refreshed_at``), the rows of the demands
# received and the posts found before that moment, and the demands overdue then. A stored row may be
# out of date for one reason: something changed on it later. Every change of a demand or a post
# writes an archive record naming it, and a batch of posts (a feed poll, a manual entry, an import)
# writes one record naming its channel and the day its posts were found
# (``opinions.channel.posts_received``); the days of the records past the refresh's watermark are
# stale. Both the refresh and the readers read them here, once.
# The refresh recomputes the stale days and every day from the last run's through today (what arrived
# since); a reader (the dashboard) counts the stale days live instead of stored, and adds what the
# stored rows cannot hold: the demands and posts that arrived since the refresh, and the deadlines
# passed since. So it is exact without writing, and reads as much as changed since the last refresh.

# Archive records the refresh re-reads at each run: recomputing a day twice is harmless, missing one
# is not. Readers need no overlap: appends are serialised (``archive_record`` holds its lock to the
# end of the transaction, and SQLite takes the write lock when a transaction starts), so a record
# at or below the watermark committed before the newest one the refresh read and was in its reads;
# re-reading the last 50 made a reader count their days live for nothing (at 100,000 demands, one
# such day of 3,261 demands cost the dashboard about 55 ms of SQL).
OVERLAP = 50
DEMAND_TARGET, POST_TARGET = Demand._meta.label_lower, Post._meta.label_lower
CHANNEL_TARGET = Channel._meta.label_lower
POSTS_RECEIVED = "opinions.channel.posts_received"


@dataclass(frozen=True)
class ChangedDays:
    demand_days: set[date]
    post_days: set[date]
    last_record: int | None  # the newest archive record read (the refresh's next watermark)


def _local_days(moments: Iterable[datetime | None]) -> set[date]:
    return {timezone.localdate(moment) for moment in moments if moment is not None}


def _batch_day(created_at: datetime, after: dict) -> date:
    """The day a batch's posts were found: written on the record (``found_on``), else the record's
    own day (older records; intake stamps its posts with the moment it records)."""
    try:
        return date.fromisoformat(after["found_on"])
    except (KeyError, TypeError, ValueError):
        return timezone.localdate(created_at)


def daily_figures_changed_days(
    *, watermark: int, before: datetime | None = None, overlap: int = OVERLAP
) -> ChangedDays:
    """The local days of receipt (demands) and discovery (posts) of the targets of the archive
    records past ``watermark`` (less ``overlap``), and the days of the post batches recorded there.
    With ``before`` (a reader's last refresh): only the demands and posts received or found before
    it, as the later ones are not in the stored rows (the reader counts them live whole). Three
    queries, proportional to the recent changes."""
    records = list(
        ArchiveRecord.objects.filter(pk__gt=max(watermark - overlap, 0))
        .order_by("pk")
        .values_list("pk", "target_type", "target_id", "action", "created_at", "after")
    )
    demand_ids: set[int]
    post_ids: set[int]
    demand_ids, post_ids, batch_days = set(), set(), set()
    for _pk, target_type, target_id, action, created_at, after in records:
        if target_type in (DEMAND_TARGET, POST_TARGET) and target_id.isdigit():
            (demand_ids if target_type == DEMAND_TARGET else post_ids).add(int(target_id))
        elif target_type == CHANNEL_TARGET and action == POSTS_RECEIVED:
            batch_days.add(_batch_day(created_at, after or {}))
    demands = Demand.objects.filter(pk__in=demand_ids)
    posts = Post.objects.filter(pk__in=post_ids)
    if before is not None:
        demands, posts = demands.filter(received_at__lt=before), posts.filter(found_at__lt=before)
    return ChangedDays(
        demand_days=_local_days(demands.values_list("received_at", flat=True)),
        post_days=batch_days | _local_days(posts.values_list("found_at", flat=True)),
        last_record=records[-1][0] if records else None,
    )


def days_not_refreshed(*, refreshed_at: datetime | None, now: datetime) -> set[date]:
    """The local days from the one the last refresh ran on through today (at ``now``): what arrived
    on them since is missing from the stored rows. Without a refresh yet: yesterday and today."""
    today = timezone.localdate(now)
    first = timezone.localdate(refreshed_at) if refreshed_at is not None else today - timedelta(days=1)
    first = min(first, today)
    return {first + timedelta(days=offset) for offset in range((today - first).days + 1)}


@dataclass(frozen=True)
class StoredDays:
    """How far the stored rows can be trusted: ``usable`` is False before the first rebuild (then
    everything is counted live); ``stale_*`` are the days to count live instead of stored; what was
    received or found at ``refreshed_at`` or later is in no stored row (counted live, added)."""

    usable: bool
    stale_demand_days: set[date]
    stale_post_days: set[date]
    refreshed_at: datetime | None
    # Which refresh wrote the stored rows: its moment, its rebuild's and its watermark (no two
    # refreshes share all three). "" before the first rebuild.
    refresh: str = ""


def daily_figures_stored_days(*, now: datetime) -> StoredDays:
    """Read-only: which stored days a reader may use at ``now``: not the days changed since the
    last refresh. Read it in the same snapshot as the stored rows (``figures_snapshot``)."""
    state = DailyFiguresState.objects.filter(pk=1).first()
    if state is None or state.rebuilt_at is None or state.refreshed_at is None:
        return StoredDays(usable=False, stale_demand_days=set(), stale_post_days=set(), refreshed_at=None)
    changed = daily_figures_changed_days(watermark=state.archive_watermark, before=state.refreshed_at, overlap=0)
    return StoredDays(
        usable=True,
        stale_demand_days=changed.demand_days,
        stale_post_days=changed.post_days,
        refreshed_at=state.refreshed_at,
        refresh=f"{state.refreshed_at.isoformat()}|{state.rebuilt_at.isoformat()}|{state.archive_watermark}",
    )


# A sum over the stored rows is the same until the next refresh rewrites them (only the refresh
# and the rebuild write them): kept in the cache under the refresh that wrote them and the sum's
# own arguments, so the dashboard reads the year's stored rows once per refresh and process (at
# 100,000 demands, 18,240 rows and about 20 ms a page) and otherwise only what changed since.
# Kept only when the state and the rows are read in one snapshot (``figures_snapshot``'s own
# REPEATABLE READ transaction): elsewhere (SQLite, which has none; a job's transaction under READ
# COMMITTED) a refresh committing between the two reads would put its rows under the older key.
STORED_SUM_KEPT_SECONDS = 3600
_IN_SNAPSHOT: ContextVar[bool] = ContextVar("figures_in_snapshot", default=False)


def stored_sum_kept(stored_days: StoredDays, name: str, arguments: tuple, read: Callable[[], Kept]) -> Kept:
    """``read()`` (a sum over stored rows, in the snapshot ``stored_days`` was read in), kept
    until the next refresh under ``name`` and ``arguments`` (the sum's period, the stale days it
    leaves out: anything its result depends on besides the stored rows)."""
    if not stored_days.usable or not _IN_SNAPSHOT.get():
        return read()
    return kept(f"stored-sum:{name}", (stored_days.refresh, arguments), read, seconds=STORED_SUM_KEPT_SECONDS)


@contextmanager
def figures_snapshot() -> Iterator[None]:
    """Read the refresh's state, its stored rows and the live rows in one snapshot (PostgreSQL:
    a read-only REPEATABLE READ transaction), so that a refresh committing in between cannot make
    a reader add the same demand twice, stored and live. JIT compilation is off for it: the page's
    queries are short, and compiling one big plan cost 110 to 230 ms, more than running it.
    Inside a transaction already (a test, a job) the reads run in it as they are."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    token = _IN_SNAPSHOT.set(True)
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                # The rows are in memory and the live part is a few days' rows at most: priced as
                # random reads from disk (4, the default), one stale day's 2,778 demands at 1,000,000
                # were joined to every call-back by hashing (694 ms); priced as cached (1.1), by their
                # indexes (29 ms). Parallel workers only add their start-up to queries this size (20
                # ms). One round trip for the four settings (SET TRANSACTION first, as it must be).
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET LOCAL jit = off; "
                    "SET LOCAL random_page_cost = 1.1; SET LOCAL max_parallel_workers_per_gather = 0"
                )
            yield
    finally:
        _IN_SNAPSHOT.reset(token)


# A stored ``DemandOverdueDay`` row's demands overdue at the refresh, whatever the round: the rows'
# ``overdue`` (first round) and ``redo_overdue`` (a redo round) never hold the same demand.
STORED_OVERDUE = F("overdue") + F("redo_overdue")


def overdue_in(row: dict) -> int:
    """The demands overdue in one ``demand_overdue_day_rows`` row, whatever the round."""
    return row["overdue"] + row["redo_overdue"]


def overdue_now_stored(*, now: datetime, stored_days: StoredDays) -> int:
    """``overdue_now_count`` without reading the open backlog: the counts the last refresh stored
    (``DemandOverdueDay``, but the stale days') plus what changed since (``demand_overdue_day_rows``
    with ``since``), as the dashboard's headline adds them; live before the first rebuild. Read it
    in the snapshot ``stored_days`` was read in (``figures_snapshot``). Two queries."""
    if not stored_days.usable:
        return overdue_now_count(now=now)
    stale = sorted(stored_days.stale_demand_days)
    stored = stored_sum_kept(
        stored_days,
        "overdue-now",
        (stale,),
        lambda: DemandOverdueDay.objects.exclude(day__in=stale).aggregate(n=Sum(STORED_OVERDUE)),
    )
    changes = demand_overdue_day_rows(
        now=now, since=stored_days.refreshed_at, days=stored_days.stale_demand_days, end=now
    )
    return (stored["n"] or 0) + sum(overdue_in(row) for row in changes)


def overdue_now_visible(*, user: AnyUser, now: datetime | None = None) -> int:
    """The demands overdue at ``now`` among those ``user`` sees (``demands_visible``): for who sees
    every demand (a supervisor, a leader) from the stored counts plus the changes since, so the
    number does not grow with the backlog; for anyone else their own few, counted."""
    now = now or clock.now()
    if not user.has_perm("opinions.view_all_demands"):  # demands_visible's rule for "every demand"
        return demands_visible(user=user).filter(overdue_q(now)).count()
    with figures_snapshot():
        return overdue_now_stored(now=now, stored_days=daily_figures_stored_days(now=now))

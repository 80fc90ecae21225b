"""The supervisors' dashboard: the figures of a period, read from the rows the beat job's last refresh
stored (the daily aggregates, today's part included, and the demands overdue at that moment) plus what
changed since, counted live: the days touched since, what arrived since and the deadlines passed since.
So the page is exact without writing, and its cost follows the changes since the refresh, not the
data. Every count is defined in ``opinions.selectors.figures`` (the same definitions as
``demand_figures`` and ``post_figures``)."""

from collections import defaultdict
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts.selectors import AlertFigures, alert_figures
from archive.selectors import kept_while_unchanged
from assignments.models import CountyTask, CountyTaskQuerySet
from assignments.selectors import (
    DutyFigures,
    SignInFigures,
    county_tasks_by_department,
    duty_figures,
    sign_ins_by_department,
)
from bureau import clock
from bureau.models import Department
from opinions.models import (
    Channel,
    DemandDay,
    DemandKind,
    DemandOverdueDay,
    OverdueDay,
    PostDay,
    ScreeningCategory,
)
from opinions.selectors.figures import (
    DAILY_DEMAND_COUNTS,
    DAILY_POST_COUNTS,
    STORED_OVERDUE,
    Figures,
    StoredDays,
    daily_figures_stored_days,
    demand_daily_rows,
    demand_overdue_day_rows,
    demand_overdue_rows,
    figures_snapshot,
    overdue_in,
    overdue_now_count,
    post_daily_rows,
    stored_sum_kept,
)
from opinions.selectors.post_figures import takedown_median_minutes
from opinions.selectors.posts import failing_channels
from publicity.models import PublicityPost
from publicity.selectors import QuotaProgress, published_by_department, quota_progress_list
from reports.indicators import figure_sets
from reports.scoring import Score, department_score, scoring_rules

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

PERIODS = {
    "today": _("Today"),
    "week": _("This week"),
    "month": _("This month"),
    "year": _("This year"),
    "range": _("Chosen dates"),
}
MAX_RANGE_DAYS = 3 * 366
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Period:
    key: str
    first: date  # first local day, included
    last: date  # last local day, included

    @property
    def start(self) -> datetime:
        return clock.local_midnight(self.first)

    @property
    def end(self) -> datetime:
        return clock.local_midnight(self.last + timedelta(days=1))

    @property
    def label(self) -> "StrPromise":
        return PERIODS[self.key]

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


def period_for(*, key: str | None, today: date, first: date | None = None, last: date | None = None) -> Period:
    """today | week (Monday to Sunday) | month | year | range (``first``..``last``, at most three years:
    a longer one keeps its most recent three years). Without both dates a range is this year."""
    if key == "range" and first and last:
        if last < first:
            first, last = last, first
        first = max(first, last - timedelta(days=MAX_RANGE_DAYS))
        return Period("range", first, last)
    if key == "today":
        return Period("today", today, today)
    if key == "week":
        monday = today - timedelta(days=today.weekday())
        return Period("week", monday, monday + timedelta(days=6))
    if key == "month":
        first = today.replace(day=1)
        following = date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)
        return Period("month", first, following - timedelta(days=1))
    return Period("year", date(today.year, 1, 1), date(today.year, 12, 31))


def year_period(year: int) -> Period:
    return Period("range", date(year, 1, 1), date(year, 12, 31))


# --- Demands -------------------------------------------------------------------------------------


@dataclass
class Group:
    """One row of a breakdown: the group's id (for the list link), its label and figures."""

    key: object
    label: str
    figures: Figures


@dataclass
class DemandBreakdown:
    total: Figures
    by_kind: list[Group]
    by_channel: list[Group]
    by_department: list[Group]
    per_day: list[tuple[date, int, int]]  # (day, received, replied)
    overdue_now: int  # every demand overdue now, whenever received


# The counts the dashboard adds up: the stored daily rows' and the moment's (``demand_overdue_rows``:
# "overdue" and the running part of "redo_overdue"). A count the
# ``Figures`` dataclass carries beyond them is not counted here, so it stays None ("—" through
# reports.indicators) rather than a false 0 that would disagree with the stored summary.
BOARD_COUNTS = (*DAILY_DEMAND_COUNTS, "overdue")


# The dataclass types its counts as int; None is deliberate here (not counted, never a false 0).
_NOTHING = cast(
    dict[str, Any],
    {item.name: 0 if item.name in BOARD_COUNTS else None for item in fields(Figures) if item.name != "key"},
)


def _empty(key: Any = None) -> Figures:  # a kind (text), or a channel's or department's id
    """Figures of nothing: the counts the dashboard adds up 0, any other count of the dataclass None."""
    return Figures(key=key, **_NOTHING)


def _add(target: Figures, row: dict) -> None:
    for name in BOARD_COUNTS:
        setattr(target, name, getattr(target, name) + (row.get(name) or 0))


def _in_period(period: Period, day: date) -> bool:
    return period.first <= day <= period.last


def _stale_in(period: Period, stale: set[date]) -> set[date]:
    """The period's stored days the archive says are stale: counted live instead."""
    return {day for day in stale if _in_period(period, day)}


def _moment_rows(period: Period, now: datetime, stored_days: StoredDays) -> tuple[list[dict], int]:
    """What depends on the moment, as ``demand_figures`` counts it: the first round overdue now
    ("overdue") and the running part of "redo_overdue" (a redo round unanswered past its deadline),
    each under the case's department (its first round's), for the demands received in the period;
    and every demand overdue now, whenever received (the headline "overdue now"). From the counts
    the last refresh stored (``DemandOverdueDay``, but the stale days) and the changes since
    (``demand_overdue_day_rows`` with ``since``); everything live before the first rebuild. Two
    queries."""
    if not stored_days.usable:
        return demand_overdue_rows(now=now, start=period.start, end=period.end), overdue_now_count(now=now)
    in_period = Q(day__gte=period.first, day__lte=period.last)
    stale = sorted(stored_days.stale_demand_days)
    stored = stored_sum_kept(
        stored_days,
        "overdue-by-key",
        (period.first, period.last, stale),
        lambda: list(
            DemandOverdueDay.objects.exclude(day__in=stale)
            .values("kind", "channel_id", "department_id")
            .annotate(
                in_period=Sum("overdue", filter=in_period),
                redo_in_period=Sum("redo_overdue", filter=in_period),
                whenever=Sum(STORED_OVERDUE),
            )
            .order_by()
        ),
    )
    rows, overdue_all = [], 0
    for row in stored:
        overdue_all += row["whenever"]
        if row["in_period"] is not None:  # a key with demands overdue received in the period
            keys = {name: row[name] for name in ("kind", "channel_id", "department_id")}
            rows.append({**keys, "overdue": row["in_period"], "redo_overdue": row["redo_in_period"]})
    changes = demand_overdue_day_rows(
        now=now, since=stored_days.refreshed_at, days=stored_days.stale_demand_days, end=now
    )
    for row in changes:
        overdue_all += overdue_in(row)
        if _in_period(period, row["day"]):
            rows.append(row)
    return rows, overdue_all


def demand_breakdown(
    *, period: Period, today: date, now: datetime, stored_days: StoredDays | None = None
) -> DemandBreakdown:
    """The demand figures of the period: totals, by kind, channel and department, and per day, and
    the demands overdue now. The stored rows of the last refresh but the stale days', plus, live,
    the stale days and what was received since the refresh (everything live before the first
    rebuild); so the cost follows the changes since the refresh, not the data. Reads only; seven
    queries whatever the number of demands (plus two for the names)."""
    stored_days = stored_days or daily_figures_stored_days(now=now)
    rows: list[dict] = []
    per_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    if stored_days.usable:
        stale = _stale_in(period, stored_days.stale_demand_days)

        def stored_sums() -> tuple[list[dict], list[tuple[date, int, int]]]:
            stored = DemandDay.objects.filter(day__gte=period.first, day__lte=period.last).exclude(day__in=stale)
            by_key = stored.values("kind", "channel_id", "department_id").annotate(
                **{name: Sum(name) for name in DAILY_DEMAND_COUNTS}
            )
            daily = stored.values("day").annotate(Sum("received"), Sum("replied")).order_by()
            return list(by_key.order_by()), list(daily.values_list("day", "received__sum", "replied__sum"))

        by_key, daily = stored_sum_kept(
            stored_days, "demand-days", (period.first, period.last, sorted(stale)), stored_sums
        )
        rows.extend(by_key)
        for day, received, replied in daily:
            per_day[day] = [received, replied]
        live = demand_daily_rows(days=stale, since=stored_days.refreshed_at, start=period.start, end=period.end)
    else:
        live = demand_daily_rows(start=period.start, end=min(period.end, clock.local_midnight(today + ONE_DAY)))
    rows.extend(live)
    for row in live:
        per_day[row["day"]][0] += row["received"]
        per_day[row["day"]][1] += row["replied"]
    moment, overdue_all = _moment_rows(period, now, stored_days)
    rows.extend(moment)

    total = _empty()
    by_kind: dict = {}
    by_channel: dict = {}
    by_department: dict = {}
    for row in rows:
        _add(total, row)
        keys = ((by_kind, row["kind"]), (by_channel, row["channel_id"]), (by_department, row["department_id"]))
        for mapping, key in keys:
            if key not in mapping:
                mapping[key] = _empty(key)
            _add(mapping[key], row)
    kinds = dict(DemandKind.choices)
    channels = dict(Channel.objects.filter(pk__in=[k for k in by_channel if k]).values_list("pk", "name"))
    departments = dict(Department.objects.filter(pk__in=[k for k in by_department if k]).values_list("pk", "name"))
    no_department = str(_("No department yet"))

    def groups(mapping: dict, names: dict, empty: str = "") -> list[Group]:
        result = [Group(key, str(names.get(key, empty)), figures) for key, figures in mapping.items()]
        return sorted(result, key=lambda group: (-group.figures.received, group.label))

    return DemandBreakdown(
        total=total,
        by_kind=groups(by_kind, kinds),
        by_channel=groups(by_channel, channels),
        by_department=groups(by_department, departments, no_department),
        per_day=[(day, *per_day.get(day, (0, 0))) for day in period.days if day <= today],
        overdue_now=overdue_all,
    )


# --- Posts ---------------------------------------------------------------------------------------


@dataclass
class PostBreakdown:
    found: int = 0
    relevant: int = 0
    handled: int = 0
    taken_down: int = 0
    by_category: list[tuple[int | None, str, int]] = field(default_factory=list)
    takedown_median_minutes: Decimal | None = None  # opinions.selectors.post_figures, counted live


def post_breakdown(*, period: Period, today: date, stored_days: StoredDays) -> PostBreakdown:
    """``post_figures`` of the period: the stored rows of the last refresh but the stale days', plus,
    live, the stale days and what was found since the refresh (everything live before the first
    rebuild). Reads only."""
    rows: list[dict] = []
    if stored_days.usable:
        stale = _stale_in(period, stored_days.stale_post_days)
        rows.extend(
            stored_sum_kept(
                stored_days,
                "post-days",
                (period.first, period.last, sorted(stale)),
                lambda: list(
                    PostDay.objects.filter(day__gte=period.first, day__lte=period.last)
                    .exclude(day__in=stale)
                    .values("category_id")
                    .annotate(**{name: Sum(name) for name in DAILY_POST_COUNTS})
                    .order_by()
                ),
            )
        )
        rows.extend(post_daily_rows(days=stale, since=stored_days.refreshed_at, start=period.start, end=period.end))
    else:
        rows.extend(post_daily_rows(start=period.start, end=min(period.end, clock.local_midnight(today + ONE_DAY))))
    result = PostBreakdown()
    by_category: dict = defaultdict(int)
    for row in rows:
        for name in DAILY_POST_COUNTS:
            setattr(result, name, getattr(result, name) + (row[name] or 0))
        if row["taken_down"]:
            by_category[row["category_id"]] += row["taken_down"]
    names = dict(ScreeningCategory.objects.filter(pk__in=[k for k in by_category if k]).values_list("pk", "name"))
    result.by_category = sorted(
        ((key, names.get(key, ""), count) for key, count in by_category.items()), key=lambda row: (-row[2], row[1])
    )
    return result


# --- Overdue over time, publicity, duty, tasks ---------------------------------------------------


def overdue_series(*, period: Period, today: date, overdue_now: int) -> list[tuple[date, int]]:
    """Overdue at the end of each day of the period up to yesterday (stored), and now for today."""
    stored = dict(
        OverdueDay.objects.filter(day__gte=period.first, day__lte=min(period.last, today)).values_list("day", "overdue")
    )
    series = [(day, stored.get(day, 0)) for day in period.days if day < today]
    if period.first <= today <= period.last:
        series.append((today, overdue_now))
    return series


@dataclass
class PublicityFigures:
    published: int  # in the period
    progress: QuotaProgress | None  # the bureau's quota of the period's (last) year
    department_progress: list[QuotaProgress]
    cumulative: list[tuple[date, int]]  # published by the end of each day of the year, up to today


def publicity_figures(*, period: Period, today: date) -> PublicityFigures:
    """The period's publicity and the year's quotas, kept while nothing changes
    (``kept_while_unchanged``: every publicity change writes a record): at 1,000,000 demands and
    100,000 publicity posts its grouped counts over the year were about 24 ms of the dashboard."""
    return kept_while_unchanged(
        "dashboard-publicity", (period.first, period.last, today), lambda: _publicity_figures(period, today)
    )


def _publicity_figures(period: Period, today: date) -> PublicityFigures:
    year = period.last.year
    published = (
        PublicityPost.objects.published().filter(published_on__gte=period.first, published_on__lte=period.last).count()
    )
    progress_list = quota_progress_list(year=year, today=today)
    bureau = next((p for p in progress_list if not p.quota.is_scoped), None)
    per_day = dict(
        PublicityPost.objects.published()
        .filter(published_on__gte=date(year, 1, 1), published_on__lte=min(date(year, 12, 31), today))
        .values_list("published_on")
        .annotate(count=Count("pk"))
        .order_by()
    )
    cumulative, running, day = [], 0, date(year, 1, 1)
    while day <= min(date(year, 12, 31), today):
        running += per_day.get(day, 0)
        cumulative.append((day, running))
        day += timedelta(days=1)
    departments = [
        p for p in progress_list if p.quota.department_id and not p.quota.platform_id and not p.quota.platform_kind
    ]
    return PublicityFigures(
        published=published, progress=bureau, department_progress=departments, cumulative=cumulative
    )


@dataclass
class TaskFigures:
    open: int
    overdue: int


def task_figures(*, now: datetime) -> TaskFigures:
    """Tasks handed down still open now, and those overdue now (the task list's "open" and "overdue")."""
    counts = CountyTask.objects.open().aggregate(
        open=Count("pk"), overdue=Count("pk", filter=CountyTaskQuerySet.overdue_q(at=now))
    )
    return TaskFigures(**counts)


# --- The page ------------------------------------------------------------------------------------


@dataclass
class Dashboard:
    period: Period
    today: date
    now: datetime
    demands: DemandBreakdown
    overdue_now: int
    overdue_series: list[tuple[date, int]]
    posts: PostBreakdown
    publicity: PublicityFigures
    duty: DutyFigures
    tasks: TaskFigures
    alerts: AlertFigures
    failing_channels: list[Channel]


def dashboard(*, period: Period, now: datetime | None = None) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries, writing nothing: the stored
    rows of the beat job's last refresh, with what changed since counted live (the days touched
    since instead of their stored rows; what arrived since; the deadlines passed since), so the
    figures are exact and the cost follows the changes since the refresh (``demand_breakdown``)."""
    now = now or clock.now()
    today = _local_day(now)
    with figures_snapshot():
        stored_days = daily_figures_stored_days(now=now)
        demands = demand_breakdown(period=period, today=today, now=now, stored_days=stored_days)
        posts = post_breakdown(period=period, today=today, stored_days=stored_days)
    return Dashboard(
        period=period,
        today=today,
        now=now,
        demands=demands,
        overdue_now=demands.overdue_now,
        overdue_series=overdue_series(period=period, today=today, overdue_now=demands.overdue_now),
        posts=replace(posts, takedown_median_minutes=takedown_median_minutes(start=period.start, end=period.end)),
        publicity=publicity_figures(period=period, today=today),
        duty=duty_figures(start=period.start, end=period.end, now=now),
        tasks=task_figures(now=now),
        alerts=alert_figures(start=period.start, end=period.end),
        failing_channels=failing_channels(),
    )


def _local_day(moment: datetime) -> date:
    return timezone.localdate(moment)


# --- The per-department assessment (年度目标责任制考核) -------------------------------------------


@dataclass(frozen=True)
class DepartmentPublicity:
    """A department's publicity of the year: published posts, and its quota's minimum if it has
    one (None otherwise: the published count still shows, the progress is "—")."""

    published: int
    minimum: int | None


@dataclass
class AssessmentRow:
    """One department's figure sets of the year, read through ``reports.indicators``."""

    department: Department
    demands: Figures
    publicity: DepartmentPublicity
    duty: SignInFigures
    tasks: dict
    score: Score | None = None

    @property
    def sets(self) -> dict:
        return figure_sets(demands=self.demands, publicity=self.publicity, duty=self.duty, tasks=self.tasks)


NO_SIGN_INS = SignInFigures(on_time=0, late=0, missed=0, pending=0)
NO_TASKS = {"received": 0, "special_reports": 0, "assignments": 0, "other": 0, "handled": 0, "on_time": 0, "overdue": 0}


def assessment(*, year: int, now: datetime | None = None) -> list[AssessmentRow]:
    """Per department, for the year: demands (by the department they were assigned to), publicity
    (published by the department, against its quota if it has one), duty sign-ins and tasks handed
    down (by the department the shift or task belonged to when it happened), and the score under the
    year's rules. Reads only what the table needs (stale stored days counted live, as on the
    dashboard), in a fixed number of queries, writing nothing."""
    now = now or clock.now()
    today, period = _local_day(now), year_period(year)
    with figures_snapshot():
        demands = demand_breakdown(period=period, today=today, now=now)
    start, end = clock.year_span(year)
    quotas = {
        progress.quota.department_id: progress.minimum
        for progress in quota_progress_list(year=year, today=today)
        if progress.quota.department_id and not progress.quota.platform_id and not progress.quota.platform_kind
    }
    published = published_by_department(year=year, today=today)
    by_department = {group.key: group.figures for group in demands.by_department}
    sign_ins = sign_ins_by_department(start=start, end=end, now=now)
    tasks = county_tasks_by_department(start=start, end=end, now=now)
    rules = scoring_rules(year=year)
    rows = []
    for department in Department.objects.order_by("sort_order", "name"):
        row = AssessmentRow(
            department=department,
            demands=by_department.get(department.pk) or _empty(department.pk),
            publicity=DepartmentPublicity(published=published.get(department.pk, 0), minimum=quotas.get(department.pk)),
            duty=sign_ins.get(department.pk, NO_SIGN_INS),
            tasks=tasks.get(department.pk, NO_TASKS),
        )
        row.score = department_score(rules, row.sets) if rules else None
        rows.append(row)
    return rows

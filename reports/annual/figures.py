"""The figures of one year, compiled into a JSON-serialisable dict: what an ``AnnualSummary``
stores and what the workbook's overview and the draft text are written from.

Every figure comes from the area's own selector (demand and post figures from
``opinions.selectors.figures``, publicity from ``publicity.selectors``, duty and tasks handed down
from ``assignments.selectors``), so a figure here is the same number as on the dashboard. Only the
counts no selector defines yet (archive records, incidents reported upward, the organisation's
register) are counted here. Quarters and months are cut on local time (``bureau.clock``)."""

from dataclasses import asdict
from datetime import date, datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from archive.models import ArchiveRecord
from assignments.models import IncidentReport
from assignments.selectors import county_task_figures, duty_figures
from bureau import clock
from bureau.models import Department, Equipment, Person, ResponsibilityArea, Section, TrainingRecord
from opinions.models import Demand
from opinions.selectors.demands import demands_visible
from opinions.selectors.figures import demand_figures, post_figures
from publicity.models import PublicityPost
from publicity.selectors import publicity_summary

# The summary describes the whole office, whoever compiles it (or the beat job, with no user).
VIEW_ALL_DEMANDS = "opinions.view_all_demands"


class OfficeWideReader:
    """The reader the summary's demand figures are scoped to: it holds exactly the permission that
    makes ``demands_visible`` return every demand, so the figures are the office's, not one
    person's, and they are computed by ``demand_figures`` itself (no second way to count)."""

    is_authenticated = True
    is_active = True
    pk = None

    def has_perm(self, perm: str, obj=None) -> bool:
        return perm == VIEW_ALL_DEMANDS


OFFICE_WIDE = OfficeWideReader()

QUARTERS = ((1, 3), (4, 6), (7, 9), (10, 12))
DEMAND_COUNTS = ("received", "replied", "replied_on_time", "completed", "overdue", "called_back", "satisfied")
DEMAND_RATES = ("reply_rate", "on_time_rate", "completion_rate", "satisfaction")


def quarter_span(year: int, quarter: int) -> tuple[datetime, datetime]:
    first, last = QUARTERS[quarter - 1]
    return clock.month_span(year, first)[0], clock.month_span(year, last)[1]


def periods(year: int) -> list[tuple[str, str, datetime, datetime]]:
    """(kind, key, start, end) for the four quarters and the twelve months of the year."""
    rows = [("quarter", f"Q{quarter}", *quarter_span(year, quarter)) for quarter in range(1, 5)]
    rows += [("month", f"{year}-{month:02d}", *clock.month_span(year, month)) for month in range(1, 13)]
    return rows


def demand_year_queryset(*, year: int):
    """The demands the summary counts: received in the local year, duplicates merged into another
    demand left out — the same set ``demand_figures`` counts as received."""

    start, end = clock.year_span(year)
    return (
        demands_visible(user=OFFICE_WIDE)
        .filter(received_at__gte=start, received_at__lt=end)
        .exclude(state=Demand.State.MERGED)
    )


def _demand_row(figures, **extra) -> dict:
    row = {name: getattr(figures, name) for name in DEMAND_COUNTS + DEMAND_RATES}
    return {**extra, **row}


def demand_section(*, year: int, now: datetime) -> dict:

    start, end = clock.year_span(year)
    total, by_kind = demand_figures(user=OFFICE_WIDE, start=start, end=end, group_by="kind", now=now)
    _total, by_channel = demand_figures(user=OFFICE_WIDE, start=start, end=end, group_by="channel", now=now)
    _total, by_department = demand_figures(user=OFFICE_WIDE, start=start, end=end, group_by="department", now=now)
    by_period = []
    for kind, key, period_start, period_end in periods(year):
        figures, _rows = demand_figures(user=OFFICE_WIDE, start=period_start, end=period_end, now=now)
        by_period.append(_demand_row(figures, period=kind, key=key))
    return {
        "total": _demand_row(total),
        "by_kind": [_demand_row(row, key=row.key) for row in by_kind],
        "by_channel": [_demand_row(row, key=row.key) for row in by_channel],
        "by_department": [_demand_row(row, key=row.key or "") for row in by_department],
        "by_period": by_period,
    }


def post_section(*, year: int) -> dict:

    def counts(figures) -> dict:
        row = asdict(figures)
        row.pop("taken_down_by_category")
        return row

    total = post_figures(start=clock.year_span(year)[0], end=clock.year_span(year)[1])
    by_period = [
        {"period": kind, "key": key, **counts(post_figures(start=start, end=end))}
        for kind, key, start, end in periods(year)
    ]
    return {
        "total": counts(total),
        "taken_down_by_category": [{"name": name, "count": count} for _pk, name, count in total.taken_down_by_category],
        "by_period": by_period,
    }


def publicity_section(*, year: int, today: date) -> dict:

    summary = publicity_summary(year=year, today=today)
    quotas = [
        {
            "scope": "" if not progress.quota.is_scoped else progress.quota.scope_label,
            "minimum": progress.minimum,
            "published": progress.published,
            "percent": progress.percent,
            "met_on": progress.met_on.isoformat() if progress.met_on else None,
            "is_met_early": progress.is_met_early,
        }
        for progress in summary.progress_list
    ]
    bureau = next((quota for quota in quotas if not quota["scope"]), None)
    by_month = dict(
        PublicityPost.objects.published()
        .filter(published_on__year=year)
        .values_list("published_on__month")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {
        "published": summary.published,
        "quota": bureau,
        "quotas": quotas,
        "outlets": [
            {"name": outlet.name, "level": outlet.level, "kind": outlet.kind, "reports": outlet.reports}
            for outlet in summary.outlets
        ],
        "reports": sum(outlet.reports for outlet in summary.outlets),
        "reports_by_level": summary.reports_by_level,
        "disclosures": sum(summary.disclosures_by_category.values()),
        "published_by_month": [by_month.get(month, 0) for month in range(1, 13)],
    }


def duty_section(*, year: int, now: datetime) -> dict:

    def row(figures, **extra) -> dict:
        return {**extra, **asdict(figures), "on_time_rate": figures.on_time_rate}

    start, end = clock.year_span(year)
    return {
        "total": row(duty_figures(start=start, end=end, now=now)),
        "by_period": [
            row(duty_figures(start=period_start, end=period_end, now=now), period=kind, key=key)
            for kind, key, period_start, period_end in periods(year)
        ],
    }


def task_section(*, year: int, now: datetime) -> dict:

    start, end = clock.year_span(year)
    incidents = dict(
        IncidentReport.objects.filter(reported_at__gte=start, reported_at__lt=end)
        .values_list("level")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {
        "total": county_task_figures(start=start, end=end, now=now),
        "by_period": [
            {"period": kind, "key": key, **county_task_figures(start=period_start, end=period_end, now=now)}
            for kind, key, period_start, period_end in periods(year)
        ],
        "incidents": sum(incidents.values()),
        "incidents_by_level": incidents,
    }


def archive_section(*, year: int, now: datetime) -> dict:
    """Records of the year written before ``now`` (so the compilation's own record is not in it)."""

    start, end = clock.year_span(year)
    records = ArchiveRecord.objects.filter(created_at__gte=start, created_at__lt=min(end, now)).order_by()
    by_action = records.values_list("action").annotate(count=Count("pk")).order_by("-count", "action")
    by_month = (
        records.annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("month")
        .annotate(count=Count("pk"))
        .order_by("month")
    )
    months = {month.month: count for month, count in by_month}
    by_action = [{"action": action, "count": count} for action, count in by_action]
    return {
        "total": sum(row["count"] for row in by_action),
        "by_action": by_action,
        "by_month": [months.get(month, 0) for month in range(1, 13)],
    }


def organisation_section(*, year: int) -> dict:
    """The register as it stands when the summary is compiled: the chain, the team, sections,
    spokespeople and equipment (section 1 of the summary)."""

    chain = ResponsibilityArea.objects.select_related("overall", "lead", "executor")
    people = Person.objects.active().select_related("department")
    equipment = Equipment.objects.values_list("kind").annotate(
        count=Count("pk"), online=Count("pk", filter=Q(is_online=True))
    )
    trainings = TrainingRecord.objects.filter(held_on__year=year).aggregate(count=Count("pk"), hours=Sum("hours"))
    return {
        "chain": [
            {"area": area.name, "overall": area.overall.name, "lead": area.lead.name, "executor": area.executor.name}
            for area in chain
        ],
        "team": len(people),
        "departments": list(Department.objects.values_list("name", flat=True)),
        "spokespeople": [person.name for person in people if person.is_spokesperson],
        "sections": [
            {"site": section.site, "name": section.name, "owner": section.owner.name}
            for section in Section.objects.filter(is_active=True).select_related("owner")
        ],
        "equipment": [
            {"kind": kind, "count": count, "online": online} for kind, count, online in equipment.order_by("kind")
        ],
        "trainings": trainings["count"],
        "training_hours": float(trainings["hours"] or 0),
    }


def annual_figures(*, year: int, now: datetime | None = None) -> dict:
    """Every figure of the year as plain JSON values. ``is_final``: the year had ended at ``now``."""
    now = now or clock.now()
    today = timezone.localdate(now)
    return {
        "year": year,
        "is_final": today > date(year, 12, 31),
        "as_of": now.isoformat(),
        "organisation": organisation_section(year=year),
        "demands": demand_section(year=year, now=now),
        "posts": post_section(year=year),
        "publicity": publicity_section(year=year, today=today),
        "duty": duty_section(year=year, now=now),
        "tasks": task_section(year=year, now=now),
        "archive": archive_section(year=year, now=now),
    }


def has_data(figures: dict) -> bool:
    """Whether anything happened in the year: a demand, a post, publicity, a shift, a task, a record."""
    return any(
        (
            figures["demands"]["total"]["received"],
            figures["posts"]["total"]["found"],
            figures["publicity"]["published"],
            figures["publicity"]["reports"],
            figures["duty"]["total"]["shifts"],
            figures["tasks"]["total"]["received"],
            figures["tasks"]["incidents"],
            figures["archive"]["total"],
        )
    )

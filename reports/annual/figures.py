"""The figures of one year, compiled into a JSON-serialisable dict: what an ``AnnualSummary``
stores and what the workbook's overview and the draft text are written from.

Every figure comes from the area's own selector (demand and post figures from
``opinions.selectors.figures``, publicity from ``publicity.selectors``, duty and tasks handed down
from ``assignments.selectors``), so a figure here is the same number as on the dashboard. Only the
counts no selector defines yet (archive records, incidents reported upward, the organisation's
register) are counted here. Quarters and months are cut on local time (``bureau.clock``)."""

from datetime import date, datetime
from typing import cast

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from alerts.selectors import alert_figures
from archive.models import ArchiveRecord
from assignments.models import IncidentReport
from assignments.selectors import DutyFigures, county_task_figures, duty_figures
from bureau import clock
from bureau.models import Department, Equipment, Person, ResponsibilityArea, Section, TrainingRecord
from opinions.models import Demand
from opinions.selectors.figures import Figures, PostFigures, demands_received, office_demand_figures, post_figures
from opinions.selectors.post_figures import takedown_median_minutes
from publicity.models import PublicityPost
from publicity.selectors import publicity_summary, published_by_department
from reports import indicators
from reports.annual.shapes import (
    AlertSection,
    AnnualFigures,
    ArchiveSection,
    AssessmentRow,
    CategoryCount,
    DemandGroupRow,
    DemandPeriodRow,
    DemandRow,
    DemandSection,
    DepartmentPublicityRow,
    DutyPeriodRow,
    DutyRow,
    DutySection,
    OrganisationSection,
    PostCounts,
    PostPeriodRow,
    PostSection,
    PublicitySection,
    QuotaRow,
    TaskCounts,
    TaskPeriodRow,
    TaskSection,
)
from reports.dashboard.selectors import assessment

QUARTERS = ((1, 3), (4, 6), (7, 9), (10, 12))


def quarter_span(year: int, quarter: int) -> tuple[datetime, datetime]:
    first, last = QUARTERS[quarter - 1]
    return clock.month_span(year, first)[0], clock.month_span(year, last)[1]


def periods(year: int) -> list[tuple[str, str, datetime, datetime]]:
    """(kind, key, start, end) for the four quarters and the twelve months of the year."""
    rows = [("quarter", f"Q{quarter}", *quarter_span(year, quarter)) for quarter in range(1, 5)]
    rows += [("month", f"{year}-{month:02d}", *clock.month_span(year, month)) for month in range(1, 13)]
    return rows


def demand_year_queryset(*, year: int) -> QuerySet[Demand]:
    """The demands the summary counts: received in the local year, duplicates merged into another
    demand left out — the same set ``demand_figures`` counts as received."""
    start, end = clock.year_span(year)
    return demands_received(Demand.objects.all(), start=start, end=end)


def _demand_row(figures: Figures) -> DemandRow:
    """Every demand count and rate of the registry (``reports.indicators``): a count the figures do
    not carry yet is stored as None; a rate as its number of percent (96.3)."""
    row: dict = {name: indicators.read_count(figures, name) for name in indicators.DEMAND_COUNTS}
    row.update({key: indicators.indicator(key).stored(figures) for key in indicators.DEMAND_RATES})
    return cast(DemandRow, row)


def _demand_groups(rows: list[Figures]) -> list[DemandGroupRow]:
    return [DemandGroupRow(**_demand_row(row), key=row.key or "") for row in rows]


def demand_section(*, year: int, now: datetime) -> DemandSection:
    start, end = clock.year_span(year)
    total, by_kind = office_demand_figures(start=start, end=end, group_by="kind", now=now)
    _total, by_channel = office_demand_figures(start=start, end=end, group_by="channel", now=now)
    _total, by_department = office_demand_figures(start=start, end=end, group_by="department", now=now)
    by_period = []
    for kind, key, period_start, period_end in periods(year):
        figures, _rows = office_demand_figures(start=period_start, end=period_end, now=now)
        by_period.append(DemandPeriodRow(**_demand_row(figures), period=kind, key=key))
    return DemandSection(
        total=_demand_row(total),
        by_kind=_demand_groups(by_kind),
        by_channel=_demand_groups(by_channel),
        by_department=_demand_groups(by_department),
        by_period=by_period,
    )


def _post_counts(figures: PostFigures, *, start: datetime, end: datetime) -> PostCounts:
    median = takedown_median_minutes(start=start, end=end)
    return PostCounts(
        found=figures.found,
        relevant=figures.relevant,
        handled=figures.handled,
        taken_down=figures.taken_down,
        handled_rate=indicators.indicator("posts_handled_rate").stored(figures),
        takedown_median_minutes=None if median is None else float(median),
    )


def post_section(*, year: int) -> PostSection:
    start, end = clock.year_span(year)
    total = post_figures(start=start, end=end)
    by_period = [
        PostPeriodRow(
            **_post_counts(post_figures(start=period_start, end=period_end), start=period_start, end=period_end),
            period=kind,
            key=key,
        )
        for kind, key, period_start, period_end in periods(year)
    ]
    return PostSection(
        total=_post_counts(total, start=start, end=end),
        taken_down_by_category=[
            CategoryCount(name=name, count=count) for _pk, name, count in total.taken_down_by_category
        ],
        by_period=by_period,
    )


def publicity_section(*, year: int, today: date) -> PublicitySection:
    summary = publicity_summary(year=year, today=today)
    quotas = [
        QuotaRow(
            scope="" if not progress.quota.is_scoped else str(progress.quota.scope_label),
            minimum=progress.minimum,
            published=progress.published,
            percent=indicators.indicator("quota_progress").stored(progress),
            met_on=progress.met_on.isoformat() if progress.met_on else None,
            is_met_early=progress.is_met_early,
        )
        for progress in summary.progress_list
    ]
    bureau = next((quota for quota in quotas if not quota["scope"]), None)
    minimums = {
        progress.quota.department_id: progress.minimum
        for progress in summary.progress_list
        if progress.quota.department_id and not progress.quota.platform_id and not progress.quota.platform_kind
    }
    published = published_by_department(year=year, today=today)
    by_department = []
    for department in Department.objects.order_by("sort_order", "name"):
        count, minimum = published.get(department.pk, 0), minimums.get(department.pk)
        progress = indicators.indicator("quota_progress").stored({"published": count, "minimum": minimum})
        by_department.append(
            DepartmentPublicityRow(department=department.name, published=count, minimum=minimum, progress=progress)
        )
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
        "by_department": by_department,
        "outlets": [
            {"name": outlet.name, "level": outlet.level, "kind": outlet.kind, "reports": outlet.reports}
            for outlet in summary.outlets
        ],
        "reports": sum(outlet.reports for outlet in summary.outlets),
        "reports_by_level": summary.reports_by_level,
        "disclosures": sum(summary.disclosures_by_category.values()),
        "published_by_month": [by_month.get(month, 0) for month in range(1, 13)],
    }


def _duty_row(figures: DutyFigures) -> DutyRow:
    return DutyRow(
        shifts=figures.shifts,
        understaffed_shifts=figures.understaffed_shifts,
        assignments=figures.assignments,
        due=figures.due,
        on_time=figures.on_time,
        late=figures.late,
        missed=figures.missed,
        pending=figures.pending,
        sign_in_rate=indicators.indicator("sign_in_rate").stored(figures),
    )


def _task_counts(counts: dict) -> TaskCounts:
    return cast(TaskCounts, {**counts, "on_time_rate": indicators.indicator("tasks_on_time_rate").stored(counts)})


def duty_section(*, year: int, now: datetime) -> DutySection:
    start, end = clock.year_span(year)
    return DutySection(
        total=_duty_row(duty_figures(start=start, end=end, now=now)),
        by_period=[
            DutyPeriodRow(**_duty_row(duty_figures(start=period_start, end=period_end, now=now)), period=kind, key=key)
            for kind, key, period_start, period_end in periods(year)
        ],
    )


def task_section(*, year: int, now: datetime) -> TaskSection:
    start, end = clock.year_span(year)
    incidents = dict(
        IncidentReport.objects.filter(reported_at__gte=start, reported_at__lt=end)
        .values_list("level")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {
        "total": _task_counts(county_task_figures(start=start, end=end, now=now)),
        "by_period": [
            cast(
                TaskPeriodRow,
                {
                    "period": kind,
                    "key": key,
                    **_task_counts(county_task_figures(start=period_start, end=period_end, now=now)),
                },
            )
            for kind, key, period_start, period_end in periods(year)
        ],
        "incidents": sum(incidents.values()),
        "incidents_by_level": incidents,
    }


def alert_section(*, year: int) -> AlertSection:
    """Alerts raised in the year (``alerts.selectors.alert_figures``, as the dashboard shows them)."""
    start, end = clock.year_span(year)
    figures = alert_figures(start=start, end=end)
    median, in_time = figures.median_minutes, figures.in_time_rate
    return AlertSection(
        raised=figures.raised,
        acknowledged=figures.acknowledged,
        acknowledged_in_time=figures.acknowledged_in_time,
        median_minutes=None if median is None else float(median),
        in_time_rate=None if in_time is None else float(in_time),
    )


def archive_section(*, year: int, now: datetime) -> ArchiveSection:
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


def organisation_section(*, year: int) -> OrganisationSection:
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


def assessment_section(*, year: int, now: datetime) -> list[AssessmentRow]:
    """The department assessment of the year (``reports.dashboard.selectors.assessment``), as the
    page shows it at ``now``: each area's counts and the score and tier."""
    rows = []
    for row in assessment(year=year, now=now):
        score = row.score if row.score and row.score.maximum else None
        sets = row.sets
        rows.append(
            AssessmentRow(
                department=row.department.name,
                demands=indicators.stored_counts(indicators.DEMANDS, sets[indicators.DEMANDS]),
                publicity=indicators.stored_counts(indicators.PUBLICITY, sets[indicators.PUBLICITY]),
                duty=indicators.stored_counts(indicators.DUTY, sets[indicators.DUTY]),
                tasks=indicators.stored_counts(indicators.TASKS, sets[indicators.TASKS]),
                score=float(score.points) if score else None,
                maximum=float(score.maximum) if score else None,
                tier=score.tier.value if score and score.tier else "",
            )
        )
    return rows


def annual_figures(*, year: int, now: datetime | None = None) -> AnnualFigures:
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
        "alerts": alert_section(year=year),
        "archive": archive_section(year=year, now=now),
        "assessment": assessment_section(year=year, now=now),
    }


def has_data(figures: AnnualFigures) -> bool:
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

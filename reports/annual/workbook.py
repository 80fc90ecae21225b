"""The annual summary workbook: one sheet per area, in the order of the summary.

The overview sheet is written from the compiled figures (``reports.annual.figures``), so its
numbers are the stored summary's; the other sheets list the year's rows (all demands, takedowns,
shifts, tasks) from the database, streamed through ``.iterator()`` into a write-only workbook so
memory stays flat however large the year. Headings are English source strings translated into
the language given (Chinese by default)."""

from collections.abc import Callable, Iterator

from django.db import connection, transaction
from django.db.models import BooleanField, Count, ExpressionWrapper
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from archive.labels import action_label
from archive.models import ArchiveRecord
from assignments.models import CountyTask, IncidentReport, ShiftAssignment
from bureau import clock
from bureau.exports import Heading, Sheet, write_xlsx
from opinions.models import Demand, DemandKind, Post, overdue_q, replied_on_time_q
from publicity.models import MediaCoverage
from reports import indicators
from reports.annual.figures import demand_year_queryset
from reports.annual.labels import demand_kind_label, outlet_kind_label, outlet_level_label, period_label
from reports.dashboard.assessment_table import COLUMNS as ASSESSMENT_COLUMNS
from reports.dashboard.assessment_table import assessment_header
from reports.scoring import Tier

CHUNK = 2_000


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


# --- 概况: every figure, by quarter and month -----------------------------------------------------


def overview_header(year: int) -> list[str]:
    quarters = [period_label(f"Q{quarter}") for quarter in range(1, 5)]
    months = [period_label(f"{year}-{month:02d}") for month in range(1, 13)]
    return [_("Figure"), _("Year %(year)s") % {"year": year}, *quarters, *months]


def overview_rows(figures: dict) -> Iterator[list]:
    """Every indicator of the registry (``reports.indicators.OVERVIEW``) for the year, each quarter
    and each month: counts as numbers, rates as the rounded value every surface shows."""
    for item in indicators.indicators(indicators.OVERVIEW):
        section = figures[item.source]
        yield [str(item.label), item.cell(section["total"]), *(item.cell(row) for row in section["by_period"])]
    publicity = figures["publicity"]
    by_month = publicity["published_by_month"]
    quarters = [sum(by_month[first - 1 : first + 2]) for first in (1, 4, 7, 10)]
    yield [str(indicators.indicator("publicity_published").label), publicity["published"], *quarters, *by_month]
    if publicity["quota"]:
        quota = publicity["quota"]
        yield [str(indicators.indicator("publicity_quota").label), quota["minimum"]]
        yield [str(indicators.indicator("quota_progress").label), indicators.indicator("quota_progress").cell(quota)]
    archive = figures["archive"]
    by_month = archive["by_month"]
    quarters = [sum(by_month[first - 1 : first + 2]) for first in (1, 4, 7, 10)]
    yield [_("Archive records"), archive["total"], *quarters, *by_month]
    alerts = figures.get("alerts")  # absent from summaries compiled before the alerts app
    if alerts:
        # The year's figures only, as the summary page shows them (alerts.selectors.alert_figures).
        yield [_("Alerts raised"), alerts["raised"]]
        yield [_("Acknowledged in time"), alerts["acknowledged_in_time"]]
        yield [_("Median minutes to acknowledge"), alerts["median_minutes"]]
    columns = indicators.indicators(indicators.GROUP_COLUMNS)
    for title, key, labeller in (
        (_("Demands by kind"), "by_kind", demand_kind_label),
        (_("Demands by channel"), "by_channel", str),
        (_("Demands by department"), "by_department", lambda key: key or _("No department")),
    ):
        yield []
        yield [Heading(title), *(Heading(str(item.label)) for item in columns)]
        for row in figures["demands"][key]:
            yield [labeller(row["key"]), *(item.cell(row) for item in columns)]


# --- 诉求: every demand of the year with its handling ----------------------------------------------

DEMAND_COLUMNS = (
    "pk",
    "received_at",
    "kind",
    "channel__name",
    "subject",
    "department__name",
    "handler__name",
    "state",
    "due_at",
    "first_replied_at",
    "completed_at",
    "satisfaction",
    "was_overdue",
)


def demand_header() -> list[str]:
    return [
        _("Number"),
        _("Received at"),
        _("Kind"),
        _("Channel"),
        _("Subject"),
        _("Department"),
        _("Handler"),
        _("State"),
        _("Reply due at"),
        _("First replied at"),
        _("Replied on time"),
        _("Completed at"),
        _("Call-back result"),
        _("Overdue now"),
    ]


def demand_rows(*, year: int, now) -> Iterator[list]:
    """The year's demands, oldest first: the set ``demand_figures`` counts as received, so the
    sheet has as many rows as the overview's "Demands received"."""
    kinds = {key: demand_kind_label(key) for key in DemandKind.values}
    states = {key: str(label) for key, label in Demand.State.choices}
    satisfaction = {key: str(label) for key, label in Demand.Satisfaction.choices}
    rows = (
        demand_year_queryset(year=year)
        .annotate(
            is_on_time=ExpressionWrapper(replied_on_time_q(), output_field=BooleanField()),
            is_overdue=ExpressionWrapper(overdue_q(now), output_field=BooleanField()),
        )
        .order_by("received_at", "pk")
        .values_list(*DEMAND_COLUMNS, "is_on_time", "is_overdue")
    )
    for (
        pk,
        received,
        kind,
        channel,
        subject,
        department,
        handler,
        state,
        due,
        replied,
        completed,
        called_back,
        _was_overdue,
        is_on_time,
        is_overdue,
    ) in rows.iterator(chunk_size=CHUNK):
        yield [
            pk,
            received,
            kinds.get(kind, kind),
            channel,
            subject,
            department or "",
            handler or "",
            states.get(state, state),
            due,
            replied,
            _yes_no(is_on_time),
            completed,
            satisfaction.get(called_back, ""),
            _yes_no(is_overdue),
        ]


# --- 帖子: posts found, takedowns by category ----------------------------------------------------


def post_rows(*, year: int, figures: dict) -> Iterator[list]:

    posts = figures["posts"]
    for row in [{"key": str(year), **posts["total"]}] + [r for r in posts["by_period"]]:
        yield [period_label(row["key"]), row["found"], row["relevant"], row["handled"], row["taken_down"]]
    yield []
    yield [Heading(_("Takedowns by category")), Heading(_("Posts taken down"))]
    for row in posts["taken_down_by_category"]:
        yield [row["name"] or _("No category"), row["count"]]
    yield []
    yield [
        Heading(_("Found at")),
        Heading(_("Channel")),
        Heading(_("Title")),
        Heading(_("Author")),
        Heading(_("Category")),
        Heading(_("Taken down at")),
        Heading(_("Reason")),
    ]
    start, end = clock.year_span(year)
    taken_down = (
        Post.objects.filter(found_at__gte=start, found_at__lt=end, status=Post.Status.TAKEN_DOWN)
        .order_by("found_at", "pk")
        .values_list("found_at", "channel__name", "title", "author", "category__name", "decided_at", "decision_reason")
    )
    for found, channel, title, author, category, decided, reason in taken_down.iterator(chunk_size=CHUNK):
        yield [found, channel, title, author, category or "", decided, reason]


# --- 宣传: publicity against the quota, coverage by outlet -----------------------------------------


def publicity_rows(*, year: int, figures: dict) -> Iterator[list]:

    publicity = figures["publicity"]
    progress = indicators.indicator("quota_progress")
    for quota in publicity["quotas"]:
        yield [
            quota["scope"] or _("The whole bureau"),
            quota["minimum"],
            quota["published"],
            progress.cell(quota),
            quota["met_on"] or "",
            _yes_no(quota["is_met_early"]),
        ]
    # Every department's published count, with or without a quota of its own.
    yield []
    yield [Heading(_("Department")), Heading(_("Minimum")), Heading(_("Published")), Heading(_("Progress"))]
    for row in publicity.get("by_department", []):
        yield [row["department"], row["minimum"], row["published"], progress.cell(row)]
    yield []
    yield [Heading(_("Month")), Heading(_("Published"))]
    for month, count in enumerate(publicity["published_by_month"], start=1):
        yield [period_label(f"{year}-{month:02d}"), count]
    yield [_("Year %(year)s") % {"year": year}, publicity["published"]]
    yield []
    yield [Heading(_("Outlet")), Heading(_("Level")), Heading(_("Type")), Heading(_("Reports"))]
    for outlet in publicity["outlets"]:
        level, kind = outlet_level_label(outlet["level"]), outlet_kind_label(outlet["kind"])
        yield [outlet["name"], level, kind, outlet["reports"]]
    yield []
    yield [Heading(_("Reported on")), Heading(_("Outlet")), Heading(_("Title")), Heading(_("Link"))]
    coverage = (
        MediaCoverage.objects.filter(reported_on__year=year)
        .order_by("reported_on", "pk")
        .values_list("reported_on", "outlet__name", "title", "link")
    )
    for row in coverage.iterator(chunk_size=CHUNK):
        yield list(row)


# --- 值班: shifts and sign-ins ---------------------------------------------------------------------


def duty_rows(*, year: int, figures: dict, now) -> Iterator[list]:

    duty = figures["duty"]
    for row in [{"key": str(year), **duty["total"]}] + duty["by_period"]:
        yield [
            period_label(row["key"]),
            row["shifts"],
            row["understaffed_shifts"],
            row["assignments"],
            row["on_time"],
            row["late"],
            row["missed"],
            indicators.indicator("sign_in_rate").cell(row),
        ]
    yield []
    yield [
        Heading(_("Date")),
        Heading(_("Shift")),
        Heading(_("Person")),
        Heading(_("Starts at")),
        Heading(_("Sign in by")),
        Heading(_("Signed in at")),
        Heading(_("Sign-in")),
    ]
    start, end = clock.year_span(year)
    assignments = (
        ShiftAssignment.objects.filter(shift__starts_at__gte=start, shift__starts_at__lt=end)
        .order_by("shift__starts_at", "pk")
        .values_list(
            "shift__on",
            "shift__shift_type__name",
            "person__name",
            "shift__starts_at",
            "shift__sign_in_due_at",
            "signed_in_at",
            "shift__ends_at",
        )
    )
    for on, shift, person, starts, due, signed, ends in assignments.iterator(chunk_size=CHUNK):
        if signed is not None:
            status = _("on time") if signed <= due else _("late")
        else:
            status = _("missed") if ends <= now else _("not yet due")
        yield [on, shift, person, starts, due, signed, status]


# --- 交办: tasks handed down and reports upward -------------------------------------------------------


def task_rows(*, year: int, figures: dict, now) -> Iterator[list]:

    kinds = {key: str(label) for key, label in CountyTask.Kind.choices}
    states = {key: str(label) for key, label in CountyTask.State.choices}
    start, end = clock.year_span(year)
    tasks = (
        CountyTask.objects.filter(received_at__gte=start, received_at__lt=end)
        .order_by("received_at", "pk")
        .values_list(
            "reference",
            "kind",
            "title",
            "issued_by",
            "received_at",
            "due_at",
            "handler__name",
            "state",
            "feedback_approved_at",
        )
    )
    for reference, kind, title, issued_by, received, due, handler, state, approved in tasks.iterator(chunk_size=CHUNK):
        yield [
            reference,
            kinds.get(kind, kind),
            title,
            issued_by,
            received,
            due,
            handler or "",
            states.get(state, state),
            approved,
            _yes_no(approved is not None and approved <= due),
        ]
    yield []
    yield [
        Heading(_("Reports upward")),
        Heading(_("Level")),
        Heading(_("Reported to")),
        Heading(_("Reported at")),
        Heading(_("Response plan")),
    ]
    levels = {key: str(label) for key, label in IncidentReport.Level.choices}
    reports = (
        IncidentReport.objects.filter(reported_at__gte=start, reported_at__lt=end)
        .order_by("reported_at", "pk")
        .values_list("title", "level", "reported_to", "reported_at", "response_plan__title")
    )
    for title, level, reported_to, reported_at, plan in reports:
        yield [title, levels.get(level, level), reported_to, reported_at, plan or ""]


# --- 档案: records by action and month --------------------------------------------------------------


def archive_rows(*, year: int, figures: dict, now) -> Iterator[list]:

    start, end = clock.year_span(year)
    grouped = (
        ArchiveRecord.objects.filter(created_at__gte=start, created_at__lt=min(end, now))
        .annotate(month=TruncMonth("created_at", tzinfo=timezone.get_current_timezone()))
        .values_list("action", "month")
        .annotate(count=Count("pk"))
        .order_by()
    )
    matrix: dict[str, list[int]] = {}
    for action, month, count in grouped:
        matrix.setdefault(action, [0] * 12)[month.month - 1] = count
    for row in figures["archive"]["by_action"]:
        months = matrix.get(row["action"], [0] * 12)
        yield [action_label(row["action"]), row["count"], *months]
    yield [Heading(_("All records")), figures["archive"]["total"], *figures["archive"]["by_month"]]


# --- 考核: the department assessment as compiled, score and tier ----------------------------------


def assessment_rows(*, figures: dict) -> Iterator[list]:
    """The assessment table's columns (``reports.dashboard.assessment_table``) from the stored
    counts: rates recomputed once by the registry, so the cells are the page's numbers."""
    tiers = {key: str(label) for key, label in Tier.choices}
    for row in figures.get("assessment", []):
        yield [
            row["department"],
            *(item.cell(row[item.source]) for item in ASSESSMENT_COLUMNS),
            row["score"],
            row["maximum"],
            tiers.get(row["tier"], "—"),
        ]


# 概况, 诉求, 帖子, 宣传, 值班, 交办, 档案 in Chinese: a context of their own, so the short sheet
# names do not clash with the same English words elsewhere. Literal calls, so makemessages sees them.
SHEET_TITLES = {
    "Overview": pgettext_lazy("annual summary sheet", "Overview"),
    "Demands": pgettext_lazy("annual summary sheet", "Demands"),
    "Posts": pgettext_lazy("annual summary sheet", "Posts"),
    "Publicity": pgettext_lazy("annual summary sheet", "Publicity"),
    "Duty": pgettext_lazy("annual summary sheet", "Duty"),
    "Tasks handed down": pgettext_lazy("annual summary sheet", "Tasks handed down"),
    "Archive": pgettext_lazy("annual summary sheet", "Archive"),
    "Assessment": pgettext_lazy("annual summary sheet", "Assessment"),
}


def sheet_title(name: str) -> str:
    return str(SHEET_TITLES[name])


def annual_sheets(*, year: int, figures: dict, now) -> list[Sheet]:
    months = [period_label(f"{year}-{month:02d}") for month in range(1, 13)]
    post_header = [_("Period"), _("Found"), _("Relevant"), _("Handled"), _("Taken down"), "", ""]
    publicity_header = [_("Quota"), _("Minimum"), _("Published"), _("Progress"), _("Met on"), _("Met early")]
    duty_header = [
        _("Period"),
        _("Shifts"),
        _("Short of people"),
        _("Assignments"),
        _("On time"),
        _("Late"),
        _("Missed"),
        _("Sign-in rate"),
    ]
    task_header = [
        _("Reference"),
        _("Type"),
        _("Title"),
        _("Issued by"),
        _("Received at"),
        _("Feedback due by"),
        _("Handler"),
        _("State"),
        _("Feedback approved at"),
        _("On time"),
    ]
    return [
        Sheet(sheet_title("Overview"), overview_header(year), overview_rows(figures), widths=[28, 12] + [10] * 16),
        Sheet(
            sheet_title("Demands"),
            demand_header(),
            demand_rows(year=year, now=now),
            widths=[10, 17, 10, 16, 40, 14, 10, 12, 17, 17, 10, 17, 12, 10],
        ),
        Sheet(
            sheet_title("Posts"),
            post_header,
            post_rows(year=year, figures=figures),
            widths=[17, 16, 40, 14, 14, 17, 30],
        ),
        Sheet(
            sheet_title("Publicity"),
            publicity_header,
            publicity_rows(year=year, figures=figures),
            widths=[24, 16, 40, 30, 12, 12],
        ),
        Sheet(
            sheet_title("Duty"),
            duty_header,
            duty_rows(year=year, figures=figures, now=now),
            widths=[14, 10, 12, 17, 17, 17, 12, 12],
        ),
        Sheet(
            sheet_title("Tasks handed down"),
            task_header,
            task_rows(year=year, figures=figures, now=now),
            widths=[24, 16, 40, 16, 17, 17, 10, 14, 17, 8],
        ),
        Sheet(
            sheet_title("Archive"),
            [_("Action"), _("Year %(year)s") % {"year": year}, *months],
            archive_rows(year=year, figures=figures, now=now),
            widths=[36, 10] + [9] * 12,
        ),
        Sheet(
            sheet_title("Assessment"),
            assessment_header(),
            assessment_rows(figures=figures),
            widths=[16] + [11] * len(ASSESSMENT_COLUMNS) + [8, 8, 8],
        ),
    ]


def write_annual_workbook(
    *,
    year: int,
    figures: dict,
    stream,
    language: str = "zh-hans",
    now=None,
    progress: Callable[[str, int], None] | None = None,
) -> None:
    """Write the workbook of the year into ``stream`` (a binary file). ``figures`` is a compiled
    figures dict (``annual_figures``); ``now`` decides what is overdue in the demand list and
    defaults to the moment the figures were compiled, so the list agrees with them."""
    from datetime import datetime

    now = now or datetime.fromisoformat(figures["as_of"])
    # One transaction: PostgreSQL then streams the rows through a plain server-side cursor (outside
    # one, Django declares it WITH HOLD, which materialises the whole result first). A large year
    # takes longer than the statement timeout meant for pages.
    with translation.override(language), transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = 0")
        write_xlsx(annual_sheets(year=year, figures=figures, now=now), stream, progress=progress)

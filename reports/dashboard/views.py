"""The supervisors' dashboard and the per-department assessment table."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from bureau import clock
from bureau.bounds import requested_year
from bureau.exports import xlsx_response
from events.selectors import overdue_clock_count, overdue_clocks
from reports import indicators
from reports.dashboard import charts
from reports.dashboard.assessment_table import assessment_header, assessment_page_rows, assessment_sheet
from reports.dashboard.links import Links
from reports.dashboard.selectors import PERIODS, assessment, dashboard, period_for, year_period

# The demand list's own filters behind a card (the list shows the same count).
CARD_LISTS = {
    "received": "received",
    "replied": "replied",
    "replied_on_time": "replied_on_time",
    "completed": "completed",
    "overdue": "overdue",
    "satisfaction": "called_back",
}


def demand_cards(figures, links: Links) -> list[dict]:
    """One card per indicator of ``DASHBOARD_DEMAND_CARDS``, its value as every surface shows it."""
    return [
        {
            "label": item.label,
            "value": item.text(figures),
            "url": links.demands(CARD_LISTS[item.key]) if item.key in CARD_LISTS else "",
            "key": item.key,
        }
        for item in indicators.indicators(indicators.DASHBOARD_DEMAND_CARDS)
    ]


def group_rows(groups, links: Links, param: str) -> list[dict]:
    return [
        {
            "label": group.label,
            "figures": group.figures,
            **{key: indicators.indicator(key).text(group.figures) for key in indicators.GROUP_TABLE_RATES},
            "url": links.demands("received", **{param: group.key}) if group.key else "",
            "replied_url": links.demands("replied", **{param: group.key}) if group.key else "",
        }
        for group in groups
    ]


RECEIVED_TITLES = {
    charts.DAY: gettext_lazy("Demands received and replied per day"),
    charts.WEEK: gettext_lazy("Demands received and replied per week"),
    charts.MONTH: gettext_lazy("Demands received and replied per month"),
}


def received_chart(per_day) -> charts.Chart:
    """Received and replied side by side, per day, week or month as the length of the period asks."""
    days = [day for day, _received, _replied in per_day]
    columns = [[received for _day, received, _replied in per_day], [replied for _day, _received, replied in per_day]]
    unit, buckets = charts.group_days(days, columns)
    return charts.column_chart(
        title=str(RECEIVED_TITLES[unit]), unit=unit, buckets=buckets, names=[_("Received"), _("Replied")]
    )


def _date(value: str | None) -> date | None:
    try:
        return parse_date(value or "")
    except ValueError:
        return None


class DashboardView(PermissionRequiredMixin, TemplateView):
    permission_required = "bureau.view_dashboard"
    template_name = "reports/dashboard/dashboard.html"

    def _explain_range(self, first: date | None, last: date | None, period) -> None:
        """Say so when the dates asked for are not the dates shown."""
        if not (first and last):
            messages.warning(self.request, _("Give a valid start and end date. This year is shown instead."))
        elif last < first:
            messages.info(self.request, _("The start date was after the end date, so the two were swapped."))
        elif period.first != first:
            messages.info(
                self.request,
                _("A range covers at most three years: shown from %(first)s to %(last)s.")
                % {"first": period.first.isoformat(), "last": period.last.isoformat()},
            )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET
        today = clock.today()
        first, last = _date(params.get("from")), _date(params.get("to"))
        period = period_for(key=params.get("period"), today=today, first=first, last=last)
        if params.get("period") == "range":
            self._explain_range(first, last, period)
        board = dashboard(period=period)
        by_channel = [(group.label, group.figures.received) for group in board.demands.by_channel]
        publicity = board.publicity
        links = Links(period=period)
        posts = board.posts
        context.update(
            demand_cards=demand_cards(board.demands.total, links),
            by_kind=group_rows(board.demands.by_kind, links, "kind"),
            by_channel=group_rows(board.demands.by_channel, links, "channel"),
            by_department=group_rows(board.demands.by_department, links, "case_department"),
            post_cards=[
                {"label": _("Posts found"), "value": posts.found, "url": links.posts(), "key": "found"},
                {
                    "label": _("Relevant to the bureau"),
                    "value": posts.relevant,
                    "url": links.posts(relevant="on"),
                    "key": "relevant",
                },
                {
                    "label": _("Taken down"),
                    "value": posts.taken_down,
                    "url": links.posts(status="taken_down"),
                    "key": "taken_down",
                },
                *(
                    {"label": item.label, "value": item.text(posts), "url": "", "key": item.key}
                    for item in indicators.indicators(indicators.DASHBOARD_POST_CARDS)
                ),
            ],
            takedowns=[
                {
                    "label": name or _("No category"),
                    "value": count,
                    "url": links.posts(status="taken_down", category=pk) if pk else "",
                }
                for pk, name, count in posts.by_category
            ],
            overdue_now_url=links.overdue_now(),
            publicity_url=links.publicity(),
            publicity_year_url=links.publicity(first=date(period.last.year, 1, 1), last=date(period.last.year, 12, 31)),
            tasks_open_url=links.tasks("open"),
            tasks_overdue_url=links.tasks("overdue"),
            duty_rate=indicators.indicator("sign_in_rate").text(board.duty),
            duty_rate_label=indicators.indicator("sign_in_rate").label,
            board=board,
            overdue_event_clocks=list(overdue_clocks(at=clock.now(), limit=10)),
            overdue_event_clock_count=overdue_clock_count(at=clock.now()),
            periods=[(key, label) for key, label in PERIODS.items() if key != "range"],
            chart_received=received_chart(board.demands.per_day),
            chart_channels=charts.bar_chart(title=_("Demands by channel"), rows=by_channel),
            chart_quota=charts.quota_chart(
                title=_("Publicity published through the year against the quota"),
                cumulative=publicity.cumulative,
                minimum=publicity.progress.minimum if publicity.progress else None,
                year=period.last.year,
            ),
            chart_overdue=charts.line_chart(
                title=_("Demands overdue at the end of each day"),
                days=[day for day, _count in board.overdue_series],
                series=[(_("Overdue"), [count for _day, count in board.overdue_series])],
            ),
        )
        return context


def _assessment_year(request) -> int:
    return requested_year(request.GET.get("year"))


class AssessmentView(PermissionRequiredMixin, TemplateView):
    """年度目标责任制考核: per department, the year's figures, score and tier."""

    permission_required = "bureau.view_dashboard"
    template_name = "reports/dashboard/assessment.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = clock.today()
        year = _assessment_year(self.request)
        links = Links(period=year_period(year))
        rows = assessment_page_rows(assessment(year=year))
        for item in rows:
            department = item["row"].department.pk
            item["demands_url"] = links.demands("received", case_department=department)
            item["publicity_url"] = links.publicity(department=department)
        context.update(
            year=year,
            years=list(range(today.year, today.year - 6, -1)),
            header=assessment_header()[1:],
            rows=rows,
            has_rules=any(item["row"].score for item in rows),
        )
        return context


class AssessmentExportView(PermissionRequiredMixin, View):
    """The assessment table as an xlsx workbook: the same figures, score and tier as the page."""

    permission_required = "bureau.view_dashboard"

    def get(self, request):
        year = _assessment_year(request)
        return xlsx_response(
            filename=f"assessment-{year}.xlsx", sheets=[assessment_sheet(year=year, rows=assessment(year=year))]
        )

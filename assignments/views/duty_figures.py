"""Duty and task figures per year and per month (for the annual summary), as a page and a workbook."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from assignments import selectors
from bureau import clock
from bureau.bounds import requested_year
from bureau.exports import Sheet, xlsx_response


class FiguresView(PermissionRequiredMixin, TemplateView):
    """Duty and task figures per year and per month, for the annual summary."""

    permission_required = "assignments.view_all_tasks"
    template_name = "assignments/figures.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = requested_year(self.request.GET.get("year"))
        start, end = clock.year_span(year)
        months = []
        for month in range(1, 13):
            month_start, month_end = clock.month_span(year, month)
            months.append((month, selectors.duty_figures(start=month_start, end=month_end)))
        context.update(
            year=year,
            duty=selectors.duty_figures(start=start, end=end),
            months=months,
            tasks=selectors.county_task_figures(start=start, end=end),
            previous=year - 1,
            next=year + 1,
        )
        return context


class FiguresExportView(PermissionRequiredMixin, View):
    """The same figures as the page, as a workbook: one number per figure everywhere."""

    permission_required = "assignments.view_all_tasks"

    def get(self, request):
        year = requested_year(request.GET.get("year"))
        header = [_("Period"), _("Shifts"), _("Understaffed"), _("Signed in on time"), _("Late"), _("Missed")]
        rows = []
        for month in range(1, 13):
            figures = selectors.duty_figures(
                start=clock.month_span(year, month)[0], end=clock.month_span(year, month)[1]
            )
            rows.append([f"{year}-{month:02d}", *_duty_row(figures)])
        start, end = clock.year_span(year)
        rows.append([str(year), *_duty_row(selectors.duty_figures(start=start, end=end))])
        tasks = selectors.county_task_figures(start=start, end=end)
        task_rows = [
            [_("Received"), tasks["received"]],
            [_("Opinion special reports"), tasks["special_reports"]],
            [_("Opinion assignments"), tasks["assignments"]],
            [_("Other"), tasks["other"]],
            [_("Handled (feedback approved)"), tasks["handled"]],
            [_("Feedback on time"), tasks["on_time"]],
            [_("Overdue"), tasks["overdue"]],
        ]
        return xlsx_response(
            filename=f"duty-and-tasks-{year}.xlsx",
            sheets=[
                Sheet(_("Duty and sign-in"), header, rows),
                Sheet(_("Tasks handed down"), [_("Figure"), _("Count")], task_rows),
            ],
        )


def _duty_row(figures) -> list[int]:
    return [figures.shifts, figures.understaffed_shifts, figures.on_time, figures.late, figures.missed]

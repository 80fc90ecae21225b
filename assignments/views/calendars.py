"""The duty calendars: the week's and the month's shifts, and the roster printed on one A4 page,
as Word and as a workbook."""

import calendar
from datetime import date, timedelta

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.urls import reverse
from django.views.generic import TemplateView

from assignments import roster_sheets, selectors
from assignments.models import Shift
from bureau import clock
from bureau.bounds import requested_day
from bureau.documents import docx_response
from bureau.exports import xlsx_response


def _calendar_days(start: date, end: date):
    shifts = selectors.shift_list(start=start, end=end)
    by_day: dict[date, list[Shift]] = {}
    for shift in shifts:
        by_day.setdefault(shift.on, []).append(shift)
    return by_day


class WeekView(PermissionRequiredMixin, TemplateView):
    permission_required = "assignments.view_duty"
    template_name = "assignments/week.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = clock.today()
        start = requested_day(self.request.GET.get("start"), today)
        start -= timedelta(days=start.weekday())
        end = start + timedelta(days=6)
        by_day = _calendar_days(start, end)
        context.update(
            start=start,
            end=end,
            today=today,
            days=[(start + timedelta(days=n), by_day.get(start + timedelta(days=n), [])) for n in range(7)],
            previous=start - timedelta(days=7),
            next=start + timedelta(days=7),
        )
        return context


class MonthView(PermissionRequiredMixin, TemplateView):
    permission_required = "assignments.view_duty"
    template_name = "assignments/month.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = clock.today()
        first = requested_day((self.request.GET.get("month") or "") + "-01", today.replace(day=1)).replace(day=1)
        weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
        by_day = _calendar_days(weeks[0][0], weeks[-1][-1])
        context.update(
            first=first,
            today=today,
            weeks=[[(day, by_day.get(day, [])) for day in week] for week in weeks],
            previous=(first - timedelta(days=1)).replace(day=1),
            next=(first + timedelta(days=32)).replace(day=1),
        )
        return context


class RosterPrintBase(PermissionRequiredMixin, TemplateView):
    """The week's or month's roster on one A4 page, with everyone's phones; its Word and xlsx forms
    (``RosterWordMixin``, ``RosterExportMixin``) read the same ``roster_sheets.roster_for``."""

    permission_required = "assignments.view_duty"
    template_name = "assignments/roster_print.html"
    is_month = False

    def roster(self) -> roster_sheets.Roster:
        today = clock.today()
        if self.is_month:
            first = requested_day((self.request.GET.get("month") or "") + "-01", today.replace(day=1))
            start, end = roster_sheets.month_span(first)
            return roster_sheets.roster_for(start=start, end=end, title=roster_sheets.month_title(start))
        start, end = roster_sheets.week_span(requested_day(self.request.GET.get("start"), today))
        return roster_sheets.roster_for(start=start, end=end, title=roster_sheets.week_title(start, end))

    def period_query(self, roster: roster_sheets.Roster) -> str:
        return f"month={roster.start:%Y-%m}" if self.is_month else f"start={roster.start:%Y-%m-%d}"

    def filename(self, roster: roster_sheets.Roster, extension: str) -> str:
        period = f"{roster.start:%Y-%m}" if self.is_month else f"{roster.start:%Y%m%d}"
        return f"roster-{period}.{extension}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roster, kind = self.roster(), "month" if self.is_month else "week"
        query = self.period_query(roster)
        context.update(
            roster=roster,
            is_month=self.is_month,
            now=clock.now(),
            back_url=f"{reverse(f'assignments:{kind}')}?{query}",
            word_url=f"{reverse(f'assignments:{kind}-word')}?{query}",
            export_url=f"{reverse(f'assignments:{kind}-export')}?{query}",
        )
        return context


class RosterWordMixin:
    def get(self, request, *args, **kwargs):
        roster = self.roster()
        document = roster_sheets.roster_document(roster, phones_in_cells=not self.is_month)
        return docx_response(filename=self.filename(roster, "docx"), sheet=document)


class RosterExportMixin:
    def get(self, request, *args, **kwargs):
        roster = self.roster()
        return xlsx_response(filename=self.filename(roster, "xlsx"), sheets=[roster_sheets.roster_sheet(roster)])


class WeekPrintView(RosterPrintBase):
    pass


class WeekWordView(RosterWordMixin, RosterPrintBase):
    pass


class WeekExportView(RosterExportMixin, RosterPrintBase):
    pass


class MonthPrintView(RosterPrintBase):
    is_month = True


class MonthWordView(RosterWordMixin, RosterPrintBase):
    is_month = True


class MonthExportView(RosterExportMixin, RosterPrintBase):
    is_month = True

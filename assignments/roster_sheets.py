"""The week and month duty rosters on paper, in Word and in Excel: one read (``roster_for``) laid out
three ways — the printable page (a row per day, a column per kind of shift, then everyone on the
roster with their phones), the .docx of the same content and the xlsx (one row per person on a shift)."""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.models import Shift, ShiftType
from assignments.selectors import roster_shifts
from bureau.documents import SMALL_TABLE_SIZE, TEXT_WIDTH_MM, Label, SheetDocument, Table
from bureau.exports import Sheet
from bureau.models import Person


@dataclass
class RosterDay:
    day: date
    cells: list[list[Shift]]  # one list per kind of shift (empty: none planned that day)


@dataclass
class Roster:
    title: str
    start: date
    end: date
    types: list[ShiftType]
    days: list[RosterDay]
    shifts: list[Shift]
    contacts: list[Person] = field(default_factory=list)


def week_span(start: date) -> tuple[date, date]:
    monday = start - timedelta(days=start.weekday())
    return monday, monday + timedelta(days=6)


def month_span(first: date) -> tuple[date, date]:
    first = first.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def roster_for(*, start: date, end: date, title: str) -> Roster:
    """Who is on duty on each day ``start``..``end``, by kind of shift, and how to reach them."""
    shifts = list(roster_shifts(start=start, end=end))
    types: list[ShiftType] = []
    for shift in shifts:
        if shift.shift_type not in types:
            types.append(shift.shift_type)
    types.sort(key=lambda kind: (kind.sort_order, kind.starts))
    by_day: dict[tuple[date, int], list[Shift]] = {}
    for shift in shifts:
        by_day.setdefault((shift.on, shift.shift_type_id), []).append(shift)
    days = [
        RosterDay(day=day, cells=[by_day.get((day, kind.pk), []) for kind in types])
        for day in (start + timedelta(days=n) for n in range((end - start).days + 1))
    ]
    contacts: dict[int, Person] = {}
    for shift in shifts:
        for assignment in shift.assignments.all():
            contacts.setdefault(assignment.person_id, assignment.person)
    people = sorted(contacts.values(), key=lambda person: (person.sort_order, person.name))
    return Roster(title=title, start=start, end=end, types=types, days=days, shifts=shifts, contacts=people)


def week_title(start: date, end: date) -> str:
    return _("Duty roster %(start)s – %(end)s") % {"start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"}


def month_title(first: date) -> str:
    return _("Duty roster %(month)s") % {"month": f"{first:%Y-%m}"}


def _day_label(day: date) -> str:
    return f"{day:%m-%d} {formats.date_format(day, 'D')}"


def _hours(shift: Shift) -> str:
    return f"{_local(shift.starts_at):%H:%M}–{_local(shift.ends_at):%H:%M}"


def _local(moment: datetime) -> datetime:
    return timezone.localtime(moment)


def _cell_text(shifts: list[Shift], *, phones: bool) -> str:
    if not shifts:
        return "—"
    lines = []
    for shift in shifts:
        people = [
            f"{a.person.name} {a.person.phone}".strip() if phones else a.person.name for a in shift.assignments.all()
        ]
        lines.append("\n".join(people) if people else _("Nobody on this shift"))
    return "\n".join(lines)


def roster_document(roster: Roster, *, phones_in_cells: bool) -> SheetDocument:
    """The roster as a Word sheet: the grid of days and shifts, then the phone list."""
    day_width = 28
    type_width = (TEXT_WIDTH_MM - day_width) / max(len(roster.types), 1)
    grid = Table(widths=[day_width, *[type_width] * max(len(roster.types), 1)], header=1, size=SMALL_TABLE_SIZE)
    grid.rows.append(
        [_("Date"), *[f"{kind.name} {kind.starts:%H:%M}–{kind.ends:%H:%M}" for kind in roster.types]]
        if roster.types
        else [_("Date"), ""]
    )
    for day in roster.days:
        cells = [_cell_text(shifts, phones=phones_in_cells) for shifts in day.cells] or ["—"]
        grid.rows.append([Label(_day_label(day.day)), *cells])
    contacts = Table(widths=[30, 46, 40, 40], header=1, size=SMALL_TABLE_SIZE, caption=_("Phone numbers"))
    contacts.rows.append([_("Name"), _("Department"), _("Mobile phone"), _("Office phone")])
    for person in roster.contacts:
        contacts.rows.append([person.name, person.department.name, person.phone or "—", person.office_phone or "—"])
    return SheetDocument(title=roster.title, tables=[grid, contacts], notes=[_("Phones stay on 24 hours.")])


ROSTER_HEADER = [
    gettext_lazy("Date"),
    gettext_lazy("Weekday"),
    gettext_lazy("Shift"),
    gettext_lazy("Starts at"),
    gettext_lazy("Ends at"),
    gettext_lazy("Name"),
    gettext_lazy("Department"),
    gettext_lazy("Mobile phone"),
    gettext_lazy("Office phone"),
    gettext_lazy("Signed in at"),
]
ROSTER_WIDTHS = [12, 8, 10, 17, 17, 12, 18, 16, 16, 17]


def roster_rows(roster: Roster) -> Iterator[list]:
    """One row per person on a shift; a shift with nobody on it is one row saying so."""
    for shift in roster.shifts:
        start = [shift.on, formats.date_format(shift.on, "D"), shift.shift_type.name, shift.starts_at, shift.ends_at]
        assignments = list(shift.assignments.all())
        if not assignments:
            yield [*start, _("Nobody on this shift"), "", "", "", None]
        for assignment in assignments:
            person = assignment.person
            yield [
                *start,
                person.name,
                person.department.name,
                person.phone,
                person.office_phone,
                assignment.signed_in_at,
            ]


def roster_sheet(roster: Roster) -> Sheet:
    return Sheet(
        title=_("Duty roster"),
        header=[str(title) for title in ROSTER_HEADER],
        rows=list(roster_rows(roster)),
        widths=ROSTER_WIDTHS,
    )

"""How far back and ahead a date that a person types (or a file brings) may lie, defined once.

Every form, service and import that takes such a date asks here, so "too early" and "too late"
mean the same on every page:

- not before the office began keeping records (``settings.OFFICE_RECORDS_SINCE``, default
  2015-01-01): a case "received in 1999" is a typing error, not ten thousand days overdue;
- not in the future, beyond a few minutes for clocks that differ (``FUTURE_ALLOWANCE``);
- where a caller says so, not more than ``days_back`` days ago (a demand registered by hand is
  registered within ``DEMAND_ENTRY_DAYS_BACK`` days of its receipt);
- a year (a publicity quota) from the office's first year to next year.

Ground floor: imports only the clock."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from bureau import clock

FUTURE_ALLOWANCE = timedelta(minutes=5)
DEMAND_ENTRY_DAYS_BACK = 31


def records_since() -> date:
    """The first day the office keeps records for."""
    return settings.OFFICE_RECORDS_SINCE


def _shown(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def moment_problem(value: datetime, *, now: datetime | None = None, days_back: int | None = None) -> str | None:
    """Why ``value`` is out of bounds, in the user's language, or None when it is fine."""
    now = now or clock.now()
    if timezone.localdate(value) < records_since():
        return _("%(value)s is before the office began keeping records (%(since)s).") % {
            "value": _shown(value),
            "since": records_since().isoformat(),
        }
    if value > now + FUTURE_ALLOWANCE:
        return _("%(value)s is in the future.") % {"value": _shown(value)}
    if days_back is not None and value < now - timedelta(days=days_back):
        return _("%(value)s is more than %(days)s days ago.") % {"value": _shown(value), "days": days_back}
    return None


def check_moment(
    value: datetime | None, *, field: str, now: datetime | None = None, days_back: int | None = None
) -> None:
    """Raise a ValidationError on ``field`` (so the form shows it beside the field) when out of bounds."""
    if value is None:
        return
    problem = moment_problem(value, now=now, days_back=days_back)
    if problem:
        raise ValidationError({field: problem})


def year_problem(year: int, *, today: date | None = None) -> str | None:
    """Why ``year`` is out of bounds (before the office's first year, or after next year), or None."""
    first, last = records_since().year, (today or clock.today()).year + 1
    if first <= year <= last:
        return None
    return _("The year %(year)s is outside %(first)s–%(last)s.") % {"year": year, "first": first, "last": last}


def check_year(year: int, *, field: str = "year", today: date | None = None) -> None:
    problem = year_problem(year, today=today)
    if problem:
        raise ValidationError({field: problem})


# A day typed into a list's filter: wide, because a filter only narrows a list, but bounded so that
# "the day after" of 9999-12-31 (a filter's exclusive end) never overflows.
FILTER_FIRST_DAY, FILTER_LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


def validate_filter_day(value: date) -> None:
    """A filter's day between 2000-01-01 and 2099-12-31; otherwise a message beside the field."""
    if not FILTER_FIRST_DAY <= value <= FILTER_LAST_DAY:
        raise ValidationError(
            _("Give a day between %(first)s and %(last)s.")
            % {"first": FILTER_FIRST_DAY.isoformat(), "last": FILTER_LAST_DAY.isoformat()}
        )


def requested_day(value: str | None, default: date) -> date:
    """A day asked for in a page's address (``?start=2026-03-02``): ``default`` when missing,
    malformed or outside the filters' bounds, so a hand-edited address shows a page, not an error."""
    try:
        day = date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return day if FILTER_FIRST_DAY <= day <= FILTER_LAST_DAY else default


def requested_year(value: str | None) -> int:
    """A year asked for in a page's address (``?year=2026``): this year when missing, not a number
    or outside the filters' bounds (2000–2099). Every page that takes ``?year=`` reads it here."""
    try:
        year = int(value or "")
    except ValueError:
        return clock.today().year
    return year if FILTER_FIRST_DAY.year <= year <= FILTER_LAST_DAY.year else clock.today().year

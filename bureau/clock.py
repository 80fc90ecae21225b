"""The only module that asks the system for the time; tests move it with time-machine."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def now() -> datetime:
    """The current moment, aware, in UTC."""
    return timezone.now()


def today() -> date:
    """The current calendar day in the office's time zone (Asia/Shanghai)."""
    return timezone.localdate(now())


def local_year(moment: datetime) -> int:
    """The calendar year of ``moment`` in the office's time zone (31 Dec 17:00 UTC is already next year)."""
    return timezone.localtime(moment).year


def local_midnight(day: date) -> datetime:
    """The aware moment a local calendar day begins."""
    return timezone.make_aware(datetime.combine(day, time.min))


def day_span(day: date) -> tuple[datetime, datetime]:
    """A local calendar day as a half-open [start, end) range of aware moments."""
    return local_midnight(day), local_midnight(day + timedelta(days=1))


def year_span(year: int) -> tuple[datetime, datetime]:
    """A local calendar year (1 January to 1 January) as a half-open range."""
    return local_midnight(date(year, 1, 1)), local_midnight(date(year + 1, 1, 1))


def month_span(year: int, month: int) -> tuple[datetime, datetime]:
    """A local calendar month as a half-open range."""
    next_first = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return local_midnight(date(year, month, 1)), local_midnight(next_first)

"""How long something took, as people read it: "14 分钟", "1 小时 5 分钟", "2 天 3 小时".

The one formatting of a duration on every page and in every sentence: a demand's time left or
overdue, how long a post has waited for approval, an alert acknowledged after so long (its archive
summary), the medians of the dashboard, the assessment and the annual summary and its draft.
Workbook cells keep the number of minutes."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _


def duration_text(seconds: float | Decimal | None) -> str:
    """``seconds`` (its sign ignored) in whole minutes, rounded half up, then in days and hours
    from a day on, hours and minutes from an hour on, else minutes; a zero part is left out
    (840 → "14 min", 3900 → "1 h 5 min", 7200 → "2 h", 97200 → "1 d 3 h"). Under half a minute
    but not nothing is "less than a minute"; ``None`` is "—"."""
    if seconds is None:
        return "—"
    exact = abs(Decimal(str(seconds)))
    minutes = int((exact / 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if minutes == 0:
        return _("less than a minute") if exact else _("%(minutes)d min") % {"minutes": 0}
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    if days:
        if hours:
            return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
        return _("%(days)d d") % {"days": days}
    if hours:
        if minutes:
            return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
        return _("%(hours)d h") % {"hours": hours}
    return _("%(minutes)d min") % {"minutes": minutes}


def minutes_text(minutes: float | Decimal | None) -> str:
    """A duration given in minutes (a median: 14.0, Decimal("22.6")), as ``duration_text`` writes it."""
    return "—" if minutes is None else duration_text(Decimal(str(minutes)) * 60)

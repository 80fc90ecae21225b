"""How a demand's deadline reads: time left, or how long it has been overdue."""

from datetime import timedelta

from django import template

from bureau import clock
from bureau.durations import duration_text

register = template.Library()
# The badge turns amber this close to the deadline (the default of DemandRules.due_soon_window).
DUE_SOON_BADGE_WINDOW = timedelta(hours=2)


@register.filter
def overdue_at(demand, now) -> bool:
    """``{% if demand|overdue_at:now %}``: the one overdue rule (``Demand.is_overdue_at``)."""
    return demand.is_overdue_at(now)


@register.inclusion_tag("opinions/_demand_due.html")
def demand_due(demand, now=None):
    """A badge: red with the time overdue, amber within 2 hours, otherwise the time left."""
    now = now or clock.now()
    seconds = int((demand.due_at - now).total_seconds())
    return {
        "demand": demand,
        "is_open": demand.is_open,
        "is_overdue": demand.is_overdue_at(now),
        "is_soon": demand.is_due_soon_at(now, DUE_SOON_BADGE_WINDOW),
        "span": duration_text(seconds),
    }

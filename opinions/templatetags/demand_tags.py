"""How a demand's deadline reads: time left, or how long it has been overdue."""

from django import template
from django.utils.translation import gettext as _

from bureau import clock

register = template.Library()


def _span(seconds: int) -> str:
    hours, rest = divmod(abs(seconds), 3600)
    days, hours = divmod(hours, 24)
    minutes = rest // 60
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}


@register.inclusion_tag("opinions/_demand_due.html")
def demand_due(demand, now=None):
    """A badge: red with the time overdue, amber within 2 hours, otherwise the time left."""
    now = now or clock.now()
    seconds = int((demand.due_at - now).total_seconds())
    is_open = demand.state in demand.OPEN_STATES
    return {
        "demand": demand,
        "is_open": is_open,
        "is_overdue": is_open and seconds < 0,
        "is_soon": is_open and 0 <= seconds < 7200,
        "span": _span(seconds),
    }

"""How a demand's deadline reads: time left, or how long it has been overdue."""

from datetime import timedelta

from django import template
from django.utils import dateformat, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from bureau import clock
from bureau.durations import duration_text

register = template.Library()
# The badge turns amber this close to the deadline (the default of DemandRules.due_soon_window).
DUE_SOON_BADGE_WINDOW = timedelta(hours=2)


@register.filter
def overdue_at(demand, now) -> bool:
    """``{% if demand|overdue_at:now %}``: the one overdue rule (``Demand.is_overdue_at``)."""
    return demand.is_overdue_at(now)


@register.simple_tag
def demand_due(demand, now=None) -> SafeString:
    """A badge: red with the time overdue, amber within 2 hours, otherwise the time left; a closed
    demand's deadline in grey. Built in Python, not an inclusion template: it is on every row of
    the lists (50 template renders a page)."""
    due = timezone.localtime(demand.due_at)
    if not demand.is_open:
        return format_html('<span class="text-muted small">{}</span>', dateformat.format(due, "m-d H:i"))
    now = now or clock.now()
    span = duration_text(int((demand.due_at - now).total_seconds()))
    overdue = demand.is_overdue_at(now)
    if overdue:
        look, text = "text-bg-danger demand-overdue", _("Overdue by %(span)s") % {"span": span}
    else:
        soon = demand.is_due_soon_at(now, DUE_SOON_BADGE_WINDOW)
        look, text = ("text-bg-warning" if soon else "text-bg-light border"), _("%(span)s left") % {"span": span}
    # data-*-label: the page's countdown script (static/js/opinions.js) rewrites the text every 30 seconds.
    return format_html(
        '<span class="badge {}" data-countdown data-due="{}" data-left-label="{}" data-overdue-label="{}"{}>{}</span>',
        look,
        dateformat.format(due, "c"),
        _("SPAN left"),
        _("Overdue by SPAN"),
        mark_safe(' data-testid="overdue"') if overdue else "",  # noqa: S308 - a constant
        text,
    )

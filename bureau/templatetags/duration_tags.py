from datetime import datetime

from django import template

from bureau.durations import duration_text, minutes_text

register = template.Library()

# {{ seconds|duration_text }}, {{ figures.alerts.median_minutes|minutes_text }}: bureau.durations.
register.filter("duration_text", duration_text)
register.filter("minutes_text", minutes_text)


@register.filter
def duration_until(start: datetime, end: datetime) -> str:
    """``{{ post.submitted_at|duration_until:now }}``: how long from one moment to the other."""
    return duration_text((end - start).total_seconds())

from django import template

from bureau.durations import duration_text, minutes_text

register = template.Library()

# {{ seconds|duration_text }}, {{ figures.alerts.median_minutes|minutes_text }}: bureau.durations.
register.filter("duration_text", duration_text)
register.filter("minutes_text", minutes_text)

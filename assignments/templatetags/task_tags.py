"""How a task handed down reads on its pages."""

from datetime import datetime

from django import template

from assignments.models import CountyTask

register = template.Library()


@register.filter
def overdue_at(task: CountyTask, now: datetime) -> bool:
    """``{% if task|overdue_at:now %}``: the one overdue rule (``CountyTask.is_overdue_at``)."""
    return task.is_overdue_at(now)

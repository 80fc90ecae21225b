"""``{{ count|capped_count }}``: a to-do count as shown, "99+" beyond the cap (``bureau.counting``)."""

from django import template

from bureau.counting import TODO_COUNT_CAP

register = template.Library()


@register.filter
def capped_count(count: int) -> str:
    return f"{TODO_COUNT_CAP}+" if count > TODO_COUNT_CAP else str(count)

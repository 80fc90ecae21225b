"""Helpers for the long lists: how many filters are set (shown on the phone's folded filter button)."""

from django import forms, template

register = template.Library()


@register.filter
def active_filter_count(form: forms.BaseForm) -> int:
    """How many of the form's fields were given a non-empty value (an empty choice is not a filter)."""
    data = form.data
    count = 0
    for name in form.fields:
        key = form.add_prefix(name)
        values = data.getlist(key) if hasattr(data, "getlist") else [data.get(key)]
        if any(value not in (None, "") for value in values):
            count += 1
    return count

"""Helpers for the long lists: how many filters are set (shown on the phone's folded filter button),
and the filter fields themselves."""

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

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


def _options(bound: forms.BoundField) -> SafeString:
    """A select's options built in Python: Django renders each option through a template, which for
    a list's filter row (channels, handlers, departments…) was most of the page's rendering."""
    widget = bound.field.widget
    value = widget.format_value(bound.value())
    rows = []
    for group_name, options, _index in widget.optgroups(bound.html_name, value):
        selected = mark_safe(" selected")  # noqa: S308 - a constant
        items = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((option["value"], selected if option["selected"] else "", option["label"]) for option in options),
        )
        rows.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, items) if group_name else items)
    return mark_safe("".join(rows))  # noqa: S308 - every part escaped by format_html above


@register.simple_tag
def filter_field(bound: forms.BoundField) -> SafeString:
    """One field of a list's filter form, in the markup crispy's Bootstrap 5 pack gives it (label,
    control, error, help), rendered without crispy's template chain: the filter row is on every
    list page."""
    invalid = " is-invalid" if bound.errors else ""
    widget = bound.field.widget
    # As crispy does: an invalid control says so and points at its message (screen readers).
    described = {"aria-invalid": "true", "aria-describedby": f"{bound.auto_id}_error"} if bound.errors else {}
    errors = (
        format_html(
            '<div id="{}_error" class="invalid-feedback d-block">{}</div>',
            bound.auto_id,
            format_html_join("", "<p><strong>{}</strong></p>", ((error,) for error in bound.errors)),
        )
        if bound.errors
        else ""
    )
    help_text = format_html('<div class="form-text">{}</div>', bound.help_text) if bound.help_text else ""
    if isinstance(widget, forms.HiddenInput):
        return bound.as_widget()
    if isinstance(widget, forms.CheckboxInput):
        control = bound.as_widget(attrs={"class": f"form-check-input{invalid}", **described})
        return format_html(
            '<div id="div_{}" class="mb-3 form-check">{}<label for="{}" class="form-check-label">{}</label>{}{}</div>',
            bound.auto_id,
            control,
            bound.id_for_label,
            bound.label,
            errors,
            help_text,
        )
    if isinstance(widget, forms.Select) and not widget.allow_multiple_selected:
        classes = " ".join(filter(None, ["form-select", widget.attrs.get("class", ""), invalid.strip()]))
        control = format_html(
            '<select name="{}" class="{}" id="{}"{}>{}</select>',
            bound.html_name,
            classes,
            bound.auto_id,
            format_html(' aria-invalid="true" aria-describedby="{}_error"', bound.auto_id) if bound.errors else "",
            _options(bound),
        )
    else:
        control = bound.as_widget(attrs={"class": f"form-control{invalid}", **described})
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}</div>',
        bound.auto_id,
        bound.id_for_label,
        bound.label,
        control,
        errors,
        help_text,
    )

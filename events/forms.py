"""Input shapes for the event pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assignments.models import CountyTask, IncidentReport
from events.models import ClockKind, Level


class StyledForm(forms.Form):
    """Bootstrap's classes on every control."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, (forms.HiddenInput, forms.CheckboxSelectMultiple)):
                continue
            css = "form-select form-select-sm" if isinstance(widget, forms.Select) else "form-control form-control-sm"
            widget.attrs.setdefault("class", css)


class IdListField(forms.CharField):
    """Comma-separated ids (a suggestion's items travel in a hidden field)."""

    def to_python(self, value):
        value = super().to_python(value) or ""
        try:
            return sorted({int(part) for part in value.split(",") if part.strip()})
        except ValueError as error:
            raise forms.ValidationError(_("Not a list of numbers.")) from error


class EventCreateForm(StyledForm):
    post_ids = IdListField(required=False, widget=forms.HiddenInput)
    demand_ids = IdListField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ItemForm(StyledForm):
    post_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    demand_id = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ItemAddForm(ItemForm):
    event = forms.ModelChoiceField(label=_("Event"), queryset=None)

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events


class SplitForm(StyledForm):
    post_ids = forms.TypedMultipleChoiceField(
        label=_("Posts"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    demand_ids = forms.TypedMultipleChoiceField(
        label=_("Demands"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("Title of the new event"), max_length=200, required=False)

    def __init__(self, *args, posts=(), demands=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post_ids"].choices = list(posts)
        self.fields["demand_ids"].choices = list(demands)


class MergeForm(StyledForm):
    other = forms.ModelChoiceField(label=_("Merge this event into the current one"), queryset=None)

    def __init__(self, *args, events, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = events


class GradeForm(StyledForm):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RespondForm(StyledForm):
    kind = forms.ChoiceField(label=_("Response"), choices=ClockKind.choices)
    responded_at = forms.DateTimeField(
        label=_("Made at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    text = forms.CharField(label=_("What was published"), widget=forms.Textarea(attrs={"rows": 2}))


class LinkForm(StyledForm):
    task_id = forms.TypedChoiceField(label=_("Task handed down"), coerce=int, required=False, empty_value=None)
    report_id = forms.TypedChoiceField(label=_("Report upward"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, tasks=(), reports=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task_id"].choices = [("", "—"), *tasks]
        self.fields["report_id"].choices = [("", "—"), *reports]


def link_choices() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The latest 100 tasks handed down and reports upward, newest first (two reads)."""
    tasks = [
        (pk, f"{reference} {title}")
        for pk, reference, title in CountyTask.objects.order_by("-received_at", "-pk").values_list(
            "pk", "reference", "title"
        )[:100]
    ]
    reports = [
        (pk, title)
        for pk, title in IncidentReport.objects.order_by("-reported_at", "-pk").values_list("pk", "title")[:100]
    ]
    return tasks, reports

"""The briefing pages' forms: draft one for a chosen period, edit its text sections, return one
with the reason."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau import clock
from bureau.bounds import records_since
from reports.briefings.selectors import RETURNED, briefing_default_day
from reports.briefings.text import section_specs
from reports.models import Briefing

PERIODIC_CHOICES = [
    (kind.value, kind.label) for kind in (Briefing.Kind.DAILY, Briefing.Kind.WEEKLY, Briefing.Kind.MONTHLY)
]


class DraftForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=PERIODIC_CHOICES, widget=forms.Select(attrs={"class": "form-select"})
    )
    day = forms.DateField(
        label=gettext_lazy("A day of the period"),
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("The day itself, its week (Monday to Sunday) or its month."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        defaults = {kind: briefing_default_day(kind=kind, today=today) for kind, _label in PERIODIC_CHOICES}
        # The page's script moves the day to the chosen kind's default until the day is changed by hand.
        for kind, day in defaults.items():
            self.fields["day"].widget.attrs[f"data-default-{kind}"] = day.isoformat()

    @staticmethod
    def initial_for(kind: str) -> dict[str, object]:
        """The form's first values: the kind asked for (else daily) and its usual day."""
        kind = kind if kind in dict(PERIODIC_CHOICES) else Briefing.Kind.DAILY
        return {"kind": kind, "day": briefing_default_day(kind=kind, today=clock.today())}

    def clean_day(self):
        day = self.cleaned_data["day"]
        today = clock.today()
        if day > today:
            raise ValidationError(_("A briefing covers days that have begun: choose today or an earlier day."))
        if day < records_since():
            raise ValidationError(
                _("The office keeps records from %(day)s: choose a later day.") % {"day": records_since().isoformat()}
            )
        return day


class SectionsForm(forms.Form):
    """One text box per section of the briefing's kind, filled with the current text."""

    def __init__(self, *args, briefing: Briefing, **kwargs):
        super().__init__(*args, **kwargs)
        for key, heading in section_specs(briefing.kind):
            self.fields[key] = forms.CharField(
                label=heading,
                required=False,
                max_length=20000,
                initial=briefing.sections.get(key, ""),
                widget=forms.Textarea(attrs={"rows": 8 if key != "next_steps" else 5, "class": "form-control"}),
            )

    def clean(self):
        data = super().clean()
        return {"sections": {key: data.get(key, "") for key in self.fields}}


class ReturnForm(forms.Form):
    """退回修改: what must change (required; the page shows it again with the error if empty)."""

    reason = forms.CharField(
        label=gettext_lazy("Reason for returning (what must change)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        error_messages={"required": gettext_lazy("Give the reason for returning it: say what must change.")},
    )


class BriefingFilterForm(forms.Form):
    """The list's filters: kind and state (an unknown value is ignored by the selector)."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        required=False,
        choices=[("", gettext_lazy("All")), *Briefing.Kind.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    state = forms.ChoiceField(
        label=gettext_lazy("State"),
        required=False,
        choices=[("", gettext_lazy("All")), *Briefing.State.choices, (RETURNED, gettext_lazy("Returned for changes"))],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

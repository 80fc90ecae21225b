"""Input shapes for duty, tasks handed down and reports upward."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from assignments.models import CountyTask, IncidentReport, ShiftAssignment
from assignments.selectors import duty_people, opinion_link_choices, response_plan_list, shift_type_list
from bureau import clock
from bureau.forms import UploadLimitFormMixin
from bureau.models import Role

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _helper(label, *, form_tag: bool = False) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = form_tag
    helper.add_input(Submit("submit", label))
    return helper


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.department}）"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.department}）"


# --- Duty ---------------------------------------------------------------------------------------


class RosterGenerateForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=DateInput())
    end = forms.DateField(label=_("Last day"), widget=DateInput())
    shift_types = forms.ModelMultipleChoiceField(
        label=_("Shift types"), queryset=shift_type_list(), widget=forms.CheckboxSelectMultiple
    )
    people = PeopleChoiceField(
        label=_("People on the roster"), queryset=duty_people(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = clock.today()
        self.fields["start"].initial = today + timedelta(days=1)
        self.fields["end"].initial = today + timedelta(days=28)
        self.fields["shift_types"].initial = list(shift_type_list())
        self.fields["people"].initial = list(duty_people().filter(role__in=[Role.STAFF, Role.OFFICE_HEAD]))
        self.helper = _helper(_("Show the plan"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            raise forms.ValidationError(_("The last day cannot be before the first."))
        return cleaned


class ShiftAssignForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=duty_people())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Add to this shift"))


class SwapForm(forms.Form):
    first = forms.ModelChoiceField(label=_("First assignment"), queryset=ShiftAssignment.objects.none())
    second = forms.ModelChoiceField(label=_("Second assignment"), queryset=ShiftAssignment.objects.none())

    def __init__(self, *args, assignments=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("first", "second"):
            self.fields[name].queryset = assignments if assignments is not None else ShiftAssignment.objects.none()
            self.fields[name].label_from_instance = lambda a: (
                f"{a.shift.on:%Y-%m-%d} {a.shift.shift_type.name} · {a.person.name}"
            )
        self.helper = _helper(_("Swap"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            raise forms.ValidationError(_("Choose two different assignments."))
        return cleaned


class LeaveForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=duty_people())
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record leave"))


class HandoverNoteForm(forms.Form):
    body = forms.CharField(
        label=_("What the next shift must know"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Save the handover note"))


# --- Tasks handed down --------------------------------------------------------------------------


class CountyTaskForm(UploadLimitFormMixin, forms.ModelForm):
    handler = PersonChoiceField(label=_("Handler"), queryset=duty_people())
    received_at = forms.DateTimeField(label=_("Received at"), input_formats=DATETIME_FORMATS, widget=DateTimeInput())
    due_at = forms.DateTimeField(label=_("Feedback due by"), input_formats=DATETIME_FORMATS, widget=DateTimeInput())
    attachment = forms.FileField(label=_("Attachment (PDF, image or Office file)"), required=False)

    class Meta:
        model = CountyTask
        fields = ["kind", "reference", "title", "issued_by", "received_at", "content", "due_at", "handler"]
        widgets = {"content": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        now = clock.now()
        self.fields["received_at"].initial = now
        self.fields["due_at"].initial = now + timedelta(days=2)
        self.fields["issued_by"].initial = _("County propaganda department")
        self.helper = _helper(_("Register the task"))


class AttachmentForm(UploadLimitFormMixin, forms.Form):
    file = forms.FileField(label=_("File (PDF, image or Office file)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Upload"))


class TaskNoteForm(forms.Form):
    body = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record progress"))


class FeedbackForm(forms.Form):
    feedback = forms.CharField(
        label=_("Feedback to report back"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Submit for approval"))


class ReturnFeedbackForm(forms.Form):
    reason = forms.CharField(label=_("What must change"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Send back"))


class ReassignForm(forms.Form):
    handler = PersonChoiceField(label=_("New handler"), queryset=duty_people())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Reassign"))


# --- Reports upward -----------------------------------------------------------------------------


class IncidentReportForm(forms.ModelForm):
    reported_at = forms.DateTimeField(label=_("Reported at"), input_formats=DATETIME_FORMATS, widget=DateTimeInput())

    class Meta:
        model = IncidentReport
        fields = ["title", "level", "summary", "measures", "response_plan", "reported_to", "reported_at"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5}), "measures": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["response_plan"].queryset = response_plan_list(active_only=True)
        self.fields["reported_at"].initial = clock.now()
        self.fields["reported_to"].initial = _("County propaganda department")
        self.helper = _helper(_("Record the report"))


class FollowUpForm(forms.Form):
    body = forms.CharField(label=_("Follow-up report"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    reported_at = forms.DateTimeField(label=_("Reported at"), input_formats=DATETIME_FORMATS, widget=DateTimeInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_at"].initial = clock.now()
        self.helper = _helper(_("Add the follow-up"))


class OpinionLinkForm(forms.Form):
    """Pick a recent post and/or a demand the user may see; the service re-checks visibility."""

    post = forms.TypedChoiceField(label=_("Post"), coerce=int, required=False, empty_value=None)
    demand = forms.TypedChoiceField(label=_("Demand"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, post_choices=(), demand_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].choices = [("", "---------"), *post_choices]
        self.fields["demand"].choices = [("", "---------"), *demand_choices]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Submit("link", _("Link")))

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("post") and not cleaned_data.get("demand"):
            raise forms.ValidationError(_("Choose a post or a demand to link."))
        return cleaned_data


def opinion_link_form(*, user, data=None) -> OpinionLinkForm:
    """The link form offering what ``user`` may see."""
    post_choices, demand_choices = opinion_link_choices(user=user)
    return OpinionLinkForm(data, post_choices=post_choices, demand_choices=demand_choices)


class OpinionUnlinkForm(forms.Form):
    """The "Remove" button beside a linked post or demand."""

    unlink_post = forms.IntegerField(required=False, min_value=1)
    unlink_demand = forms.IntegerField(required=False, min_value=1)

"""Input forms of the demand pages: shape and field checks only; the services do the rest."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.models import Department, Person
from opinions.models import Channel, Demand, DemandKind, FaqEntry, ReplyTemplate

DATETIME = {
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
}


def _text(label, rows=3, required=True):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


class DemandEntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DemandKind.choices)
    channel = forms.ModelChoiceField(label=_("Channel"), queryset=Channel.objects.all())
    subject = forms.CharField(label=_("Subject"), max_length=300)
    content = _text(_("Content"), rows=6)
    citizen_name = forms.CharField(label=_("Citizen's name"), max_length=100, required=False)
    citizen_contact = forms.CharField(label=_("Citizen's contact"), max_length=200, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=Demand.Level.choices, initial=Demand.Level.III)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all(), required=False)
    about_bureau = forms.BooleanField(label=_("Complaint about the bureau"), required=False)
    received_at = forms.DateTimeField(label=_("Received at"), required=False, **DATETIME)


class FromPostForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DemandKind.choices)
    level = forms.ChoiceField(label=_("Level"), choices=Demand.Level.choices, required=False)

    def clean_level(self):
        return self.cleaned_data["level"] or Demand.Level.III

    about_bureau = forms.BooleanField(label=_("Complaint about the bureau"), required=False)


class EmptyForm(forms.Form):
    pass


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("Handler"), queryset=Person.objects.active())


class ReplyForm(forms.Form):
    reply_text = _text(_("Reply given publicly"), rows=5)
    notes = _text(_("Internal notes"), rows=2, required=False)
    # Set by the page when a template (答复口径) fills the box; counted as used when the reply is sent.
    reply_template = forms.ModelChoiceField(
        queryset=ReplyTemplate.objects.all(), required=False, widget=forms.HiddenInput
    )


class ReviewForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve the reply")), ("0", _("Send it back"))],
        coerce=lambda value: value == "1",
    )
    opinion = _text(_("Review opinion"), rows=2, required=False)


class CompleteForm(forms.Form):
    measures = _text(_("Measures taken"), rows=3, required=False)
    resolution = _text(_("How it was resolved"), rows=3)


class CallBackForm(forms.Form):
    satisfaction = forms.ChoiceField(label=_("Satisfaction"), choices=Demand.Satisfaction.choices)
    note = _text(_("Note"), rows=2, required=False)


class ReasonForm(forms.Form):
    reason = _text(_("Reason"), rows=2)


class DecideForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"), choices=[("1", _("Accept")), ("0", _("Refuse"))], coerce=lambda value: value == "1"
    )
    note = _text(_("Note"), rows=2, required=False)


class ExtensionForm(forms.Form):
    until = forms.DateTimeField(label=_("New deadline"), **DATETIME)
    reason = _text(_("Reason"), rows=2)


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("Number of the demand it duplicates"), min_value=1)


class PressForm(forms.Form):
    note = _text(_("Note to the handler"), rows=2, required=False)


class FaqCreateForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=300, required=False)
    answer = _text(_("Answer"), rows=4, required=False)


class FaqLinkForm(forms.Form):
    entry = forms.ModelChoiceField(label=_("Policy entry"), queryset=FaqEntry.objects.all())


class ReplyTemplateForm(forms.ModelForm):
    class Meta:
        model = ReplyTemplate
        fields = ["name", "kind", "department", "text", "is_active"]
        widgets = {"text": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, a template is for any kind and any department: the empty choice says so.
        self.fields["kind"].choices = [("", _("(any kind)")), *DemandKind.choices]
        self.fields["department"].empty_label = _("(any department)")

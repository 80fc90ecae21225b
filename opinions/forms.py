"""Input forms of the opinions pages (shape and field checks only; services do the rest)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.models import Section
from opinions.models import Channel, Post, ScreeningCategory


class PostEntryForm(forms.Form):
    channel = forms.ModelChoiceField(label=_("Channel"), queryset=Channel.objects.none())
    section = forms.ModelChoiceField(
        label=_("Website section"),
        queryset=Section.objects.filter(is_active=True),
        required=False,
        help_text=_("Leave empty to use the channel's section."),
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 8}), required=False)
    author = forms.CharField(label=_("Author or caller"), max_length=200, required=False)
    link = forms.URLField(label=_("Link"), max_length=1000, required=False, assume_scheme="https")
    posted_at = forms.DateTimeField(
        label=_("Posted or received at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, channels=None, **kwargs):
        super().__init__(*args, **kwargs)
        if channels is not None:
            self.fields["channel"].queryset = channels
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Save the post")))

    def clean_link(self):
        link = self.cleaned_data["link"]
        if link and not link.lower().startswith(("http://", "https://")):
            raise forms.ValidationError(_("Only http and https links are accepted."))
        return link


class TakedownForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=ScreeningCategory.objects.filter(purpose=ScreeningCategory.Purpose.PROHIBITED, is_active=True),
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class ClearForm(forms.Form):
    reason = forms.CharField(label=_("Why is it a false alarm?"), max_length=1000)


class UndoTakedownForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for undoing"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )


class HandleForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Step"),
        choices=[(status.value, status.label) for status in Post.HANDLING_STATUSES],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Check the file")))


class PatrolForm(forms.Form):
    section = forms.ModelChoiceField(label=_("Website section"), queryset=Section.objects.filter(is_active=True))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

from django import forms
from django.utils.translation import gettext_lazy as _


class ProofAcknowledgeForm(forms.Form):
    """One hit of the proofreading panel kept as written: which one (hidden) and why."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=500)
    reason = forms.CharField(
        label=_("Why it stays as written"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. quoted from the county's document")}),
    )

"""The one search box's form: what was typed, refused with a clear message when nothing can be
searched (empty, too long, only punctuation or spaces), never cut or changed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bureau.search import MAX_WORD, search_word


class SiteSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=True,
        strip=False,
        error_messages={"required": _("Type a word to search for.")},
        widget=forms.TextInput(attrs={"type": "search", "class": "form-control", "autocomplete": "off"}),
    )

    def clean_q(self) -> str:
        value = self.cleaned_data["q"]
        if len(value.strip()) > MAX_WORD:
            raise forms.ValidationError(
                _("A search word has at most %(max)s characters; this one has %(length)s."),
                params={"max": MAX_WORD, "length": len(value.strip())},
            )
        if not value.strip():
            raise forms.ValidationError(_("Type a word to search for."))
        if not search_word(value):
            raise forms.ValidationError(_("Only punctuation or spaces were typed: type some characters or digits."))
        return value.strip()

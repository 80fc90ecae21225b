"""The archive list's filter form: its shape and layout; the filtering itself is in filters.py."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _


class ArchiveRecordFilterForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper(self)
        # The template writes the <form method="get"> tag and its buttons: a GET search has no
        # CSRF token to carry, and would otherwise leak one into every bookmarked URL.
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-md-4"),
                Column("action", css_class="col-md-4"),
                Column("target_type", css_class="col-md-3"),
                Column("target_id", css_class="col-md-1"),
            ),
            Row(
                Column("actor", css_class="col-md-4"),
                Column("date_from", css_class="col-md-4 col-lg-2"),
                Column("date_to", css_class="col-md-4 col-lg-2"),
            ),
        )

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date must not be before the start date."))
        return cleaned

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from bureau import clock

FIRST_YEAR = 2000


def validate_summary_year(year: int) -> int:
    """A year a summary can be compiled for: from 2000 to the current year."""
    if year < FIRST_YEAR or year > clock.today().year:
        raise ValidationError(
            _("The year must be between %(first)s and %(last)s."),
            params={"first": FIRST_YEAR, "last": clock.today().year},
            code="bad_year",
        )
    return year


class AnnualCompileForm(forms.Form):
    year = forms.IntegerField(label=_("Year"))

    def clean_year(self) -> int:
        return validate_summary_year(self.cleaned_data["year"])

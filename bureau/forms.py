from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _


class OfficeAuthenticationForm(AuthenticationForm):
    """The stock form already gives an unknown user the same answer as a wrong password."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The user name or password is not correct. Both are case-sensitive."),
    }


class OfficePasswordChangeForm(PasswordChangeForm):
    pass

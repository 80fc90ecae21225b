from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from bureau.files import upload_was_too_large


class OfficeAuthenticationForm(AuthenticationForm):
    """The stock form already gives an unknown user the same answer as a wrong password."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The user name or password is not correct. Both are case-sensitive."),
    }


class OfficePasswordChangeForm(PasswordChangeForm):
    pass


class UploadLimitFormMixin:
    """For forms with file fields: pass ``request=`` and an upload that was cut off while streaming
    (over UPLOAD_MAX_BYTES) is reported as too large instead of as a missing file."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        from django.conf import settings
        from django.template.defaultfilters import filesizeformat

        cleaned_data = super().clean()
        if self.request is not None and upload_was_too_large(self.request):
            self.errors.clear()
            raise forms.ValidationError(
                _("The file is too large: at most %(limit)s is allowed.")
                % {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
                code="too_large",
            )
        return cleaned_data

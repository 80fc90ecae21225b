"""Logging filters wired in ``settings.LOGGING``."""

import logging

from django.core.exceptions import PermissionDenied


class ForbiddenWithoutTraceback(logging.Filter):
    """Keeps Django's one WARNING line for a refused request but drops its traceback.

    A 403 is the permission check doing its job, not a fault: its traceback only buries the real
    errors in the log. Every other record passes untouched."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "django.request" and record.exc_info:
            error = record.exc_info[1]
            if isinstance(error, PermissionDenied):
                record.exc_info = None
                record.exc_text = None
        return True

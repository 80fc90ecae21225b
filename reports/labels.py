"""The reports app's archive actions, named (see archive/labels.py)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "reports.annualsummary.compiled": _("Annual summary compiled"),
}

"""The reports app's archive actions, named (see archive/labels.py)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "reports.annualsummary.compiled": _("Annual summary compiled"),
    "reports.briefing.drafted": _("Briefing drafted"),
    "reports.briefing.edited": _("Briefing edited"),
    "reports.briefing.submitted": _("Briefing submitted for sign-off"),
    "reports.briefing.returned": _("Briefing returned for changes"),
    "reports.briefing.signed": _("Briefing signed off"),
}

"""The proofreading app's archive actions, named (see archive/labels.py)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "proofing.proofacknowledgement.created": _("Proofreading hit kept as written"),
    "proofing.prooflist.created": _("Proofreading list created"),
    "proofing.prooflist.changed": _("Proofreading list changed"),
}

"""The publicity app's archive actions, named (see archive/labels.py)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "publicity.publicitypost.created": _("Publicity draft created"),
    "publicity.publicitypost.edited": _("Publicity draft edited"),
    "publicity.publicitypost.submitted": _("Publicity submitted for approval"),
    "publicity.publicitypost.withdrawn": _("Publicity withdrawn"),
    "publicity.publicitypost.approved": _("Publicity approved"),
    "publicity.publicitypost.returned": _("Publicity returned"),
    "publicity.publicitypost.published": _("Publicity post published"),
    "publicity.publicitypost.corrected": _("Publicity corrected"),
    "publicity.publicityquota.created": _("Quota set"),
    "publicity.publicityquota.deleted": _("Quota removed"),
    "publicity.quotawarning.sent": _("Behind-quota warning sent"),
    "publicity.platformstatistic.recorded": _("Platform statistics recorded"),
    "publicity.mediacoverage.recorded": _("Media coverage recorded"),
    "publicity.disclosureitem.recorded": _("Disclosure recorded"),
}

"""The alerts app's archive actions, as the archive names them (``archive.labels``)."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "alerts.alert.raised": _("Alert raised"),
    "alerts.alert.acknowledged": _("Alert acknowledged"),
    "alerts.alert.escalated": _("Alert escalated"),
}

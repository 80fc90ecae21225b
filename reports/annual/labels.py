"""Readable labels for the keys the compiled figures store (kinds, levels, periods), translated
in the active language when shown: the stored figures hold keys, never translated text."""

from django.utils.translation import gettext as _

from opinions.models import DemandKind
from publicity.models import MediaOutlet


def _choice_label(choices, key: str) -> str:
    return str(dict(choices).get(key, key))


def demand_kind_label(key: str) -> str:

    return _choice_label(DemandKind.choices, key)


def outlet_level_label(key: str) -> str:

    return _choice_label(MediaOutlet.Level.choices, key)


def outlet_kind_label(key: str) -> str:

    return _choice_label(MediaOutlet.Kind.choices, key)


def period_label(key: str) -> str:
    """ "Q2" → the second quarter, "2026-03" → March 2026, "2026" → the year."""
    if key.startswith("Q"):
        return _("Quarter %(number)s") % {"number": key[1:]}
    if "-" in key:
        year, month = key.split("-")
        return _("%(year)s-%(month)s") % {"year": year, "month": month}
    return _("Year %(year)s") % {"year": key}

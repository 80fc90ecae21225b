"""The stored figures turned into table cells for the page: the same rows as the workbook's
overview, with rates as text; and a revision's changed figures as readable rows."""

import re
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau.exports import Heading, Percent
from bureau.rates import percent_text
from reports.annual.labels import demand_kind_label, period_label
from reports.annual.workbook import overview_header, overview_rows


def _cell(value) -> dict:
    if isinstance(value, Heading):
        return {"text": str(value), "heading": True}
    if isinstance(value, Percent):
        # The cell holds the rounded rate as a fraction (0.963): back to the one-decimal rate, 96.3%.
        return {"text": percent_text(Decimal(str(round(float(value) * 100, 1)))), "heading": False}
    return {"text": "—" if value is None else value, "heading": False}


def overview_table(figures: dict) -> dict:
    """{"header": [...], "rows": [[cell, ...], ...]}; an empty row separates the sub-tables."""
    return {
        "header": overview_header(figures["year"]),
        "rows": [[_cell(value) for value in row] for row in overview_rows(figures)],
    }


# --- What changed between revisions ------------------------------------------------------------

SECTIONS = {
    "demands": gettext_lazy("Demands"),
    "posts": gettext_lazy("Posts"),
    "publicity": gettext_lazy("Publicity"),
    "duty": gettext_lazy("Duty"),
    "tasks": gettext_lazy("Tasks handed down"),
    "archive": gettext_lazy("Archive"),
    "organisation": gettext_lazy("Organisation"),
}
GROUPS = {
    "total": gettext_lazy("total"),
    "by_kind": gettext_lazy("by kind"),
    "by_channel": gettext_lazy("by channel"),
    "by_department": gettext_lazy("by department"),
    "by_period": gettext_lazy("by period"),
}
FIGURES = {
    "received": gettext_lazy("received"),
    "replied": gettext_lazy("replied"),
    "replied_on_time": gettext_lazy("replied on time"),
    "completed": gettext_lazy("completed"),
    "overdue": gettext_lazy("overdue"),
    "called_back": gettext_lazy("called back"),
    "satisfied": gettext_lazy("satisfied"),
    "reply_rate": gettext_lazy("reply rate"),
    "on_time_rate": gettext_lazy("on-time rate"),
    "completion_rate": gettext_lazy("completion rate"),
    "satisfaction": gettext_lazy("satisfaction"),
    "found": gettext_lazy("found"),
    "relevant": gettext_lazy("relevant"),
    "handled": gettext_lazy("handled"),
    "taken_down": gettext_lazy("taken down"),
    "published": gettext_lazy("published"),
}
RATE_FIGURES = frozenset({"reply_rate", "on_time_rate", "completion_rate", "satisfaction"})
_PART = re.compile(r"^(?P<name>[^\[]+)(?:\[(?P<row>.*)\])?$")


def _row_label(group: str, row: str) -> str:
    if group == "by_kind":
        return demand_kind_label(row)
    if group == "by_period":
        return period_label(row.rsplit("/", 1)[-1])
    return row or str(_("none"))


def figure_label(path: str) -> str:
    """ "demands.by_kind[complaint].replied" → "Demands · by kind · Complaint · replied" (translated)."""
    labels = []
    for index, part in enumerate(path.split(".")):
        match = _PART.match(part)
        name, row = (match["name"], match["row"]) if match else (part, None)
        names = SECTIONS if index == 0 else {**GROUPS, **FIGURES}
        labels.append(str(names.get(name, name)))
        if row is not None:
            labels.append(_row_label(name, row))
    return " · ".join(labels)


def _value_text(path: str, value) -> str:
    if value is None:
        return "—"
    if path.rsplit(".", 1)[-1] in RATE_FIGURES:
        return percent_text(Decimal(str(value)))  # stored as a percentage, e.g. 96.3
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return str(value)


def change_rows(changes: list[dict]) -> list[dict]:
    """A revision's changed figures as rows for the page: label, old and new value as text."""
    return [
        {
            "label": figure_label(change["figure"]),
            "old": _value_text(change["figure"], change["old"]),
            "new": _value_text(change["figure"], change["new"]),
        }
        for change in changes
    ]

"""The stored figures turned into table cells for the page: the same rows as the workbook's
overview, with rates as text."""

from bureau.exports import Heading, Percent
from reports.annual.labels import percent
from reports.annual.workbook import overview_header, overview_rows


def _cell(value) -> dict:
    if isinstance(value, Heading):
        return {"text": str(value), "heading": True}
    if isinstance(value, Percent):
        return {"text": percent(float(value)), "heading": False}
    return {"text": "—" if value is None else value, "heading": False}


def overview_table(figures: dict) -> dict:
    """{"header": [...], "rows": [[cell, ...], ...]}; an empty row separates the sub-tables."""
    return {
        "header": overview_header(figures["year"]),
        "rows": [[_cell(value) for value in row] for row in overview_rows(figures)],
    }

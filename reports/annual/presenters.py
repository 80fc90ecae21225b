"""The stored figures turned into table cells for the page: the same rows as the workbook's
overview, with rates as text."""

from decimal import Decimal

from bureau.exports import Heading, Percent
from bureau.rates import percent_text
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

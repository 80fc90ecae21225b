"""The assessment table (年度目标责任制考核), one definition for the page and its xlsx export: a column
per indicator of ``reports.indicators.ASSESSMENT_COLUMNS``, then the score and the tier."""

from collections.abc import Iterator, Sequence

from django.utils.translation import gettext as _

from bureau.exports import Sheet
from reports import indicators
from reports.dashboard.selectors import AssessmentRow

COLUMNS = indicators.indicators(indicators.ASSESSMENT_COLUMNS)


def assessment_header() -> list[str]:
    return [_("Department"), *(str(item.label) for item in COLUMNS), _("Score"), _("Maximum"), _("Tier")]


def assessment_page_rows(rows: Sequence[AssessmentRow]) -> list[dict]:
    """Per department: its name, each column's text as every surface shows it, its score and tier."""
    return [
        {
            "row": row,
            "cells": [{"key": item.key, "text": item.text(row.sets.get(item.source))} for item in COLUMNS],
            "score": row.score.points_text if row.score else "—",
            "maximum": f"{row.score.maximum.normalize():f}" if row.score else "—",
            "tier": row.score.tier_label if row.score else "—",
        }
        for row in rows
    ]


def assessment_cells(rows: Sequence[AssessmentRow]) -> Iterator[list]:
    """The same rows as cells: counts as numbers, rates as the rounded value (0.963, shown 96.3%)."""
    for row in rows:
        score = row.score
        yield [
            row.department.name,
            *(item.cell(row.sets.get(item.source)) for item in COLUMNS),
            score.points if score and score.maximum else None,
            score.maximum if score and score.maximum else None,
            score.tier_label if score else "—",
        ]


def assessment_sheet(*, year: int, rows: Sequence[AssessmentRow]) -> Sheet:
    return Sheet(
        _("Assessment %(year)s") % {"year": year},
        assessment_header(),
        assessment_cells(rows),
        widths=[16] + [11] * len(COLUMNS) + [8, 8, 8],
    )

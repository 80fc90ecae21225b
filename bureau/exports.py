"""Spreadsheet and CSV exports. Every export writes user text through ``safe_cell`` so that no
cell becomes a formula when the file is opened (CSV/formula injection)."""

import csv
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """A value ready for a cell: numbers and dates stay typed, aware datetimes become local time,
    text that a spreadsheet would read as a formula gets a leading apostrophe."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return value
    text = str(value)
    if text.startswith(_FORMULA_TRIGGERS):
        return "'" + text
    return text


class Heading(str):
    """Text shown bold inside a sheet's rows: the title or the header row of a table below the first."""


class Percent(float):
    """A rate (0.25 for 25 %) written as a number formatted as a percentage."""


def rate_cell(value: Decimal | None) -> Percent | None:
    """A rate from ``bureau.rates.rate`` (Decimal("96.3")) as a cell: the rounded value as a fraction,
    0.963, shown with the "0.0%" format as 96.3% — the cell holds the number every other surface
    shows, never a longer one; no rate (nothing to divide by) is an empty cell."""
    return None if value is None else Percent(value / 100)


@dataclass
class Sheet:
    title: str
    header: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[int] | None = None


# Rows between two calls of ``write_xlsx``'s ``progress`` callback.
PROGRESS_EVERY = 5_000


DATE_FORMATS = {datetime: "yyyy-mm-dd hh:mm", date: "yyyy-mm-dd"}


def _row_cells(worksheet, row: Sequence, styled: dict) -> list:
    """Plain values go in as they are (cheap for large sheets); dates, rates and headings get a
    styled cell. A write-only row is written out as soon as it is appended, so one styled date
    cell per column (``styled``) is reused row after row: styling a new cell for every date costs
    as much again as the whole row."""
    cells = []
    for column, value in enumerate(row):
        if isinstance(value, Heading):
            cell = WriteOnlyCell(worksheet, value=safe_cell(str(value)))
            cell.font = Font(bold=True)
        elif isinstance(value, Percent):
            cell = WriteOnlyCell(worksheet, value=float(value))
            cell.number_format = "0.0%"
        else:
            value = safe_cell(value)
            kind = datetime if isinstance(value, datetime) else date if isinstance(value, date) else None
            if kind is None:
                cell = value
            else:
                cell = styled.get((column, kind))
                if cell is None:
                    cell = styled[(column, kind)] = WriteOnlyCell(worksheet)
                    cell.number_format = DATE_FORMATS[kind]
                cell.value = value
        cells.append(cell)
    return cells


def write_xlsx(sheets: Sequence[Sheet], stream, *, progress: Callable[[str, int], None] | None = None) -> None:
    """Write the sheets in write-only mode (constant memory) with a bold, frozen header row.
    ``progress(sheet title, rows written)`` is called every ``PROGRESS_EVERY`` rows and at each
    sheet's end."""
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(title=str(sheet.title)[:31])
        widths = sheet.widths or [max(10, min(50, len(str(h)) * 2 + 4)) for h in sheet.header]
        for index, width in enumerate(widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        worksheet.freeze_panes = "A2"
        header_cells = []
        for title in sheet.header:
            cell = WriteOnlyCell(worksheet, value=safe_cell(str(title)))
            cell.font = Font(bold=True)
            header_cells.append(cell)
        worksheet.append(header_cells)
        written, styled = 0, {}
        for row in sheet.rows:
            worksheet.append(_row_cells(worksheet, row, styled))
            written += 1
            if progress is not None and written % PROGRESS_EVERY == 0:
                progress(str(sheet.title), written)
        if progress is not None:
            progress(str(sheet.title), written)
    workbook.save(stream)


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(*, filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    buffer = io.BytesIO()
    write_xlsx(sheets, buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE), filename)


def bytes_response(*, filename: str, content: bytes, content_type: str) -> HttpResponse:
    """A finished file (a .docx, say) as a download."""
    return _attachment(HttpResponse(content, content_type=content_type), filename)


def csv_response(*, filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """UTF-8 with a BOM, which is what Excel on a Chinese Windows desktop needs to read it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([safe_cell(str(h)) for h in header])
    for row in rows:
        writer.writerow(["" if value is None else safe_cell(value) for value in row])
    return _attachment(response, filename)

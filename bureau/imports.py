"""Reading uploaded tables (.xlsx, .csv) safely: the zip container is inspected before openpyxl
opens it (a small file can unpack to gigabytes), and text encodings common in Chinese offices
are accepted."""

import csv
import io
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.worksheet.formula import ArrayFormula

MAX_ZIP_ENTRIES = 200
MAX_UNCOMPRESSED_RATIO = 100
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024


def _check_zip(uploaded_file, *, size: int) -> None:
    try:
        uploaded_file.seek(0)
        with zipfile.ZipFile(uploaded_file) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile as error:
        raise ValidationError(_("The file is not a valid .xlsx workbook."), code="bad_file") from error
    finally:
        uploaded_file.seek(0)
    if len(entries) > MAX_ZIP_ENTRIES:
        raise ValidationError(_("The workbook has too many parts to be read safely."), code="too_many_entries")
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNCOMPRESSED_BYTES or unpacked > max(size, 1) * MAX_UNCOMPRESSED_RATIO:
        raise ValidationError(_("The workbook unpacks to far more data than it holds; it was refused."), code="bomb")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, ArrayFormula):
        return value.text or "="
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(uploaded_file, *, max_rows: int) -> list[list[str]]:
    # Formulas are read as their text ("=…"), not their cached result, so a check can say "this is a
    # formula" instead of "empty": files written by programs often carry no cached result at all.
    workbook = load_workbook(uploaded_file, read_only=True, data_only=False)
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            if len(rows) > max_rows:
                raise ValidationError(
                    _("The file has more than %(count)s rows; split it into smaller files.") % {"count": max_rows},
                    code="too_many_rows",
                )
            rows.append([_cell_text(value) for value in row])
        return rows
    finally:
        workbook.close()


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("The CSV file is neither UTF-8 nor GB18030 text."), code="encoding")


def _read_csv(uploaded_file, *, max_rows: int) -> list[list[str]]:
    uploaded_file.seek(0)
    text = _decode(uploaded_file.read())
    rows = []
    for row in csv.reader(io.StringIO(text)):
        if len(rows) > max_rows:
            raise ValidationError(
                _("The file has more than %(count)s rows; split it into smaller files.") % {"count": max_rows},
                code="too_many_rows",
            )
        rows.append([cell.strip() for cell in row])
    return rows


def read_table(uploaded_file, *, max_bytes: int, max_rows: int) -> list[list[str]]:
    """All rows of the first sheet (or the CSV) as lists of stripped strings, header included.
    Raises ValidationError with a message for the person who uploaded it."""
    size = getattr(uploaded_file, "size", None) or 0
    if size > max_bytes:
        raise ValidationError(
            _("The file is too large: at most %(limit)s is allowed.") % {"limit": filesizeformat(max_bytes)},
            code="too_large",
        )
    extension = PurePath(uploaded_file.name or "").suffix.lower()
    if extension == ".xlsx":
        _check_zip(uploaded_file, size=size)
        try:
            return _read_xlsx(uploaded_file, max_rows=max_rows)
        except ValidationError:
            raise
        except Exception as error:  # openpyxl raises many kinds for a damaged file
            raise ValidationError(_("The workbook could not be read: it may be damaged."), code="bad_file") from error
    if extension == ".csv":
        return _read_csv(uploaded_file, max_rows=max_rows)
    raise ValidationError(_("Only .xlsx and .csv files can be imported."), code="bad_type")

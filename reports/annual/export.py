"""Writing the annual summary to a file, for the ``export_annual_summary`` command: the year is
checked, its figures compiled (not stored), and the workbook or the draft written to a temporary
file beside the target, which replaces the target only when complete — a failed export leaves no
half-written file behind."""

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from bureau import clock
from reports.annual.draft import write_annual_draft
from reports.annual.figures import annual_figures, has_data
from reports.annual.forms import validate_summary_year
from reports.annual.workbook import sheet_title, write_annual_workbook

FORMATS = ("xlsx", "docx")


class ExportError(Exception):
    """The export cannot be made; the message says why, for the person who asked."""


@dataclass(frozen=True)
class ExportResult:
    year: int
    path: Path
    format: str
    figures: dict


def parse_year(value: str | int) -> int:
    try:
        year = int(str(value).strip())
    except ValueError:
        raise ExportError(_("%(value)s is not a year.") % {"value": value}) from None
    try:
        return validate_summary_year(year)
    except ValidationError as error:
        raise ExportError(error.messages[0]) from None


def check_target(path: Path) -> Path:
    """The file's folder must exist and be writable; the target must not be a folder."""
    path = Path(path).expanduser()
    folder = path.parent.resolve() if str(path.parent) else Path.cwd()
    if path.is_dir():
        raise ExportError(_("%(path)s is a folder, not a file.") % {"path": path})
    if not folder.is_dir():
        raise ExportError(_("The folder %(folder)s does not exist.") % {"folder": folder})
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ExportError(_("Cannot write to %(path)s: permission denied.") % {"path": path})
    return path


def export_annual_summary(
    *,
    year: str | int,
    path: str | Path,
    format: str = "xlsx",  # noqa: A002 - the command's option name
    language: str = "zh-hans",
    now: datetime | None = None,
    progress: Callable[[str, int, int | None], None] | None = None,
) -> ExportResult:
    """Write the year's workbook (``xlsx``) or draft (``docx``) to ``path``. ``progress(sheet,
    rows written, rows expected or None)`` follows the workbook's sheets. Raises ExportError for a
    bad year, a year with nothing recorded, a bad format or a path that cannot be written."""

    if format not in FORMATS:
        raise ExportError(_("Unknown format %(format)s: use xlsx or docx.") % {"format": format})
    year = parse_year(year)
    path = check_target(Path(path))
    now = now or clock.now()
    figures = annual_figures(year=year, now=now)
    if not has_data(figures):
        raise ExportError(_("Nothing was recorded in %(year)s: there is no summary to write.") % {"year": year})
    with translation.override(language):
        demands_title = sheet_title("Demands")
    expected = {demands_title: figures["demands"]["total"]["received"]}

    def sheet_progress(sheet: str, written: int) -> None:
        if progress is not None:
            progress(sheet, written, expected.get(sheet))

    try:
        handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below, kept to be renamed
            dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False
        )
    except OSError as error:
        raise ExportError(_("Cannot write to %(path)s: %(error)s") % {"path": path, "error": error.strerror}) from None
    try:
        with handle:
            if format == "xlsx":
                write_annual_workbook(
                    year=year, figures=figures, stream=handle, language=language, now=now, progress=sheet_progress
                )
            else:
                write_annual_draft(figures=figures, stream=handle, language=language)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(handle.name, 0o666 & ~umask)  # a temporary file is private; the export is not
        os.replace(handle.name, path)
    except OSError as error:
        raise ExportError(_("Cannot write to %(path)s: %(error)s") % {"path": path, "error": error.strerror}) from None
    finally:
        if os.path.exists(handle.name):
            os.unlink(handle.name)
    return ExportResult(year=year, path=path, format=format, figures=figures)

"""Write the annual summary of a year to a file: the workbook (xlsx, one sheet per area, every
demand of the year listed) or, with ``--format docx``, the draft 年度工作总结 with the year's real
figures. It exists so that the year-end report takes one command, from the same figures the
dashboard and the annual summary page show. It stores nothing and changes no data.

    python manage.py export_annual_summary --year 2026 --output summary.xlsx
    python manage.py export_annual_summary --year 2026 --output summary.docx --format docx
"""

import sys

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports.annual.export import FORMATS, ExportError, export_annual_summary

BAR_WIDTH = 30


class ProgressBar:
    """A one-line progress bar redrawn in place (only when the output is a terminal)."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.sheet = None

    def __call__(self, sheet: str, written: int, expected: int | None) -> None:
        if expected:
            done = min(written / expected, 1)
            bar = "#" * int(BAR_WIDTH * done)
            line = f"\r{sheet} [{bar:<{BAR_WIDTH}}] {written:,}/{expected:,}"
        else:
            line = f"\r{sheet}: {written:,}"
        if self.sheet is not None and sheet != self.sheet:
            self.stream.write("\n")
        self.sheet = sheet
        self.stream.write(line)
        self.stream.flush()

    def finish(self) -> None:
        if self.sheet is not None:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "Write the annual summary workbook (xlsx) or draft text (docx) of a year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="the calendar year, e.g. 2026 (local time)")
        parser.add_argument("-o", "--output", required=True, help="the file to write")
        parser.add_argument("--format", choices=FORMATS, default="xlsx", help="xlsx (default) or docx")
        parser.add_argument("--language", default="zh-hans", help="language of the headings and text (zh-hans)")

    def handle(self, *args, year: str, output: str, format: str, language: str, **options) -> None:  # noqa: A002
        verbosity = options["verbosity"]
        is_terminal = verbosity >= 1 and hasattr(sys.stdout, "isatty") and sys.stdout.isatty()
        bar = ProgressBar(sys.stdout) if is_terminal and format == "xlsx" else None
        try:
            result = export_annual_summary(year=year, path=output, format=format, language=language, progress=bar)
        except ExportError as error:
            raise CommandError(str(error)) from None
        finally:
            if bar is not None:
                bar.finish()
        if verbosity >= 1:
            demands = result.figures["demands"]["total"]["received"]
            message = f"Wrote the {result.year} summary ({result.format}, {demands} demands) to {result.path}"
            self.stdout.write(self.style.SUCCESS(message))

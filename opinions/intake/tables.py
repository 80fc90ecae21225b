"""Bulk import of posts from .xlsx or .csv: the template, and checking each row.

Columns are read by position (the header row is skipped), so the template works whatever the
language of its header. A file is checked completely before anything is stored."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bureau import bounds
from bureau.imports import read_table
from bureau.models import Section
from opinions.models import Channel

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

COLUMNS = [
    gettext_lazy("Channel"),
    gettext_lazy("Title"),
    gettext_lazy("Text"),
    gettext_lazy("Author"),
    gettext_lazy("Link"),
    gettext_lazy("Posted at (YYYY-MM-DD HH:MM)"),
    gettext_lazy("Section (optional)"),
]
# The example row's texts; its channel and time are today's real ones (``example_row``), so the
# template imports as downloaded.
EXAMPLE_TITLE = "反映某网吧违规接纳未成年人"
EXAMPLE_TEXT = "市民来电反映：城东某网吧晚上仍有未成年人上网，希望有关部门检查。"
EXAMPLE_AUTHOR = "张先生"
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d", "%Y/%m/%d")


@dataclass
class ImportPreview:
    good: list[dict] = field(default_factory=list)
    bad: list[tuple[int, str]] = field(default_factory=list)
    total: int = 0


def example_row(*, now: datetime) -> list[str]:
    """A row that imports: the first active channel, posted an hour ago (local time)."""
    channel = Channel.objects.active().order_by("name").values_list("name", flat=True).first()
    posted = timezone.localtime(now - timedelta(hours=1))
    return [channel or "", EXAMPLE_TITLE, EXAMPLE_TEXT, EXAMPLE_AUTHOR, "", f"{posted:%Y-%m-%d %H:%M}", ""]


def valid_values() -> tuple[list[str], list[list[str]]]:
    """The template's second sheet: the names the Channel and Section columns accept."""
    channels = [
        [channel.name, str(channel.get_kind_display()), ""]
        for channel in Channel.objects.active().order_by("kind", "name")
    ]
    sections = [["", "", str(section)] for section in Section.objects.filter(is_active=True).order_by("name")]
    header = [str(_("Channel")), str(_("Channel type")), str(_("Section (optional)"))]
    return header, channels + sections


def _parse_time(value: str) -> datetime | None:
    for pattern in _DATE_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(value, pattern))  # noqa: DTZ007 - made aware here
        except ValueError:
            continue
    return None


def check_rows(rows: list[list[str]]) -> ImportPreview:
    """Check every data row; each bad row gets its spreadsheet row number and the reason."""
    channels = {channel.name: channel.pk for channel in Channel.objects.active()}
    sections: dict[str, int] = {}
    for section in Section.objects.filter(is_active=True):
        sections[section.name] = section.pk
        sections[str(section)] = section.pk
    preview = ImportPreview()
    url_validator = URLValidator(schemes=["http", "https"])
    for number, raw in enumerate(rows[1:], start=2):
        row = [cell.strip() for cell in raw] + [""] * (len(COLUMNS) - len(raw))
        if not any(row):
            continue
        preview.total += 1
        channel_name, title, body, author, link, posted, section_name = row[: len(COLUMNS)]
        problems = [
            _("the %(column)s is a formula; copy the cells and paste them as values")
            % {"column": str(COLUMNS[index]).split(" (")[0].lower()}
            for index, value in enumerate(row[: len(COLUMNS)])
            if value.startswith("=")
        ]
        if problems:
            preview.bad.append((number, "; ".join(problems)))
            continue
        if channel_name not in channels:
            problems.append(_("unknown channel “%(name)s”") % {"name": channel_name[:50]})
        if not title:
            problems.append(_("the title is empty"))
        elif len(title) > 500:
            problems.append(_("the title is longer than 500 characters"))
        if link:
            try:
                url_validator(link)
            except ValidationError:
                problems.append(_("the link is not an http(s) address"))
        posted_at = None
        if posted:
            posted_at = _parse_time(posted)
            if posted_at is None:
                problems.append(_("the time “%(value)s” is not YYYY-MM-DD HH:MM") % {"value": posted[:30]})
            elif problem := bounds.moment_problem(posted_at):
                problems.append(problem)
        if section_name and section_name not in sections:
            problems.append(_("unknown section “%(name)s”") % {"name": section_name[:50]})
        if problems:
            preview.bad.append((number, "; ".join(problems)))
            continue
        preview.good.append(
            {
                "row": number,
                "channel_id": channels[channel_name],
                "section_id": sections.get(section_name) if section_name else None,
                "title": title,
                "body": body,
                "author": author[:200],
                "link": link,
                "posted_at": posted_at.isoformat() if posted_at else None,
            }
        )
    return preview


def read_upload(uploaded_file) -> ImportPreview:
    """Read and check an uploaded file. Raises ValidationError for a file that cannot be read at all."""
    rows = read_table(uploaded_file, max_bytes=MAX_BYTES, max_rows=MAX_ROWS + 1)
    if len(rows) < 2:
        raise ValidationError(_("The file has no rows below the header."))
    return check_rows(rows)

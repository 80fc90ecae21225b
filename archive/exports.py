"""The archive's xlsx export: a filtered range of records, streamed from the database into a
write-only workbook on disk, then served from there; memory stays flat however many rows."""

import tempfile
from collections.abc import Iterator, Mapping
from typing import IO, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from archive.filters import ArchiveRecordFilter
from archive.labels import action_label, object_type_label
from archive.selectors import archive_record_list
from archive.services import archive_record
from bureau import clock
from bureau.exports import Sheet, write_xlsx

HEADER = [
    pgettext_lazy("archive export column", "Record"),  # its number; "Record" alone is the verb 登记
    gettext_lazy("Time"),
    gettext_lazy("By"),
    gettext_lazy("IP address"),
    gettext_lazy("Action"),
    gettext_lazy("Object type"),
    gettext_lazy("Object id"),
    gettext_lazy("Object"),
    gettext_lazy("Summary"),
]
WIDTHS = [10, 18, 14, 16, 32, 22, 10, 36, 60]
_COLUMNS = [
    "pk",
    "created_at",
    "actor_name",
    "ip_address",
    "action",
    "target_type",
    "target_id",
    "target_text",
    "summary",
]
CHUNK_SIZE = 2000


ACTION_COLUMN, TYPE_COLUMN = _COLUMNS.index("action"), _COLUMNS.index("target_type")


def export_rows(records: QuerySet) -> Iterator[tuple]:
    """One tuple per record, read in chunks with a server-side cursor (PostgreSQL); times are made
    local by ``safe_cell`` when written; actions and object types are named in the reader's language."""
    for row in records.values_list(*_COLUMNS).iterator(chunk_size=CHUNK_SIZE):
        cells = list(row)
        cells[ACTION_COLUMN] = action_label(cells[ACTION_COLUMN])
        cells[TYPE_COLUMN] = object_type_label(cells[TYPE_COLUMN]) if cells[TYPE_COLUMN] else ""
        yield tuple(cells)


def used_filters(filters: Mapping[str, Any]) -> dict[str, str]:
    """The filter values that were given, as typed (recorded with the export)."""
    names = ArchiveRecordFilter.base_filters
    return {name: str(filters.get(name)) for name in names if filters.get(name) not in (None, "")}


def archive_export_xlsx(*, user, filters: Mapping[str, Any], request=None) -> tuple[IO[bytes], str, int]:
    """Write the records the user may read, narrowed by ``filters``, to a temporary xlsx file, and
    archive the export itself (who, when, which filters, how many rows). Returns the open file
    (rewound; deleted when closed), its download name and the number of rows."""
    records = archive_record_list(user=user, filters=filters)
    counted = 0

    def rows():
        nonlocal counted
        for row in export_rows(records):
            counted += 1
            yield row

    stream = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 - FileResponse closes it
    try:
        sheet = Sheet(title=gettext("Archive"), header=[str(h) for h in HEADER], rows=rows(), widths=WIDTHS)
        with transaction.atomic():  # the server-side cursor lives inside one transaction
            write_xlsx([sheet], stream)
        chosen = used_filters(filters)
        archive_record(
            action="archive.record.exported",
            actor=user,
            request=request,
            summary=gettext("Exported %(count)s archive records to xlsx.") % {"count": counted},
            after={"filters": chosen, "rows": counted, "format": "xlsx"},
        )
    except BaseException:
        stream.close()
        raise
    stream.seek(0)
    return stream, f"archive-{clock.today():%Y%m%d}.xlsx", counted

"""Reads of the archive: the filtered list, one object's history."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.db.models import QuerySet

from archive.filters import ArchiveRecordFilter
from archive.models import ArchiveCheck, ArchiveRecord
from bureau.kept import Kept, kept
from bureau.search import SEARCH_COLUMNS
from bureau.types import AnyUser


def archive_record_list(*, user: AnyUser, filters: Mapping[str, Any] | None = None) -> QuerySet[ArchiveRecord]:
    """Records the user may read, newest first, narrowed by ``ArchiveRecordFilter``.

    Invalid filter values are ignored (the form shows their errors). The list page touches no
    relation that is not loaded here, so its query count does not grow with the rows."""
    if not user.has_perm("archive.view_archiverecord"):
        return ArchiveRecord.objects.none()
    records = ArchiveRecord.objects.select_related("actor__person").defer(*SEARCH_COLUMNS).order_by("-pk")
    return ArchiveRecordFilter(filters or {}, queryset=records).qs


def archive_history_for(*, target: models.Model) -> QuerySet[ArchiveRecord]:
    """Every record about one object, newest first (served by the archive_target_idx index).

    Not scoped to a user: it is shown on the object's own page, to whoever may see the object."""
    return (
        ArchiveRecord.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))
        .select_related("actor__person")
        .order_by("-pk")
    )


def archive_head() -> int:
    """The newest record's id (0 for an empty archive). Every change of state writes a record,
    so the head names the state everything is in: a value computed at one head is still true
    while the head has not moved (``kept_while_unchanged``). One index read."""
    return ArchiveRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# How long at most a value is kept while the archive stands. Some values move with the clock alone
# (a deadline passing; the deadline sweep, which writes no record, runs once a minute), and a
# change made outside the services (an admin's permission, a bulk load) writes no record either:
# the minute bounds them. Each value's minute runs from its own computing, so values kept for many
# users are not all computed again at the same instant.
KEPT_SECONDS = 60


def kept_while_unchanged(name: str, arguments: tuple, compute: Callable[[], Kept]) -> Kept:
    """``compute()``, kept in this process's memory under ``name`` and ``arguments`` (whatever
    else the value depends on: the user, the period) while the archive's head stands, for
    ``KEPT_SECONDS`` at most: never behind a recorded change, at most a minute behind the clock.
    The head is read before computing: a change committed in between gives the next reader a new
    key, whereas read after, an older value could be kept under the newer head. Never call it in
    a transaction that writes: a value seeing its own uncommitted change would be kept under a
    head that, rolled back, another change can take (SQLite reuses the id)."""
    return kept(name, (archive_head(), arguments), compute, seconds=KEPT_SECONDS)


VIEWED = ".viewed"


@dataclass(frozen=True)
class Browsing:
    """How often an object was opened: the views are in the archive one by one (the browsing
    record), but its history shows them as one line."""

    count: int
    last_at: datetime
    last_by: str


@dataclass(frozen=True)
class FoldedHistory:
    records: list[ArchiveRecord]
    browsing: Browsing | None


def archive_history_folded(*, target: models.Model, limit: int = 50) -> FoldedHistory:
    """One object's history for its page: the latest ``limit`` changes, newest first, and its views
    folded into a count with the last viewer (three queries, whatever the number of views)."""
    history = archive_history_for(target=target)
    changes = list(history.exclude(action__endswith=VIEWED)[:limit])
    views = history.filter(action__endswith=VIEWED)
    last = views.first()
    if last is None:
        return FoldedHistory(records=changes, browsing=None)
    return FoldedHistory(
        records=changes,
        browsing=Browsing(count=views.count(), last_at=last.created_at, last_by=last.actor_name),
    )


def archive_check_latest(*, user: AnyUser) -> ArchiveCheck | None:
    """The most recent stored chain check, for those who may run one; None for everyone else."""
    if not user.has_perm("archive.verify_archive"):
        return None
    return ArchiveCheck.objects.select_related("checked_by__person").order_by("-started_at", "-pk").first()


def archive_check_history(*, user: AnyUser, limit: int = 20) -> list[ArchiveCheck]:
    """The latest ``limit`` chain checks, newest first (one query)."""
    if not user.has_perm("archive.verify_archive"):
        return []
    return list(ArchiveCheck.objects.select_related("checked_by__person").order_by("-started_at", "-pk")[:limit])

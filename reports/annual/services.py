"""Compiling the annual summary, keeping the revisions of a finished year, writing its workbook.

``annual_summary_compile`` stores the year's figures (one row per year, each compile an archive
record) and schedules the workbook. While the year runs, each compile replaces the figures. Once it
has ended, a compile whose figures differ from the last revision's makes a new revision (第N版,
``reports.models.AnnualSummaryRevision``, keeping what changed) and one whose figures are the same
leaves the current revision as it is. ``annual_summaries_note_changes`` marks a final revision as
changed when an archive record written after it touches its year (``reports.annual.changes``), and
the nightly compile recompiles the marked years. ``annual_summary_write_workbook`` writes the stored
workbook for the current compilation, and does nothing if it already exists or a newer compilation
replaced the one it was asked for. All are safe to run twice."""

import logging
import tempfile
from datetime import date, datetime
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from archive.models import ArchiveRecord
from archive.services import archive_record
from bureau import clock
from bureau.models import AnnualSummary, User
from reports.annual.changes import BATCH, years_touched
from reports.annual.figures import annual_figures
from reports.annual.revisions import figure_changes
from reports.annual.selectors import annual_summary_latest_revisions
from reports.annual.shapes import AnnualFigures
from reports.annual.workbook import write_annual_workbook
from reports.models import AnnualSummaryRevision

logger = logging.getLogger(__name__)


# The figures the archive record keeps of each compilation (the whole dict lives on the row).
def _headline(figures: AnnualFigures) -> dict[str, int]:
    return {
        "demands.received": figures["demands"]["total"]["received"],
        "demands.replied": figures["demands"]["total"]["replied"],
        "demands.completed": figures["demands"]["total"]["completed"],
        "posts.found": figures["posts"]["total"]["found"],
        "publicity.published": figures["publicity"]["published"],
    }


# The archive record of a new revision keeps at most this many of its changed figures (the
# revision row keeps them all).
RECORDED_CHANGES = 100


def _archive_watermark() -> int:
    return ArchiveRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@transaction.atomic
def annual_summary_compile(
    *,
    year: int,
    actor: User | None = None,
    now: datetime | None = None,
    schedule_workbook: bool = True,
    request: HttpRequest | None = None,
) -> AnnualSummary:
    """Compile the year's figures and store them.

    ``actor`` is the user who asked, None for the beat job. The summary is final when the year had
    ended at ``now``; a final year's compile makes a new revision only if a figure differs from the
    last revision's (else the last one stays current, and is no longer marked as changed). Each
    compile is archived, with its revision and what changed. After commit the workbook is scheduled
    (``schedule_workbook``)."""
    now = now or clock.now()
    # The first compile of a year creates the row; two at once (the nightly job and a click) meet
    # on the unique year and then take turns on the row lock.
    AnnualSummary.objects.get_or_create(year=year, defaults={"compiled_at": now})
    summary = AnnualSummary.objects.select_for_update().get(year=year)
    # Read before the figures: a change committed while they are counted has a later record, so the
    # change scan looks at it again; a change is never missed, at worst checked twice.
    watermark = _archive_watermark()
    figures = annual_figures(year=year, now=now)
    revision = _revise(summary, figures, watermark=watermark, actor=actor, now=now) if figures["is_final"] else None
    before = {"is_final": summary.is_final, **_headline(summary.figures)} if summary.revision else {}
    summary.is_final = figures["is_final"]
    summary.figures = figures
    summary.compiled_at = now
    summary.compiled_by = actor
    summary.revision += 1
    summary.save()
    after: dict = {"is_final": summary.is_final, **_headline(figures)}
    if revision is not None:
        after.update(
            revision=revision.number, changed_figures=len(revision.changes), changes=revision.changes[:RECORDED_CHANGES]
        )
    archive_record(
        actor=actor,
        action="reports.annualsummary.compiled",
        target=summary,
        summary=f"{year} annual summary compiled" + (f", revision {revision.number}" if revision else ""),
        before=before,
        after=after,
        request=request,
        now=now,
    )
    if schedule_workbook:
        transaction.on_commit(lambda: _schedule_workbook(summary.pk))
    return summary


def _revise(
    summary: AnnualSummary, figures: AnnualFigures, *, watermark: int, actor: User | None, now: datetime
) -> AnnualSummaryRevision:
    """The revision a final year's compilation belongs to: a new one (the first, or the figures
    differ from the last revision's), else the last one, which stays current and is no longer
    marked as changed (it is checked up to ``watermark``). The summary row is locked by the caller."""
    latest = AnnualSummaryRevision.objects.filter(summary=summary).order_by("-number").first()
    changes = figure_changes(dict(latest.figures), dict(figures)) if latest is not None else []
    if latest is not None and not changes:
        latest.changed_at = None
        latest.checked_up_to = max(latest.checked_up_to, watermark)
        latest.save(update_fields=["changed_at", "checked_up_to"])
        return latest
    return AnnualSummaryRevision.objects.create(
        summary=summary,
        number=latest.number + 1 if latest is not None else 1,
        figures=figures,
        changes=changes,
        compiled_at=now,
        compiled_by=actor,
        archive_watermark=watermark,
        checked_up_to=watermark,
    )


def annual_summaries_note_changes(*, now: datetime | None = None) -> list[int]:
    """Mark each final summary's current revision as changed when an archive record written after
    it touches its year (``reports.annual.changes``). Returns the years newly marked. Reads the
    records once for all years, in batches; safe to run twice or concurrently (conditional updates:
    a revision is marked once, and its check only moves forward)."""
    latest = list(annual_summary_latest_revisions())
    if not latest:
        return []
    start = min(revision.checked_up_to for revision in latest)
    marked: list[int] = []
    while True:
        touches = years_touched(after_record=start)
        if touches.last_record is None:
            break
        for revision in latest:
            touch = touches.first_after(revision.summary.year, revision.checked_up_to)
            if touch is None or revision.changed_at is not None:
                continue
            updated = AnnualSummaryRevision.objects.filter(
                pk=revision.pk, changed_at=None, checked_up_to__lt=touch.record_id
            ).update(changed_at=touch.at)
            if updated:
                revision.changed_at = touch.at
                marked.append(revision.summary.year)
        AnnualSummaryRevision.objects.filter(
            pk__in=[revision.pk for revision in latest], checked_up_to__lt=touches.last_record
        ).update(checked_up_to=touches.last_record)
        for revision in latest:
            revision.checked_up_to = max(revision.checked_up_to, touches.last_record)
        start = touches.last_record
        if touches.read < BATCH:  # the end of the archive as it stands
            break
    return marked


def annual_summaries_revise_changed(*, now: datetime | None = None) -> list[int]:
    """Compile again every final year marked as changed, each with its workbook: a new revision
    where a figure differs. Returns the years compiled."""
    now = now or clock.now()
    annual_summaries_note_changes(now=now)
    years = sorted(
        revision.summary.year for revision in annual_summary_latest_revisions() if revision.changed_at is not None
    )
    for year in years:
        summary = annual_summary_compile(year=year, now=now, schedule_workbook=False)
        annual_summary_write_workbook(summary_id=summary.pk)
    return years


def _schedule_workbook(summary_id: int) -> None:
    """Queue the workbook. With the broker down the page still works: the next compile retries."""
    from kombu.exceptions import OperationalError

    # imported here: the task module imports this service (a task and its service)
    from reports.tasks import annual_summary_write_workbook_task

    try:
        annual_summary_write_workbook_task.delay(summary_id)
    except OperationalError:
        logger.warning("annual summary %s: the workbook could not be queued (broker unreachable)", summary_id)


def annual_summary_write_workbook(*, summary_id: int, language: str = "zh-hans") -> bool:
    """Write and store the workbook of the summary's current compilation. Returns False when there
    was nothing to do (already written, or the row is gone). The file is written outside any
    transaction (it can take minutes for a large year); the row is then locked and re-checked, so a
    compilation that happened meanwhile keeps its own workbook to come."""

    summary = AnnualSummary.objects.filter(pk=summary_id).first()
    if summary is None or summary.has_current_workbook:
        return False
    revision = summary.revision
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"annual-{summary.year}.xlsx"
        with path.open("wb") as stream:
            write_annual_workbook(year=summary.year, figures=summary.figures, stream=stream, language=language)
        with transaction.atomic():
            locked = AnnualSummary.objects.select_for_update().filter(pk=summary_id).first()
            if locked is None or locked.revision != revision or locked.has_current_workbook:
                return False
            previous = locked.workbook.name if locked.workbook else ""
            with path.open("rb") as stream:
                locked.workbook.save(path.name, File(stream), save=False)
            locked.workbook_revision = revision
            locked.save(update_fields=["workbook", "workbook_revision"])
            if previous:
                storage, name = locked.workbook.storage, previous
                transaction.on_commit(lambda: storage.delete(name))
    return True


def current_year(now: datetime | None = None) -> int:
    return timezone.localdate(now or clock.now()).year


def annual_summary_compile_current(*, now: datetime | None = None) -> int:
    """The nightly job: the current year's summary so far, compiled and its workbook written; then
    every finished year changed since its last revision, compiled again (a new revision)."""
    now = now or clock.now()
    summary = annual_summary_compile(year=current_year(now), now=now, schedule_workbook=False)
    annual_summary_write_workbook(summary_id=summary.pk)
    annual_summaries_revise_changed(now=now)
    return summary.year


def annual_summary_compile_final(*, now: datetime | None = None) -> int | None:
    """The 1 January job: the year that has just ended, compiled as final. Run again the same
    year, it finds the final summary already there and does nothing."""
    now = now or clock.now()
    year = current_year(now) - 1
    year_end = clock.local_midnight(date(year + 1, 1, 1))
    if AnnualSummary.objects.filter(year=year, is_final=True, compiled_at__gte=year_end).exists():
        return None
    summary = annual_summary_compile(year=year, now=now, schedule_workbook=False)
    annual_summary_write_workbook(summary_id=summary.pk)
    return summary.year

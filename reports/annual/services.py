"""Compiling the annual summary and writing its workbook.

``annual_summary_compile`` stores the year's figures (one row per year, replaced on every compile,
each compile an archive record) and schedules the workbook; ``annual_summary_write_workbook``
writes the stored workbook for the current compilation, and does nothing if it already exists or
a newer compilation replaced the one it was asked for. Both are safe to run twice."""

import logging
import tempfile
from datetime import date, datetime
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from archive.services import archive_record
from bureau import clock
from bureau.models import AnnualSummary, User
from reports.annual.figures import annual_figures
from reports.annual.shapes import AnnualFigures
from reports.annual.workbook import write_annual_workbook

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


@transaction.atomic
def annual_summary_compile(
    *,
    year: int,
    actor: User | None = None,
    now: datetime | None = None,
    schedule_workbook: bool = True,
    request: HttpRequest | None = None,
) -> AnnualSummary:
    """Compile the year's figures and store them (replacing the previous compilation of that year).

    ``actor`` is the user who asked, None for the beat job. The summary is final when the year
    had ended at ``now``. After commit the workbook is scheduled (``schedule_workbook``)."""
    now = now or clock.now()
    # The first compile of a year creates the row; two at once (the nightly job and a click) meet
    # on the unique year and then take turns on the row lock.
    AnnualSummary.objects.get_or_create(year=year, defaults={"compiled_at": now})
    summary = AnnualSummary.objects.select_for_update().get(year=year)
    before = {"is_final": summary.is_final, **_headline(summary.figures)} if summary.revision else {}
    figures = annual_figures(year=year, now=now)
    summary.is_final = figures["is_final"]
    summary.figures = figures
    summary.compiled_at = now
    summary.compiled_by = actor
    summary.revision += 1
    summary.save()
    archive_record(
        actor=actor,
        action="reports.annualsummary.compiled",
        target=summary,
        summary=f"{year} annual summary compiled",
        before=before,
        after={"is_final": summary.is_final, **_headline(figures)},
        request=request,
        now=now,
    )
    if schedule_workbook:
        transaction.on_commit(lambda: _schedule_workbook(summary.pk))
    return summary


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
    """The nightly job: the current year's summary so far, compiled and its workbook written."""
    now = now or clock.now()
    summary = annual_summary_compile(year=current_year(now), now=now, schedule_workbook=False)
    annual_summary_write_workbook(summary_id=summary.pk)
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

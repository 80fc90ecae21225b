"""Archive jobs: shells around services; the nightly one runs once a night (bureau.jobs)."""

from celery import shared_task

from archive.models import ArchiveCheck
from archive.services import archive_check_run
from bureau.jobs import once_a_day


@shared_task(ignore_result=True)
def archive_check_run_task() -> int | None:
    """The nightly chain check, once a night however often beat publishes it (None: already run)."""
    with once_a_day("archive.nightly_check") as first:
        return archive_check_run(source=ArchiveCheck.Source.NIGHTLY).pk if first else None

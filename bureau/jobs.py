"""Time-of-day jobs run once a day, however often they are published (two beats, a restart).

Interval jobs are safe to run twice by design (each flags or sends only what is still to do); a job
meant for one moment a day — the nightly chain check, the annual compile, the quota warning —
claims its (job, day) row first, and a second delivery that finds it taken does nothing. A run that
fails gives its claim back, so the next delivery (or a person) can try again the same day."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.db import IntegrityError, transaction

from bureau import clock
from bureau.models import JobRun


@contextmanager
def once_a_day(job: str, *, day: date | None = None) -> Iterator[bool]:
    """``with once_a_day("archive.nightly_check") as first: if first: …`` — ``first`` is True for the
    first delivery of the day only."""
    try:
        with transaction.atomic():
            run = JobRun.objects.create(job=job, day=day or clock.today(), started_at=clock.now())
    except IntegrityError:
        yield False
        return
    try:
        yield True
    except BaseException:
        JobRun.objects.filter(pk=run.pk).delete()
        raise

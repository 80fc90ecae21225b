"""The annual summary's beat jobs: seeded by a migration, registered with Celery, and the nightly
compile run end to end by a real worker on Redis (built on the real clock: the worker does not see
moved time)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db.models import F
from django_celery_beat.models import PeriodicTask

from bureau import clock
from bureau.celery import app as celery_app
from bureau.models import AnnualSummary, JobRun
from opinions.models import Demand
from opinions.services.demands import demand_reply
from reports.models import AnnualSummaryRevision
from reports.tasks import (
    annual_summaries_note_changes_task,
    annual_summary_compile_current_task,
    annual_summary_compile_final_task,
)
from tests.bureau.test_celery import redis_worker, wait_until  # noqa: F401 - the worker fixture
from tests.opinions.factories import DemandFactory


@pytest.mark.django_db
def test_migrations_seed_the_nightly_and_new_year_jobs():
    celery_app.loader.import_default_modules()
    nightly = PeriodicTask.objects.select_related("crontab").get(name="Compile this year's annual summary")
    assert nightly.task == annual_summary_compile_current_task.name
    assert (nightly.crontab.minute, nightly.crontab.hour, nightly.crontab.day_of_month) == ("30", "1", "*")
    assert str(nightly.crontab.timezone) == "Asia/Shanghai"
    final = PeriodicTask.objects.select_related("crontab").get(name="Compile last year's final annual summary")
    assert final.task == annual_summary_compile_final_task.name
    assert (final.crontab.day_of_month, final.crontab.month_of_year) == ("1", "1")
    assert {nightly.task, final.task} <= set(celery_app.tasks)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_compiles_this_year_and_writes_the_workbook(redis_worker):  # noqa: F811
    DemandFactory(received_at=clock.now())
    DemandFactory(received_at=clock.now())

    annual_summary_compile_current_task.delay()

    assert wait_until(lambda: redis_worker.finished, seconds=60), "the worker ran nothing within 60 seconds"
    year = clock.today().year
    assert redis_worker.finished == [(annual_summary_compile_current_task.name, year)]
    summary = AnnualSummary.objects.get(year=year)
    assert summary.figures["demands"]["total"]["received"] == 2
    assert summary.compiled_by is None
    assert not summary.is_final
    assert summary.has_current_workbook

    # The next night (the first run's claim moved back a day): the same row is compiled afresh, with
    # its own workbook. A second delivery the same night would do nothing (test_jobs_once_a_day.py).
    JobRun.objects.update(day=F("day") - timedelta(days=1))
    annual_summary_compile_current_task.delay()
    assert wait_until(lambda: len(redis_worker.finished) == 2, seconds=60)
    summary.refresh_from_db()
    assert AnnualSummary.objects.count() == 1
    assert summary.revision == 2
    assert summary.has_current_workbook


@pytest.mark.django_db
def test_migrations_seed_the_job_that_notes_changes_to_finished_years():
    celery_app.loader.import_default_modules()
    job = PeriodicTask.objects.select_related("interval").get(name="Note changes to finished years' summaries")
    assert job.task == annual_summaries_note_changes_task.name in celery_app.tasks
    assert (job.interval.every, job.interval.period, job.enabled) == (10, "minutes", True)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_compiles_the_final_year_then_revision_2_after_a_late_reply(redis_worker, cast):  # noqa: F811
    """Last year by the real clock: two demands, one replied on time, one never (until today)."""
    year = clock.today().year - 1
    shanghai = ZoneInfo("Asia/Shanghai")
    DemandFactory(
        received_at=datetime(year, 6, 10, 10, tzinfo=shanghai),
        state=Demand.State.REPLIED,
        replied_at=datetime(year, 6, 10, 12, tzinfo=shanghai),
        first_replied_at=datetime(year, 6, 10, 12, tzinfo=shanghai),
    )
    late = DemandFactory(
        received_at=datetime(year, 12, 30, 10, tzinfo=shanghai),
        due_at=datetime(year, 12, 31, 10, tzinfo=shanghai),
        state=Demand.State.ASSIGNED,
        handler=cast["staff"],
    )

    annual_summary_compile_final_task.delay()
    assert wait_until(lambda: len(redis_worker.finished) == 1, seconds=60), "the final compile did not run"
    first = AnnualSummaryRevision.objects.get(summary__year=year)
    # Revision 1: 2 received, 1 replied (on time), 1 overdue.
    assert first.number == 1
    assert first.figures["demands"]["total"]["replied"] == 1
    assert first.figures["demands"]["total"]["overdue"] == 1

    demand_reply(demand=late, actor=cast["staff"].user, reply_text="已答复市民。")
    annual_summaries_note_changes_task.delay()
    assert wait_until(lambda: len(redis_worker.finished) == 2, seconds=60), "the change job did not run"
    assert redis_worker.finished[1] == (annual_summaries_note_changes_task.name, [year])

    annual_summary_compile_current_task.delay()  # the nightly compile
    assert wait_until(lambda: len(redis_worker.finished) == 3, seconds=60), "the nightly compile did not run"
    revisions = list(AnnualSummaryRevision.objects.filter(summary__year=year).order_by("number"))
    assert [revision.number for revision in revisions] == [1, 2]
    assert revisions[0].figures["demands"]["total"]["replied"] == 1  # revision 1 unchanged
    assert revisions[1].figures["demands"]["total"]["replied"] == 2  # the late reply counted
    assert revisions[1].figures["demands"]["total"]["overdue"] == 0
    assert revisions[1].changed_at is None
    assert AnnualSummary.objects.get(year=year).has_current_workbook

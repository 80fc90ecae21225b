"""The annual summary's beat jobs: seeded by a migration, registered with Celery, and the nightly
compile run end to end by a real worker on Redis (built on the real clock: the worker does not see
moved time)."""

import pytest
from django_celery_beat.models import PeriodicTask

from bureau import clock
from bureau.celery import app as celery_app
from bureau.models import AnnualSummary
from reports.tasks import annual_summary_compile_current_task, annual_summary_compile_final_task
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

    # Run again: the same row is compiled afresh, with its own workbook.
    annual_summary_compile_current_task.delay()
    assert wait_until(lambda: len(redis_worker.finished) == 2, seconds=60)
    summary.refresh_from_db()
    assert AnnualSummary.objects.count() == 1
    assert summary.revision == 2
    assert summary.has_current_workbook

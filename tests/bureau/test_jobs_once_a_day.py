"""A time-of-day job published twice the same day (two beats, a restart) runs once."""

import pytest

from archive.models import ArchiveCheck
from archive.tasks import archive_check_run_task
from bureau.jobs import once_a_day
from bureau.models import JobRun
from publicity.tasks import quotas_warn_behind_pace_task
from reports.tasks import annual_summary_compile_current_task

pytestmark = pytest.mark.django_db


def test_the_nightly_chain_check_published_twice_is_stored_once(travel):
    first = archive_check_run_task()
    second = archive_check_run_task()
    assert first is not None
    assert second is None
    assert ArchiveCheck.objects.filter(source=ArchiveCheck.Source.NIGHTLY).count() == 1


def test_the_next_night_runs_again(travel):
    from datetime import timedelta

    archive_check_run_task()
    travel.shift(timedelta(days=1))
    assert archive_check_run_task() is not None
    assert ArchiveCheck.objects.filter(source=ArchiveCheck.Source.NIGHTLY).count() == 2


def test_each_time_of_day_job_claims_its_own_day(travel):
    annual_summary_compile_current_task()
    quotas_warn_behind_pace_task()
    assert annual_summary_compile_current_task() is None
    assert quotas_warn_behind_pace_task() is None
    assert sorted(JobRun.objects.values_list("job", flat=True)) == [
        "publicity.quota_warning",
        "reports.annual_compile_current",
    ]


def _failing_run():
    with once_a_day("test.job") as first:
        assert first
        raise RuntimeError("disk full")


def test_a_failed_run_gives_its_day_back(travel):
    with pytest.raises(RuntimeError):
        _failing_run()
    with once_a_day("test.job") as again:
        assert again

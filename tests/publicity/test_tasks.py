from datetime import date, timedelta

import pytest
from django_celery_beat.models import PeriodicTask

from archive.models import ArchiveRecord
from bureau import clock
from bureau.celery import app as celery_app
from bureau.models import Notification
from publicity.models import QuotaWarning
from publicity.services import quotas_warn_behind_pace
from publicity.tasks import quotas_warn_behind_pace_task
from tests.bureau.test_celery import redis_worker, wait_until  # noqa: F401 - shared fixtures
from tests.publicity.factories import PublicityPostFactory, QuotaFactory


@pytest.fixture
def behind(cast, travel):
    """2 March 2026: 30 a year means 5 expected by now; 2 are published."""
    quota = QuotaFactory(year=2026, minimum=30)
    PublicityPostFactory.create_batch(2, published=date(2026, 2, 1))
    return quota


def test_the_behind_pace_warning_is_sent_once_a_month(cast, behind, travel):
    assert quotas_warn_behind_pace() == 1
    notice = Notification.objects.get(recipient=cast["supervisor"].user, kind="publicity.behind_pace")
    # 2 published by 1 February against a quota of 30 (the test runs in English).
    assert "2 of 30 posts published in 2026" in notice.body
    assert not Notification.objects.filter(kind="publicity.behind_pace").exclude(recipient=cast["supervisor"].user)
    assert ArchiveRecord.objects.filter(action="publicity.quotawarning.sent").count() == 1

    travel.shift(timedelta(days=1))
    assert quotas_warn_behind_pace() == 0  # later the same month: nothing more
    assert Notification.objects.filter(kind="publicity.behind_pace").count() == 1

    travel.move_to(clock.local_midnight(date(2026, 4, 1)) + timedelta(hours=8, minutes=30))
    assert quotas_warn_behind_pace() == 1  # a new month, still behind
    assert QuotaWarning.objects.count() == 2
    assert Notification.objects.filter(kind="publicity.behind_pace").count() == 2


def test_no_warning_on_pace_or_for_last_year(cast, travel):
    QuotaFactory(year=2026, minimum=30)
    QuotaFactory(year=2025, minimum=30)
    PublicityPostFactory.create_batch(5, published=date(2026, 2, 1))
    assert quotas_warn_behind_pace() == 0
    assert not Notification.objects.filter(kind="publicity.behind_pace").exists()


def test_the_job_is_seeded_and_names_a_registered_task(db):
    job = PeriodicTask.objects.get(task="publicity.tasks.quotas_warn_behind_pace_task")
    assert job.enabled
    assert job.crontab is not None
    assert job.task in celery_app.tasks


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_warns_once(redis_worker):  # noqa: F811 - the fixture imported above
    from bureau.models import Role
    from tests.factories import PersonFactory

    supervisor = PersonFactory(role=Role.OFFICE_HEAD)
    QuotaFactory(year=clock.today().year, minimum=100_000)  # the real clock: behind whatever the date

    quotas_warn_behind_pace_task.delay()
    quotas_warn_behind_pace_task.delay()

    def warnings_done():
        return [value for name, value in redis_worker.finished if name == quotas_warn_behind_pace_task.name]

    assert wait_until(lambda: len(warnings_done()) == 2), redis_worker.finished
    # The first delivery warns one person; the second finds the day's run taken and does nothing.
    assert sorted(warnings_done(), key=lambda value: -1 if value is None else value) == [None, 1]
    assert Notification.objects.filter(recipient=supervisor.user, kind="publicity.behind_pace").count() == 1

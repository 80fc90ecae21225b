"""The response-clock sweep end to end: the task goes through Redis to the Procfile's own
``worker`` process, which escalates the overdue clock once; a second delivery escalates nothing.
A real worker does not see moved time, so the event is built relative to the real clock."""

from datetime import timedelta

import pytest

from archive.models import ArchiveRecord
from bureau import clock
from bureau.celery import app as celery_app
from bureau.models import Notification
from events.models import EventClock
from events.services import event_create, event_grade
from events.tasks import event_clocks_sweep_task
from tests.opinions.factories import PostFactory
from tests.realparts import WorkerProcess, forget_redis_queue, procfile_command, wait_until, worker_environment

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_sweep_on_a_real_worker_escalates_an_overdue_clock_once(committed_db, cast, tmp_path):
    broker_url = celery_app.conf.broker_url
    if not broker_url.startswith("redis"):
        pytest.skip("needs the Redis broker: CELERY_BROKER_URL=redis://…")
    forget_redis_queue(broker_url, "celery")
    actor = cast["supervisor"].user
    # First seen 5 h 30 s ago: the level I authoritative-information clock (5 h) is 30 s overdue.
    post = PostFactory(found_at=clock.now() - timedelta(hours=5, seconds=30))
    event = event_create(actor=actor, post_ids=[post.pk])
    event_grade(event=event, actor=actor, level="I")
    worker = WorkerProcess(procfile_command("worker"), worker_environment(tmp_path), tmp_path / "worker.log")
    try:
        worker.wait_ready()
        first = event_clocks_sweep_task.delay()
        assert wait_until(lambda: worker.succeeded(first.id), seconds=60), worker.log()
        assert worker.result(first.id) == "1"
        second = event_clocks_sweep_task.delay()
        assert wait_until(lambda: worker.succeeded(second.id), seconds=60), worker.log()
        assert worker.result(second.id) == "0"
    finally:
        worker.stop()
        forget_redis_queue(broker_url, "celery")
    escalated = EventClock.objects.filter(event=event, escalated_at__isnull=False)
    assert list(escalated.values_list("kind", flat=True)) == ["authoritative"]
    assert ArchiveRecord.objects.filter(action="events.eventclock.escalated").count() == 1
    assert Notification.objects.filter(kind="events.clock.authoritative").count() == 2  # office head, leader

"""Celery: the periodic jobs, publishing when the broker is down, and a real worker on Redis.

The helpers at the top (``unreachable_broker``, ``committed_db``) are shared with
test_notifications.py and test_healthz.py, which import them from here."""

import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.core import mail
from django.db import connections, transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask
from kombu.exceptions import OperationalError

from bureau import clock
from bureau.celery import app as celery_app
from bureau.models import Notification
from bureau.notifications import notification_create, notifications_send_pending
from bureau.tasks import notification_send_email_task, notifications_send_pending_task
from tests.factories import UserFactory

# A publish to a dead broker must give up well within this (settings: about 2 seconds).
PUBLISH_DEADLINE_SECONDS = 3.5


# --- Shared helpers ------------------------------------------------------------------------------


def closed_port() -> int:
    """A local port nothing listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def forget_broker_connections() -> None:
    """Make the app connect afresh from the current broker URL (its pools hold connections).

    The same reset Celery does itself after a fork."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def broker_at(url: str) -> Iterator[str]:
    """Point the Celery app at another broker for a while, then back.

    Celery reads CELERY_BROKER_URL from the environment before its own configuration, so the
    environment variable is what must change."""
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CELERY_BROKER_URL", url)
            forget_broker_connections()
            yield url
    finally:
        forget_broker_connections()  # after the variable is restored: the next use reconnects as before


@pytest.fixture
def unreachable_broker() -> Iterator[str]:
    """The broker is down: the app points at a closed port on this machine for the test."""
    with broker_at(f"redis://127.0.0.1:{closed_port()}/0") as url:
        yield url


# Triggers that fire on TRUNCATE (bit 5 of tgtype), such as the archive's append-only guard.
def wait_until(condition, *, seconds: float = 20.0, every: float = 0.1) -> bool:
    """Poll ``condition()`` until it is true or the deadline passes; returns the last answer."""
    deadline = time.monotonic() + seconds
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(every)


# --- Periodic jobs ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_migrations_seed_the_pending_email_sweep_every_minute():
    job = PeriodicTask.objects.select_related("interval").get(name="Send pending notification e-mails")
    assert job.task == notifications_send_pending_task.name == "bureau.tasks.notifications_send_pending_task"
    assert job.enabled
    assert (job.interval.every, job.interval.period) == (1, IntervalSchedule.MINUTES)
    assert job.crontab is None


@pytest.mark.django_db
def test_every_seeded_job_names_a_registered_task():
    celery_app.loader.import_default_modules()
    unknown = set(PeriodicTask.objects.values_list("task", flat=True)) - set(celery_app.tasks)
    assert unknown == set()


def test_tasks_travel_as_json_and_survive_a_lost_worker():
    conf = celery_app.conf
    assert (conf.task_serializer, conf.accept_content) == ("json", ["json"])
    assert conf.task_acks_late
    assert conf.task_reject_on_worker_lost
    assert conf.task_soft_time_limit < conf.task_time_limit


# --- Publishing never hangs a page ---------------------------------------------------------------


def test_publishing_to_a_closed_port_fails_fast(unreachable_broker):
    started = time.monotonic()
    with pytest.raises(OperationalError):
        notification_send_email_task.delay(1)
    assert time.monotonic() - started < PUBLISH_DEADLINE_SECONDS


def test_publishing_to_a_broker_that_never_answers_fails_fast():
    """A hung Redis (the connection opens, no reply ever comes) is the case timeouts exist for."""
    if not celery_app.conf.broker_url.startswith("redis"):
        pytest.skip("the socket timeouts under test are the Redis transport's (CELERY_BROKER_URL=redis://…)")
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel completes the handshake; nobody ever reads or answers
        with broker_at(f"redis://127.0.0.1:{silent.getsockname()[1]}/0"):
            started = time.monotonic()
            with pytest.raises(OperationalError):
                notification_send_email_task.delay(1)
            assert time.monotonic() - started < PUBLISH_DEADLINE_SECONDS


# --- A real worker on Redis --------------------------------------------------------------------


class WorkerProbe:
    """What the test worker did: ``finished`` lists (task name, return value) as tasks end."""

    def __init__(self, queue: str) -> None:
        self.queue = queue
        self.finished: list[tuple[str, object]] = []

    def on_task_postrun(self, task=None, retval=None, **kwargs) -> None:
        if threading.current_thread() is threading.main_thread():
            return  # an eager call in the test itself, not the worker
        self.finished.append((task.name, retval))
        connections.close_all()  # the worker thread's own connection; the flush needs none left


def _forget_queues() -> None:
    """The app caches its queues, default exchange and router, and a publisher closed over them."""
    for cached in ("queues", "default_queue", "default_exchange", "router", "send_task_message"):
        celery_app.amqp.__dict__.pop(cached, None)


def _delete_queue_keys(broker_url: str, queue: str) -> None:
    import redis

    client = redis.Redis.from_url(broker_url, socket_timeout=2)
    try:
        keys = list(client.scan_iter(match=f"*{queue}*"))
        if keys:
            client.delete(*keys)
    finally:
        client.close()


@pytest.fixture
def redis_worker(committed_db) -> Iterator[WorkerProbe]:
    """A Celery worker thread consuming from the test's Redis broker.

    Tasks go to a queue of this test's own, so a developer's worker or a second test run on the
    same Redis cannot take them."""
    broker_url = celery_app.conf.broker_url
    if not broker_url.startswith("redis"):
        pytest.skip("needs the Redis broker: CELERY_BROKER_URL=redis://… (make test sets it)")
    probe = WorkerProbe(queue=f"test-worker-{uuid.uuid4().hex[:12]}")
    saved_queue = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = probe.queue
    _forget_queues()
    forget_broker_connections()
    task_postrun.connect(probe.on_task_postrun, weak=False)
    try:
        with start_worker(
            celery_app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=20
        ):
            yield probe
    finally:
        task_postrun.disconnect(probe.on_task_postrun)
        celery_app.conf.task_default_queue = saved_queue
        _forget_queues()
        forget_broker_connections()
        _delete_queue_keys(broker_url, probe.queue)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_sends_the_email_of_a_queued_notification(redis_worker):
    user = UserFactory(email="duty-officer@bureau.example")
    notification = Notification.objects.create(
        recipient=user,
        kind="test",
        dedupe_key="worker-direct",
        title="值班提醒",
        body="今晚值班",
        created_at=clock.now(),
    )

    notification_send_email_task.delay(notification.pk)

    assert wait_until(lambda: redis_worker.finished), "the worker ran nothing within 20 seconds"
    assert redis_worker.finished == [(notification_send_email_task.name, True)]
    notification.refresh_from_db()
    assert notification.email_claimed_at is not None
    assert notification.emailed_at is not None
    assert [(message.to, message.subject) for message in mail.outbox] == [(["duty-officer@bureau.example"], "值班提醒")]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notification_created_in_a_transaction_is_emailed_once(redis_worker):
    user = UserFactory(email="staff-member@bureau.example")
    with transaction.atomic():
        notification = notification_create(recipient=user, kind="test", dedupe_key="worker-outbox", title="新任务")
    assert notification is not None

    # on_commit published the task; the worker claims the row and sends.
    assert wait_until(lambda: redis_worker.finished), "the worker ran nothing within 20 seconds"
    notification.refresh_from_db()
    assert notification.emailed_at is not None

    # A duplicate task and the next sweep both find the notice claimed and send nothing more.
    notification_send_email_task.delay(notification.pk)
    assert wait_until(lambda: len(redis_worker.finished) == 2)
    assert notifications_send_pending(now=clock.now() + timedelta(minutes=5)) == 0
    assert redis_worker.finished == [
        (notification_send_email_task.name, True),
        (notification_send_email_task.name, False),
    ]
    assert len(mail.outbox) == 1

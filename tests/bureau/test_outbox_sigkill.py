"""The outbox when a worker is killed with SIGKILL in the middle of a send (issue 14, failure 4).

A real worker process, started with the Procfile's command line on Redis, sends to a local SMTP
sink; the test kills it (and its pool) with SIGKILL at the worst moments. A second worker, whose
claims expire after 4 seconds (``NOTIFICATION_CLAIM_SECONDS``), runs the outbox sweep. The notice
reaches the sink exactly once in both cases: killed before the server took the message, and killed
after."""

import time
import uuid
from collections.abc import Iterator

import pytest

from bureau import clock
from bureau.celery import app as celery_app
from bureau.models import Notification
from bureau.tasks import notification_send_email_task, notifications_send_pending_task
from tests.factories import UserFactory
from tests.realparts import (
    SmtpSink,
    WorkerProcess,
    forget_redis_queue,
    procfile_command,
    stop_workers,
    wait_until,
    worker_environment,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

CLAIM_SECONDS = 4


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def workers(committed_db, tmp_path, smtp_sink):
    """Start workers on a queue of this test's own (Procfile's ``worker`` line, that queue instead
    of ``celery``); all are stopped and the queue removed at the end."""
    broker_url = celery_app.conf.broker_url
    if not broker_url.startswith("redis"):
        pytest.skip("needs the Redis broker: CELERY_BROKER_URL=redis://…")
    queue = f"test-outbox-{uuid.uuid4().hex[:12]}"
    started: list[WorkerProcess] = []

    def start(name: str, **environment: str) -> WorkerProcess:
        command = [f"--queues={queue}" if part.startswith("--queues=") else part for part in procfile_command("worker")]
        command = [f"--hostname={name}@%h" if part.startswith("--hostname=") else part for part in command]
        worker = WorkerProcess(
            command,
            worker_environment(tmp_path, EMAIL_URL=smtp_sink.url, EMAIL_TIMEOUT="120", **environment),
            tmp_path / f"{name}.log",
        )
        started.append(worker)
        worker.wait_ready()
        return worker

    start.queue = queue  # type: ignore[attr-defined]
    yield start
    stop_workers(*started)
    forget_redis_queue(broker_url, queue)


def _notice() -> Notification:
    return Notification.objects.create(
        recipient=UserFactory(email="duty-officer@bureau.example"),
        kind="test",
        dedupe_key=f"sigkill-{uuid.uuid4().hex}",
        title="紧急：诉求即将超时",
        body="请在24小时内答复。",
        created_at=clock.now(),
    )


def _claim_older_than(notification: Notification, seconds: float) -> bool:
    notification.refresh_from_db()
    claimed = notification.email_claimed_at
    return claimed is not None and (clock.now() - claimed).total_seconds() > seconds


def test_a_worker_killed_while_the_mail_server_hangs_leaves_the_notice_to_the_sweep(workers, smtp_sink):
    notification = _notice()
    smtp_sink.hang_at_data = True
    first = workers("first")
    notification_send_email_task.apply_async((notification.pk,), queue=workers.queue)
    assert smtp_sink.hanging.wait(60), first.log()

    first.kill()  # SIGKILL in the middle of the SMTP conversation
    notification.refresh_from_db()
    assert notification.email_claimed_at is not None  # claimed, stranded
    assert notification.emailed_at is None
    assert smtp_sink.messages == []

    # The mail server is well again; a second worker's sweep takes over once the claim expired.
    smtp_sink.hang_at_data = False
    second = workers("second", NOTIFICATION_CLAIM_SECONDS=str(CLAIM_SECONDS))
    assert wait_until(lambda: _claim_older_than(notification, CLAIM_SECONDS + 0.5), seconds=30)
    sweep = notifications_send_pending_task.apply_async(kwargs={"older_than_seconds": 0}, queue=workers.queue)
    assert wait_until(lambda: second.succeeded(sweep.id), seconds=60), second.log()
    assert second.result(sweep.id) == "1"  # the sweep sent the stranded notice

    # What the broker redelivers to a worker after a kill (acks_late), and the next sweep: nothing more.
    again = notification_send_email_task.apply_async((notification.pk,), queue=workers.queue)
    next_sweep = notifications_send_pending_task.apply_async(kwargs={"older_than_seconds": 0}, queue=workers.queue)
    assert wait_until(lambda: second.succeeded(again.id) and second.succeeded(next_sweep.id), seconds=60)
    assert (second.result(again.id), second.result(next_sweep.id)) == ("False", "0")

    assert [(message.rcpt_to, message.mail_from) for message in smtp_sink.messages] == [
        (["duty-officer@bureau.example"], "opinion-office@bureau.local")
    ]
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_worker_killed_after_the_server_took_the_message_is_not_sent_twice(workers, smtp_sink):
    notification = _notice()
    first = workers("first")
    # The server accepts the message; when the worker says QUIT, it is killed before any reply.
    smtp_sink.before_quit = first.kill
    notification_send_email_task.apply_async((notification.pk,), queue=workers.queue)
    assert wait_until(lambda: first.process.poll() is not None, seconds=60), first.log()
    assert len(smtp_sink.messages) == 1

    # The send was recorded the moment the server took the message, before QUIT.
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    smtp_sink.before_quit = None

    second = workers("second", NOTIFICATION_CLAIM_SECONDS=str(CLAIM_SECONDS))
    time.sleep(CLAIM_SECONDS + 1)  # every claim the first worker held has expired
    again = notification_send_email_task.apply_async((notification.pk,), queue=workers.queue)
    sweep = notifications_send_pending_task.apply_async(kwargs={"older_than_seconds": 0}, queue=workers.queue)
    assert wait_until(lambda: second.succeeded(again.id) and second.succeeded(sweep.id), seconds=60), second.log()

    assert (second.result(again.id), second.result(sweep.id)) == ("False", "0")
    assert len(smtp_sink.messages) == 1

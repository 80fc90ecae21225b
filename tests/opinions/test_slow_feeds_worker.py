"""Two slow feed servers and a pressing notice (issue 14, failure 5), on the workers `make run` starts.

The Procfile's ``worker`` (queue ``celery``) and ``feeds`` (queue ``feeds``) lines run as real
processes on Redis. Two channels point at local servers that trickle their headers one byte a
second (slow-loris). Their polls are queued, then the deadline sweep: a demand due in an hour gets
its due-soon warning, whose e-mail must reach the local SMTP sink in its normal time while both
feeds are still stuck; each fetch then gives up at its total deadline and the channel records the
failure in Chinese. The deadline is 30 s in production; the workers here are given 7 s
(OPINIONS_FEED_TOTAL_TIMEOUT), still several times what the notice takes (well under a second
here), so the suite waits less."""

from collections.abc import Iterator
from datetime import timedelta

import pytest

from bureau import clock
from bureau.celery import app as celery_app
from bureau.models import Notification
from opinions.models import Channel
from opinions.services.intake import channels_dispatch_due
from opinions.tasks import demands_sweep_deadlines_task
from tests.factories import PersonFactory
from tests.opinions.factories import ChannelFactory, DemandFactory
from tests.realparts import (
    SlowLorisServer,
    SmtpSink,
    WorkerProcess,
    forget_redis_queue,
    procfile_command,
    stop_workers,
    wait_until,
    worker_environment,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# A pressing notice normally goes out within seconds of its sweep; 20 s is the bound it must keep.
NOTICE_BOUND = timedelta(seconds=20)
FEED_TOTAL_DEADLINE = 7  # OPINIONS_FEED_TOTAL_TIMEOUT given to the workers (30 s by default)


@pytest.fixture
def slow_servers() -> Iterator[tuple[SlowLorisServer, SlowLorisServer]]:
    servers = (SlowLorisServer().start(), SlowLorisServer().start())
    yield servers
    for server in servers:
        server.stop()


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def procfile_workers(committed_db, tmp_path, smtp_sink) -> Iterator[dict[str, WorkerProcess]]:
    """The two workers exactly as the Procfile starts them, on this test's database and Redis."""
    broker_url = celery_app.conf.broker_url
    if not broker_url.startswith("redis"):
        pytest.skip("needs the Redis broker: CELERY_BROKER_URL=redis://…")
    for queue in ("celery", "feeds"):
        forget_redis_queue(broker_url, queue)  # nothing left over from earlier tests
    environment = worker_environment(
        tmp_path,
        EMAIL_URL=smtp_sink.url,
        OPINIONS_FEED_ALLOWED_HOSTS="127.0.0.1",
        OPINIONS_FEED_TOTAL_TIMEOUT=str(FEED_TOTAL_DEADLINE),
    )
    workers = {
        name: WorkerProcess(procfile_command(name), environment, tmp_path / f"{name}.log")
        for name in ("worker", "feeds")
    }
    try:
        for worker in workers.values():
            worker.wait_ready()
        yield workers
    finally:
        stop_workers(*workers.values())
        for queue in ("celery", "feeds"):
            forget_redis_queue(broker_url, queue)


def test_a_pressing_notice_goes_out_in_time_while_two_slow_feeds_hold_the_feed_worker(
    procfile_workers, slow_servers, smtp_sink
):
    first_server, second_server = slow_servers
    channels = [
        ChannelFactory(name="慢速论坛甲", feed_url=first_server.url("/a.rss"), next_poll_at=None),
        ChannelFactory(name="慢速论坛乙", feed_url=second_server.url("/b.rss"), next_poll_at=None),
    ]
    handler = PersonFactory(user__email="handler@bureau.example")
    now = clock.now()
    demand = DemandFactory(handler=handler, received_at=now - timedelta(hours=23), due_at=now + timedelta(hours=1))

    # The beat's feed job queues both polls; one of the servers is soon holding the feed worker.
    assert sorted(channels_dispatch_due()) == sorted(channel.pk for channel in channels)
    assert wait_until(lambda: first_server.connections or second_server.connections, seconds=60), procfile_workers[
        "feeds"
    ].log()
    holding = first_server if first_server.connections else second_server

    # Then the deadline sweep, as the beat queues it every minute.
    demands_sweep_deadlines_task.delay()
    assert wait_until(lambda: smtp_sink.messages, seconds=90), procfile_workers["worker"].log()

    warning = Notification.objects.get(recipient=handler.user, kind="opinions.demand.due_soon")
    assert warning.emailed_at is not None
    assert warning.emailed_at - warning.created_at <= NOTICE_BOUND
    assert [message.rcpt_to for message in smtp_sink.messages] == [["handler@bureau.example"]]
    # The feeds were still stuck when it went out: the fetch holding the feed worker had not ended.
    assert holding.connections[0].closed is None or holding.connections[0].closed > smtp_sink.messages[0].at
    demand.refresh_from_db()
    assert demand.due_soon_at is not None

    # Each fetch gives up at its total deadline, one after the other on the one feed worker process.
    def both_failed() -> bool:
        return Channel.objects.filter(pk__in=[c.pk for c in channels], consecutive_failures=1).count() == 2

    assert wait_until(both_failed, seconds=150), procfile_workers["feeds"].log()
    for channel in Channel.objects.filter(pk__in=[c.pk for c in channels]):
        assert channel.last_error == "订阅源下载超时。"
        assert channel.last_success_at is None
    assert wait_until(lambda: all(server.connections[0].closed for server in slow_servers), seconds=10)
    for server in slow_servers:
        assert len(server.connections) == 1
        held = server.connections[0].closed - server.connections[0].opened
        # The deadline starts before the connection is made, so the server sees a little less.
        assert FEED_TOTAL_DEADLINE - 5 <= held <= FEED_TOTAL_DEADLINE + 10

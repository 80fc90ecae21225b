"""A feed poll whose worker is killed with SIGKILL is redone within minutes (issue 14, failure 6).

The Procfile's ``feeds`` worker runs as a real process on Redis with a 4-second hard time limit and
a 1-second redelivery margin, so the broker's visibility timeout is 5 s (the limit plus the margin,
bureau/settings.py; 300 + 60 s in production, which only makes the wait longer), and it looks for
such tasks every 2 s (10 s in production). It is
killed in the middle of a fetch; the server is then well again and the worker restarted. The
broker hands the unacknowledged poll back and the posts arrive, with no one re-queuing anything."""

from datetime import timedelta

import pytest

from bureau import clock
from bureau.celery import app as celery_app
from opinions.models import Channel, Post
from opinions.services.intake import channels_dispatch_due
from tests.opinions.factories import ChannelFactory
from tests.opinions.feedserver import rss
from tests.realparts import (
    SlowLorisServer,
    WorkerProcess,
    forget_redis_queue,
    procfile_command,
    stop_workers,
    wait_until,
    worker_environment,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TIME_LIMIT_SECONDS = 4
REDELIVERY_MARGIN_SECONDS = 1
RESTORE_INTERVAL_SECONDS = 2
# Visibility timeout (limit + margin) + one restore sweep + a restarted worker's start-up.
REDONE_WITHIN = timedelta(seconds=TIME_LIMIT_SECONDS + REDELIVERY_MARGIN_SECONDS + RESTORE_INTERVAL_SECONDS + 40)


def test_a_poll_killed_mid_fetch_is_redone_after_the_visibility_timeout(committed_db, tmp_path):
    broker_url = celery_app.conf.broker_url
    if not broker_url.startswith("redis"):
        pytest.skip("needs the Redis broker: CELERY_BROKER_URL=redis://…")
    forget_redis_queue(broker_url, "feeds")
    server = SlowLorisServer().start()
    environment = worker_environment(
        tmp_path,
        OPINIONS_FEED_ALLOWED_HOSTS="127.0.0.1",
        CELERY_TASK_TIME_LIMIT=str(TIME_LIMIT_SECONDS),
        CELERY_TASK_SOFT_TIME_LIMIT=str(TIME_LIMIT_SECONDS - 2),
        CELERY_REDELIVERY_MARGIN=str(REDELIVERY_MARGIN_SECONDS),
        CELERY_UNACKED_RESTORE_INTERVAL=str(RESTORE_INTERVAL_SECONDS),
    )
    channel = ChannelFactory(name="县论坛", feed_url=server.url("/forum.rss"), next_poll_at=None)
    first = WorkerProcess(procfile_command("feeds"), environment, tmp_path / "first.log")
    second = None
    try:
        first.wait_ready()
        assert channels_dispatch_due() == [channel.pk]
        assert wait_until(lambda: server.connections, seconds=60), first.log()

        first.kill()
        killed_at = clock.now()
        channel.refresh_from_db()
        assert (channel.last_polled_at, channel.consecutive_failures) == (None, 0)  # nothing recorded

        server.serve_body = rss(
            [{"guid": "t-1", "title": "县城停水通知", "description": "周六停水", "link": "http://forum/1"}]
        ).encode()
        second = WorkerProcess(procfile_command("feeds"), environment, tmp_path / "second.log")
        second.wait_ready()

        def redone() -> bool:
            return Post.objects.filter(channel=channel).exists()

        assert wait_until(redone, seconds=240), second.log()
        channel.refresh_from_db()
        assert channel.last_success_at is not None
        assert channel.last_success_at - killed_at <= REDONE_WITHIN
        assert list(Post.objects.filter(channel=channel).values_list("title", flat=True)) == ["县城停水通知"]
        assert Channel.objects.get(pk=channel.pk).consecutive_failures == 0
    finally:
        stop_workers(first, second)
        server.stop()
        forget_redis_queue(broker_url, "feeds")

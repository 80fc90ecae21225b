"""Beat's dispatch and the fetch task in a real Celery worker on Redis."""

import time

import pytest
from celery.contrib.testing.worker import start_worker

from bureau.celery import app
from opinions.models import Channel, Post
from opinions.tasks import channels_dispatch_due_task
from tests.opinions.factories import ChannelFactory
from tests.opinions.feedserver import rss

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("committed_db"),
]


def test_dispatch_and_fetch_run_in_a_real_worker(feed_server, settings):
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs CELERY_BROKER_URL=redis://…")
    feed = rss([{"guid": f"w{i}", "title": f"工人测试帖子{i}", "description": "内容"} for i in range(5)])
    channel = ChannelFactory(feed_url=feed_server.add("/worker.rss", feed))
    broken = ChannelFactory(feed_url=feed_server.add("/worker-500", status=500))
    # One worker on both queues here (the office runs one for each): the polls are routed to "feeds".
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10, queues=["celery", "feeds"]):
        channels_dispatch_due_task.delay()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            broken.refresh_from_db()
            if Post.objects.filter(channel=channel).count() == 5 and broken.consecutive_failures == 1:
                break
            time.sleep(0.2)
    assert Post.objects.filter(channel=channel).count() == 5
    channel.refresh_from_db()
    assert channel.last_success_at is not None
    assert broken.consecutive_failures == 1
    assert Channel.objects.get(pk=channel.pk).next_poll_at is not None

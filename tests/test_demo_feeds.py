"""The demo office's feeds are served by the office itself: polling works with no internet."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client

from demo.feeds import demo_feed_rss
from opinions.intake.feeds import parse_feed

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_a_demo_feed_is_served_without_a_login_and_parses(db):
    response = Client().get("/demo/feeds/forum.rss")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    items = parse_feed(response.content)
    assert len(items) == 6
    assert Client().get("/demo/feeds/nothing.rss").status_code == 404


def test_a_new_ten_minute_slot_brings_a_new_post():
    at = datetime(2026, 3, 2, 9, 5, tzinfo=SHANGHAI)
    now_items = {item.external_id for item in parse_feed(demo_feed_rss("news", now=at))}
    later_items = {item.external_id for item in parse_feed(demo_feed_rss("news", now=at + timedelta(minutes=10)))}
    assert len(later_items - now_items) == 1  # one new slot in, the oldest out
    assert len(now_items & later_items) == 5


def test_the_demo_channels_point_at_the_office_and_that_host_is_allowed():
    from demo.opinions import CHANNELS

    feeds = [url for _name, _kind, _section, url, *_rest in CHANNELS if url]
    assert feeds == ["forum", "news", "weibo"]
    assert settings.DEMO_FEED_BASE == "http://127.0.0.1:8000"
    assert "127.0.0.1" in settings.OPINIONS_FEED_ALLOWED_HOSTS


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_office_polls_its_own_demo_feed_offline(live_server, committed_db, settings):
    """The poller fetches the demo feed from the running office (live_server plays `make run`)."""
    from opinions.models import Post
    from opinions.services.intake import channel_poll

    settings.OPINIONS_FEED_ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    from tests.opinions.factories import ChannelFactory

    channel = ChannelFactory(name="本局论坛", feed_url=f"{live_server.url}/demo/feeds/forum.rss")
    result = channel_poll(channel_id=channel.pk)
    channel.refresh_from_db()
    assert result is not None
    assert (channel.consecutive_failures, channel.last_error) == (0, "")
    assert Post.objects.filter(channel=channel).count() == 6

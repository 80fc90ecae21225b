"""Evidence snapshots (first sight and takedown, their SHA-256 in the archive) and the spread a
feed states (replies, views), kept as a series and as the post's latest figures."""

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest

from archive.models import ArchiveRecord
from opinions.intake.feeds import parse_feed
from opinions.intake.items import IncomingItem
from opinions.models import Post, PostSnapshot, PostSpreadSample
from opinions.services.intake import posts_ingest
from opinions.services.takedowns import takedown_confirm
from tests.opinions.factories import ChannelFactory, ScreeningCategoryFactory

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 5, 4, 1, 0, tzinfo=UTC)

FEED = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:media="http://search.yahoo.com/mrss/">
<channel><title>t</title><link>http://example.org/</link><description>d</description>
<item><guid isPermaLink="false">a-1</guid><title>城关镇停水</title><description>三天没水</description>
<slash:comments>17</slash:comments><media:statistics views="1,204"/></item>
<item><guid isPermaLink="false">a-2</guid><title>图书馆开放</title><description>周末开放</description></item>
</channel></rss>""".encode()


def test_the_feed_states_replies_and_views_and_the_raw_item_is_kept():
    first, second = parse_feed(FEED)
    assert (first.replies, first.reposts, first.views) == (17, None, 1204)
    assert (second.replies, second.reposts, second.views) == (None, None, None)
    assert first.raw["id"] == "a-1"
    assert first.raw["title"] == "城关镇停水"


def test_first_sight_keeps_a_snapshot_whose_hash_is_in_the_archive():
    channel = ChannelFactory()
    item = IncomingItem(
        title="城关镇停水", body="三天没水", external_id="a-1", raw={"id": "a-1", "title": "城关镇停水"}
    )
    posts_ingest(channel=channel, items=[item], now=T0)
    post = Post.objects.get()
    snapshot = PostSnapshot.objects.get(post=post)
    text = (
        '{"body": "三天没水", "fetched_at": "2026-05-04T01:00:00+00:00", '
        '"raw": {"id": "a-1", "title": "城关镇停水"}, "title": "城关镇停水"}'
    )
    assert snapshot.kind == PostSnapshot.Kind.FIRST_SEEN
    assert snapshot.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()
    record = ArchiveRecord.objects.get(action="opinions.channel.snapshots_taken")
    assert record.target_id == str(channel.pk)
    assert record.after == {"snapshots": [[snapshot.pk, post.pk, snapshot.sha256]]}

    posts_ingest(channel=channel, items=[item], now=T0 + timedelta(minutes=5))  # seen again: no new snapshot
    assert PostSnapshot.objects.count() == 1


def test_takedown_keeps_a_second_snapshot(cast):
    channel = ChannelFactory()
    raw = {"id": "b-1", "title": "违规内容"}
    posts_ingest(
        channel=channel, items=[IncomingItem(title="违规内容", body="正文", external_id="b-1", raw=raw)], now=T0
    )
    post = Post.objects.get()
    category = ScreeningCategoryFactory()
    takedown_confirm(post=post, actor=cast["supervisor"].user, category=category, reason="违法信息")
    taken = PostSnapshot.objects.get(post=post, kind=PostSnapshot.Kind.TAKEN_DOWN)
    assert taken.raw == raw  # the raw item last fetched
    content = json.dumps(
        {"title": "违规内容", "body": "正文", "raw": raw, "fetched_at": taken.fetched_at.isoformat()},
        ensure_ascii=False,
        sort_keys=True,
    )
    assert taken.sha256 == hashlib.sha256(content.encode("utf-8")).hexdigest()
    first = PostSnapshot.objects.get(post=post, kind="first_seen")
    batch = ArchiveRecord.objects.get(action="opinions.channel.snapshots_taken")
    assert batch.after["snapshots"] == [[first.pk, post.pk, first.sha256]]
    record = ArchiveRecord.objects.get(action="opinions.post.snapshot_taken")
    assert record.after == {"snapshot_id": taken.pk, "kind": "taken_down", "sha256": taken.sha256}


def test_spread_is_read_again_on_each_poll():
    channel = ChannelFactory()
    posts_ingest(channel=channel, items=[IncomingItem(title="城关镇停水", external_id="s-1", replies=5)], now=T0)
    later = T0 + timedelta(minutes=10)
    posts_ingest(
        channel=channel, items=[IncomingItem(title="城关镇停水", external_id="s-1", replies=9, views=300)], now=later
    )
    post = Post.objects.get()
    assert (post.replies, post.views) == (9, 300)
    assert list(PostSpreadSample.objects.filter(post=post).values_list("sampled_at", "replies", "views")) == [
        (T0, 5, None),
        (later, 9, 300),
    ]


def test_the_post_page_shows_its_snapshots(client_as):
    channel = ChannelFactory()
    posts_ingest(
        channel=channel, items=[IncomingItem(title="城关镇停水", external_id="p-1", raw={"id": "p-1"})], now=T0
    )
    post = Post.objects.get()
    response = client_as("staff").get(post.get_absolute_url())
    assert response.status_code == 200
    assert PostSnapshot.objects.get().sha256 in response.content.decode()

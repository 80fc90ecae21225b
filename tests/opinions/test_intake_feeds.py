"""Polling real feeds from a local HTTP server: what is stored and what the channel shows."""

import random
from datetime import timedelta

import pytest
from django.utils import translation

from archive.models import ArchiveRecord
from bureau import clock
from bureau.models import Notification
from opinions.intake.fetch import FetchError, fetch_feed
from opinions.models import Channel, Post
from opinions.services.intake import channel_poll, channels_claim_due
from tests.opinions.feedserver import atom, rss

GOOD = rss(
    [
        {
            "guid": "t-1",
            "title": "城东网吧<b>深夜</b>接纳未成年人",
            "description": "<p>网友反映：城东某网吧&amp;深夜仍有学生上网。</p><script>alert(1)</script>",
            "link": "http://forum.example/t/1",
            "author": "热心市民",
            "pubDate": "Sun, 01 Mar 2026 08:00:00 GMT",
        },
        {"guid": "t-2", "title": "县文广旅局图书馆开放时间", "description": "请问周末几点开门？"},
        {"guid": "t-3", "title": "有人在群里组织賭 博", "description": "每晚十点开局"},
    ]
)
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<rss version="2.0"><channel><title>x</title><item><title>&lol4;</title></item></channel></rss>"""


@pytest.fixture
def fast_limits(settings):
    settings.OPINIONS_FEED_CONNECT_TIMEOUT = 1.0
    settings.OPINIONS_FEED_READ_TIMEOUT = 0.5
    settings.OPINIONS_FEED_MAX_BYTES = 200_000
    settings.OPINIONS_FEED_MAX_REDIRECTS = 3


def poll(channel):
    result = channel_poll(channel_id=channel.pk)
    channel.refresh_from_db()
    return result


def test_good_feed_is_stored_as_plain_text_and_screened(feed_server, channel_factory, fast_limits):
    channel = channel_factory(feed_url=feed_server.add("/good.rss", GOOD))
    result = poll(channel)
    assert result.created == 3
    assert channel.consecutive_failures == 0
    assert channel.last_error == ""
    assert channel.last_success_at
    first = Post.objects.get(external_id="t-1")
    assert first.title == "城东网吧深夜接纳未成年人"
    assert first.body == "网友反映：城东某网吧&深夜仍有学生上网。"
    assert "<" not in first.body
    assert "alert" not in first.body
    assert first.link == "http://forum.example/t/1"
    assert first.author == "热心市民"
    assert first.posted_at.isoformat() == "2026-03-01T08:00:00+00:00"
    assert first.section == channel.section
    assert first.status == Post.Status.NEW
    assert Post.objects.get(external_id="t-2").is_relevant
    flagged = Post.objects.get(external_id="t-3")
    assert flagged.screening == Post.Screening.FLAGGED
    assert flagged.category.code == "gambling"
    assert flagged.hits[0]["text"] == "賭 博"
    assert ArchiveRecord.objects.filter(action="opinions.post.flagged", target_id=str(flagged.pk)).exists()


def test_atom_feed(feed_server, channel_factory, fast_limits):
    url = feed_server.add(
        "/atom.xml",
        atom(
            [{"id": "urn:w:1", "title": "微博网友@文旅局", "content": "&lt;p&gt;点赞&lt;/p&gt;", "link": "http://w/1"}]
        ),
    )
    channel = channel_factory(feed_url=url, kind=Channel.Kind.MICROBLOG)
    assert poll(channel).created == 1
    post = Post.objects.get(channel=channel)
    assert (post.title, post.body, post.author, post.external_id) == ("微博网友@文旅局", "点赞", "网友", "urn:w:1")


def test_dedupe_across_polls_and_an_edited_item(feed_server, channel_factory, fast_limits):
    channel = channel_factory(feed_url=feed_server.add("/good.rss", GOOD))
    poll(channel)
    feed_server.add("/good.rss", GOOD.replace("<title>论坛</title>", "<title>论坛（新）</title>"))
    second = poll(channel)  # the document changed, its items did not
    assert (second.created, second.updated, second.unchanged) == (0, 0, 3)
    assert Post.objects.filter(channel=channel).count() == 3
    feed_server.add("/good.rss", GOOD.replace("请问周末几点开门？", "请问周末几点开门？已改：还有网上赌博"))
    third = poll(channel)
    assert (third.created, third.updated, third.unchanged, third.flagged) == (0, 1, 2, 1)
    edited = Post.objects.get(external_id="t-2")
    assert edited.body.endswith("还有网上赌博")
    assert edited.screening == Post.Screening.FLAGGED
    record = ArchiveRecord.objects.get(action="opinions.post.edited", target_id=str(edited.pk))
    assert record.before["body"] == "请问周末几点开门？"


def test_items_without_guid_dedupe_by_link_then_text(feed_server, channel_factory, fast_limits):
    body = rss([{"title": "甲", "link": "http://f/1"}, {"title": "乙", "description": "无链接"}])
    channel = channel_factory(feed_url=feed_server.add("/noguid.rss", body))
    assert poll(channel).created == 2
    assert poll(channel).created == 0
    assert Post.objects.filter(channel=channel).count() == 2


def test_same_item_on_two_channels_is_stored_for_each(feed_server, channel_factory, fast_limits):
    url = feed_server.add("/good.rss", GOOD)
    poll(channel_factory(feed_url=url))
    poll(channel_factory(feed_url=url))
    assert Post.objects.filter(external_id="t-1").count() == 2


@pytest.mark.parametrize(
    ("path", "route", "message"),
    [
        ("/broken.xml", {"body": "<rss><channel><item><title>半截"}, "not valid"),
        ("/500", {"body": "oops", "status": 500}, "HTTP 500"),
        ("/slow", {"body": GOOD, "delay": 2.0}, "did not answer in time"),
        ("/bomb", {"body": BOMB}, "entities"),
        ("/big", {"chunks": lambda: (b"<rss>" + b"x" * 50_000 for _ in range(20))}, "larger than"),
        ("/html", {"body": "<html><body>not a feed</body></html>"}, "not"),
    ],
)
def test_broken_feeds_are_recorded_on_the_channel(feed_server, channel_factory, fast_limits, path, route, message):
    channel = channel_factory(feed_url=feed_server.add(path, **route))
    assert poll(channel) is None
    assert channel.consecutive_failures == 1
    assert message in channel.last_error
    assert channel.last_success_at is None
    assert channel.last_polled_at
    assert not Post.objects.filter(channel=channel).exists()


def test_redirects_are_followed_a_few_times_only(feed_server, channel_factory, fast_limits):
    feed_server.add("/good.rss", GOOD)
    hop = feed_server.add("/hop", status=302, headers={"Location": "/good.rss"})
    assert poll(channel_factory(feed_url=hop)).created == 3
    loop = feed_server.add("/loop", status=302, headers={"Location": "/loop"})
    channel = channel_factory(feed_url=loop)
    assert poll(channel) is None
    assert "Too many redirects" in channel.last_error
    assert feed_server.hits["/loop"] == 4  # the first request and three redirects


def test_redirect_to_another_scheme_is_refused(feed_server, channel_factory, fast_limits):
    channel = channel_factory(feed_url=feed_server.add("/file", status=302, headers={"Location": "file:///etc/passwd"}))
    assert poll(channel) is None
    assert "http and https" in channel.last_error


def test_one_failing_channel_does_not_stop_another(feed_server, channel_factory, fast_limits):
    bad = channel_factory(feed_url=feed_server.add("/500", status=500))
    good = channel_factory(feed_url=feed_server.add("/good.rss", GOOD))
    for channel in (bad, good):
        poll(channel)
    assert bad.consecutive_failures == 1
    assert good.consecutive_failures == 0
    assert Post.objects.filter(channel=good).count() == 3


def test_a_refused_connection_is_told_in_a_sentence_not_a_class_name(channel_factory, fast_limits, settings):
    settings.OPINIONS_FEED_ALLOWED_HOSTS = ["127.0.0.1"]
    channel = channel_factory(feed_url="http://127.0.0.1:9/a.rss")  # port 9: nothing listens

    with translation.override("zh-hans"):
        poll(channel)

    assert channel.last_error == "无法连接该网站：地址不存在或连接被拒绝。"


def test_three_failures_in_a_row_mark_the_channel_failing_and_tell_supervisors(
    feed_server, channel_factory, fast_limits, cast
):
    channel = channel_factory(feed_url=feed_server.add("/500", status=500))
    for _ in range(3):
        poll(channel)
    assert channel.is_failing
    assert Channel.objects.failing().filter(pk=channel.pk).exists()
    assert Notification.objects.filter(recipient=cast["supervisor"].user, kind="opinions.channel_failing").count() == 1
    poll(channel)
    assert Notification.objects.filter(kind="opinions.channel_failing").count() == 1
    feed_server.add("/500", GOOD)
    poll(channel)
    assert not channel.is_failing
    assert channel.last_error == ""


def test_due_channels_are_claimed_once(channel_factory, travel):
    due = channel_factory(feed_url="http://127.0.0.1:9/a.rss", poll_interval_minutes=2)
    channel_factory(feed_url="")  # entered by hand: never polled
    channel_factory(feed_url="http://127.0.0.1:9/b.rss", is_active=False)
    assert channels_claim_due() == [due.pk]
    assert channels_claim_due() == []
    travel.shift(timedelta(minutes=1))
    assert channels_claim_due() == []
    travel.shift(timedelta(minutes=1))
    assert channels_claim_due() == [due.pk]


def test_a_feed_longer_than_every_batch_is_stored_in_one_run(feed_server, channel_factory, fast_limits, settings):
    """2,500 items: more than one of the existing-item lookups (2,000 keys each) and two of the
    bulk inserts (1,000 rows each), so every batch boundary is crossed in one run. The 10,000-item
    feed of issue 3 runs end to end in ``make bench`` (bench_opinions), where its time is measured."""
    settings.OPINIONS_FEED_MAX_BYTES = 20_000_000
    # Different posts, as a busy forum gives them: texts of random common characters (numbered
    # copies of one sentence would all be near-duplicates of each other, which is another test's
    # subject, tests/opinions/test_similarity*.py).
    rng = random.Random(10_000)
    common = [chr(code) for code in range(0x4E00, 0x4E00 + 3000)]
    items = [
        {
            "guid": f"g{i}",
            "title": "".join(rng.choices(common, k=12)),
            "description": "".join(rng.choices(common, k=40)),
        }
        for i in range(2_500)
    ]
    items[2_100]["description"] = "出售仿真枪"  # in the last lookup chunk and the last insert
    channel = channel_factory(feed_url=feed_server.add("/big.rss", rss(items)))
    result = poll(channel)
    assert (result.created, result.flagged) == (2_500, 1)
    feed_server.add("/big.rss", rss(items, title="另一个标题"))
    assert poll(channel).unchanged == 2_500
    assert Post.objects.filter(channel=channel).count() == 2_500
    assert Post.objects.filter(channel=channel, screening=Post.Screening.FLAGGED).get().external_id == "g2100"


def test_an_unchanged_feed_is_not_parsed_again(feed_server, channel_factory, fast_limits):
    channel = channel_factory(feed_url=feed_server.add("/good.rss", GOOD))
    poll(channel)
    assert channel.feed_digest
    Post.objects.filter(channel=channel).delete()  # were it parsed again, the posts would come back
    again = poll(channel)
    assert (again.created, again.unchanged) == (0, 0)
    assert channel.last_success_at


def test_not_modified_answers_keep_the_posts(feed_server, channel_factory, fast_limits):
    url = feed_server.add("/etag.rss", GOOD, headers={"ETag": '"v1"'})
    channel = channel_factory(feed_url=url)
    poll(channel)
    assert channel.feed_etag == '"v1"'
    feed_server.add("/etag.rss", b"", status=304)
    result = poll(channel)
    assert channel.last_error == ""
    assert result.created == 0
    assert channel.consecutive_failures == 0


# --- Feeds that lead inside the network (SSRF) -------------------------------------------------


def test_a_feed_redirecting_to_a_loopback_address_is_refused_before_connecting(feed_server, settings):
    """The first address is an allowed host (here the local server by its name "localhost"); its
    redirect goes to 127.0.0.1, which is not allowed: refused at that hop, the target never reached."""
    settings.OPINIONS_FEED_ALLOWED_HOSTS = ["localhost"]
    secret = feed_server.add("/internal-secret", "<rss>secret</rss>")
    feed_server.add("/redirect", status=302, headers={"Location": secret})
    port = feed_server.port

    with pytest.raises(FetchError, match="inside the network"):
        fetch_feed(f"http://localhost:{port}/redirect")

    assert feed_server.hits.get("/redirect") == 1
    assert feed_server.hits.get("/internal-secret") is None


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/feed.rss",
        "http://10.1.2.3/feed.rss",
        "http://172.16.0.9/feed.rss",
        "http://192.168.1.10/feed.rss",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]:9/feed.rss",
        "http://[fc00::1]/feed.rss",
        "http://[::ffff:127.0.0.1]/feed.rss",
        "http://0.0.0.0/feed.rss",
    ],
)
def test_private_and_link_local_addresses_are_refused_unless_allowed(url, settings):
    settings.OPINIONS_FEED_ALLOWED_HOSTS = []
    with pytest.raises(FetchError, match="inside the network"):
        fetch_feed(url)


def test_an_allowed_intranet_host_is_fetched(feed_server, settings):
    settings.OPINIONS_FEED_ALLOWED_HOSTS = ["127.0.0.1"]
    assert fetch_feed(feed_server.add("/intranet.rss", GOOD)).body.startswith(b"<?xml")


def test_a_poll_whose_worker_was_killed_is_due_again_within_minutes(channel_factory, travel):
    """The claim holds six minutes, not the channel's 60-minute interval; a poll that ends sets the
    next turn a whole interval on."""
    channel = channel_factory(feed_url="https://feeds.example/a.rss", poll_interval_minutes=60, next_poll_at=None)
    start = clock.now()
    assert channels_claim_due(now=start) == [channel.pk]
    channel.refresh_from_db()
    assert channel.next_poll_at == start + timedelta(minutes=6)
    # The worker died: nothing reported back. Six minutes on, the channel is claimed again.
    assert channels_claim_due(now=start + timedelta(minutes=5)) == []
    assert channels_claim_due(now=start + timedelta(minutes=6)) == [channel.pk]


def test_a_server_that_trickles_its_headers_is_cut_off_at_the_total_deadline(settings):
    """Slow-loris: one header byte every half second never trips a 2-second read timeout; the
    3-second total deadline ends the fetch (the test runs in the main thread, as a worker's task)."""
    import socket as socket_module
    import threading as threading_module
    import time as time_module

    settings.OPINIONS_FEED_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.OPINIONS_FEED_READ_TIMEOUT = 2.0
    settings.OPINIONS_FEED_TOTAL_TIMEOUT = 3.0
    listener = socket_module.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading_module.Event()

    def trickle():
        connection, _address = listener.accept()
        connection.recv(4096)
        for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 200:
            if stop.is_set():
                break
            connection.send(bytes([byte]))
            time_module.sleep(0.5)
        connection.close()

    thread = threading_module.Thread(target=trickle, daemon=True)
    thread.start()
    started = time_module.monotonic()
    try:
        with pytest.raises(FetchError, match="too long"):
            fetch_feed(f"http://127.0.0.1:{listener.getsockname()[1]}/slow.rss")
    finally:
        stop.set()
        listener.close()
    assert time_module.monotonic() - started < 5

"""Opinions benchmarks: screening throughput, feed intake end to end, the monitor at 1M posts.

``run()`` expects Django set up on a benchmark database (tests/benchmarks/run.py does that).
Sizes come from the environment so a quick run is possible:
BENCH_OPINIONS_KEYWORDS (10000), BENCH_OPINIONS_SCREEN_POSTS (100000), BENCH_OPINIONS_REGEX_POSTS
(300: the regex alternation is so slow that it runs on a sample of the same posts, and the figure
compared is throughput in characters per second), BENCH_OPINIONS_FEED_ITEMS (10000),
BENCH_OPINIONS_MONITOR_SMALL (10000), BENCH_OPINIONS_MONITOR_LARGE (1000000)."""

import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

KEYWORDS = int(os.environ.get("BENCH_OPINIONS_KEYWORDS", "10000"))
SCREEN_POSTS = int(os.environ.get("BENCH_OPINIONS_SCREEN_POSTS", "100000"))
REGEX_POSTS = int(os.environ.get("BENCH_OPINIONS_REGEX_POSTS", "300"))
FEED_ITEMS = int(os.environ.get("BENCH_OPINIONS_FEED_ITEMS", "10000"))
MONITOR_SMALL = int(os.environ.get("BENCH_OPINIONS_MONITOR_SMALL", "10000"))
MONITOR_LARGE = int(os.environ.get("BENCH_OPINIONS_MONITOR_LARGE", "1000000"))


def _result(name, value, unit, target, met) -> dict:
    return {"name": name, "value": round(value, 2), "unit": unit, "target": target, "met": bool(met)}


# --- Screening -------------------------------------------------------------------------------------


def _posts(rng, count: int) -> list[str]:
    """``count`` posts of 200–2,000 characters; a few hide a keyword the ways people do."""
    from demo.load.opinions import random_text

    pool = [random_text(rng, 2000) for _ in range(2000)]
    posts = []
    for number in range(count):
        base = pool[number % len(pool)]
        length = rng.randint(200, 2000)
        offset = rng.randint(0, 1999)
        text = (base[offset:] + base[:offset])[:length]
        posts.append(text)
    return posts


def bench_screening() -> list[dict]:
    import ahocorasick_rs

    from bureau.matching import Matcher
    from bureau.normalise import fold_table
    from demo.load.opinions import random_keywords
    from opinions.screening.terms import Term

    rng = random.Random(5)  # noqa: S311 - synthetic data
    # Keywords of 4–6 characters from the same alphabet as the posts: hits happen, as in real text.
    keywords = [word for word in random_keywords(rng, KEYWORDS * 2) if len(word) >= 4][:KEYWORDS]
    posts = _posts(rng, SCREEN_POSTS)
    characters = sum(map(len, posts))
    fold_table()

    started = time.perf_counter()
    matcher = Matcher(Term(1, "load", "prohibited", word) for word in keywords)
    build_seconds = time.perf_counter() - started

    started = time.perf_counter()
    hits = sum(len(matcher.scan(post)) for post in posts)
    screening_seconds = time.perf_counter() - started

    bare = ahocorasick_rs.AhoCorasick(keywords, matchkind=ahocorasick_rs.MatchKind.Standard)
    started = time.perf_counter()
    bare_hits = sum(len(bare.find_matches_as_indexes(post, overlapping=True)) for post in posts)
    bare_seconds = time.perf_counter() - started

    pattern = re.compile("|".join(map(re.escape, sorted(keywords, key=len, reverse=True))))
    sample = posts[:REGEX_POSTS]
    started = time.perf_counter()
    for post in sample:
        pattern.findall(post)
    regex_seconds = time.perf_counter() - started
    regex_rate = sum(map(len, sample)) / regex_seconds
    rate = characters / screening_seconds
    bare_rate = characters / bare_seconds
    print(
        f"screening: {len(posts)} posts, {characters:,} chars, {len(keywords)} keywords "
        f"({matcher.pattern_count} patterns with variants), {hits} hits (bare {bare_hits}); "
        f"build {build_seconds:.2f}s, screen {screening_seconds:.2f}s, bare {bare_seconds:.2f}s, "
        f"regex {regex_seconds:.2f}s on {len(sample)} posts",
        file=sys.stderr,
    )
    return [
        _result(
            "screening: posts per second (10k keywords, 200–2,000 chars)",
            len(posts) / screening_seconds,
            "posts/s",
            1000,
            len(posts) / screening_seconds >= 1000,
        ),
        _result("screening: million characters per second", rate / 1e6, "Mchar/s", 1, rate / 1e6 >= 1),
        _result(
            "screening: speed-up over a compiled regex alternation", rate / regex_rate, "×", 10, rate / regex_rate >= 10
        ),
        _result(
            "screening: cost of normalisation vs the bare matcher",
            bare_rate / rate,
            "× slower",
            2,
            bare_rate / rate <= 2,
        ),
        _result("screening: matcher build time (10k keywords + variants)", build_seconds, "s", 10, build_seconds <= 10),
    ]


# --- Intake --------------------------------------------------------------------------------------------


def bench_intake() -> list[dict]:
    from django.conf import settings

    from bureau import clock
    from demo import organisation as bureau_demo
    from opinions.models import Channel
    from opinions.services.intake import channel_poll
    from tests.opinions.feedserver import FeedServer, rss

    settings.OPINIONS_FEED_MAX_BYTES = 50_000_000
    bureau_demo.seed(today=clock.today())
    from bureau.models import Section

    rng = random.Random(9)  # noqa: S311 - synthetic data
    from demo.load.opinions import random_text

    items = [
        {
            "guid": f"bench-{i}",
            "title": f"基准测试帖子{i}",
            "description": random_text(rng, rng.randint(100, 400)),
            "link": f"http://forum.example/t/{i}",
            "author": "网友",
        }
        for i in range(FEED_ITEMS)
    ]
    document = rss(items)
    server = FeedServer().start()
    try:
        url = server.add("/bench.rss", document)
        channel, _ = Channel.objects.get_or_create(
            name=f"基准测试论坛{int(time.time())}",
            defaults={"kind": Channel.Kind.OWN_FORUM, "section": Section.objects.first(), "feed_url": url},
        )
        started = time.perf_counter()
        first = channel_poll(channel_id=channel.pk)
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        second = channel_poll(channel_id=channel.pk)
        second_seconds = time.perf_counter() - started
        # The same items in a changed document: parsed again, every item a duplicate.
        server.add("/bench.rss", rss(items, title="论坛（标题已改）"))
        started = time.perf_counter()
        third = channel_poll(channel_id=channel.pk)
        third_seconds = time.perf_counter() - started
    finally:
        server.stop()
    print(
        f"intake: {len(document):,} bytes; first {first_seconds:.2f}s {first.as_dict()}, "
        f"second {second_seconds:.3f}s {second.as_dict()}, reparsed duplicates {third_seconds:.2f}s {third.as_dict()}",
        file=sys.stderr,
    )
    return [
        _result(
            "intake: posts per second, 10k-item feed end to end",
            first.created / first_seconds,
            "posts/s",
            500,
            first.created / first_seconds >= 500,
        ),
        _result(
            "intake: second poll (same feed) faster than the first",
            first_seconds / second_seconds,
            "×",
            5,
            first_seconds / second_seconds >= 5,
        ),
        _result(
            "intake: changed document, all items duplicates, faster than the first",
            first_seconds / third_seconds,
            "×",
            1,
            first_seconds / third_seconds >= 1,
        ),
    ]


# --- Monitor ---------------------------------------------------------------------------------------------


def _monitor_timings(client, urls) -> tuple[float, dict[str, int]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts, medians = {}, []
    for url in urls:
        client.get(url)
        timings = []
        for _ in range(5):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, url
        counts[url] = len(queries)
        medians.append(statistics.median(timings))
    return sum(medians) / len(medians) * 1000, counts


def bench_monitor() -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from bureau import clock
    from bureau.models import User
    from demo import organisation as bureau_demo
    from demo.load import opinions as load
    from opinions.models import Channel, Post

    bureau_demo.seed(today=clock.today())
    channels = load.ensure_channels(20)
    existing = Post.objects.filter(external_id__startswith="load-").count()
    if existing < MONITOR_SMALL:
        # The monitor's lists do not read the near-duplicate index: not filled (1.5–2 ms a post).
        load.generate_posts(
            count=MONITOR_SMALL - existing, channels=channels, days=365, min_chars=200, max_chars=400, index=False
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE opinions_post")
    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    monitor = reverse("opinions:monitor")
    channel = Channel.objects.filter(name__startswith="负载渠道").first()
    urls = [
        monitor,
        f"{monitor}?status=new",
        f"{monitor}?channel={channel.pk}",
        f"{monitor}?kind=hotline_12345",
        f"{monitor}?screening=flagged",
        f"{monitor}?relevant=on&section={channel.section_id}",
        f"{monitor}?page=5",
    ]
    small_ms, small_counts = _monitor_timings(client, urls)
    started = time.perf_counter()
    load.generate_posts(
        count=MONITOR_LARGE - MONITOR_SMALL, channels=channels, days=365, min_chars=200, max_chars=400, index=False
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE opinions_post")
    print(
        f"monitor: {MONITOR_LARGE - MONITOR_SMALL} posts added in {time.perf_counter() - started:.0f}s", file=sys.stderr
    )
    large_ms, large_counts = _monitor_timings(client, urls)
    print(
        f"monitor: {small_ms:.1f} ms at {MONITOR_SMALL}, {large_ms:.1f} ms at {MONITOR_LARGE}; "
        f"queries {small_counts} vs {large_counts}",
        file=sys.stderr,
    )
    same = small_counts == large_counts
    return [
        _result(
            f"monitor: mean page time at {MONITOR_SMALL:,} posts (7 filter sets)", small_ms, "ms", 300, small_ms <= 300
        ),
        _result(
            f"monitor: mean page time at {MONITOR_LARGE:,} posts (7 filter sets)", large_ms, "ms", 450, large_ms <= 450
        ),
        _result(
            "monitor: time at the large size ÷ time at the small size",
            large_ms / small_ms,
            "×",
            1.5,
            large_ms / small_ms <= 1.5,
        ),
        _result("monitor: same query count at both sizes (1 = yes)", 1 if same else 0, "", 1, same),
    ]


def run() -> list[dict]:
    return [*bench_screening(), *bench_intake(), *bench_monitor()]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    import django

    django.setup()
    for row in run():
        print(row)

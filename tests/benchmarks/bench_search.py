"""Text search benchmark: the monitor's search box at each size, on the indexes of bureau.search.

``run()`` expects Django set up on a benchmark database (tests/benchmarks/run.py does that).
Sizes from BENCH_SEARCH_SIZES (posts; default "10000,1000000", the issue's). For each size the post
table is refilled with INSERT ... SELECT generate_series (PostgreSQL only): titles and texts drawn
from twenty two-character words, already in folded form, with their search columns computed in
SQL the way ``bureau.search.search_document`` computes them (checked on a sample row). Then, for a
common and a rare present word and an absent word, of two and of four characters, the monitor's
first page (``post_list`` with ``q`` + ``quick_page``, what the page runs) is timed, median of
BENCH_SEARCH_REPEAT (15) runs after one warm-up (the fastest too), and the plan's index nodes are printed. The naive
shape (the word's condition straight on the newest-first list, no id probe) is timed beside it.
The target: each search at the largest size within 3x of the same at the smallest."""

import importlib
import os
import re
import statistics
import time

SIZES = [int(size) for size in os.environ.get("BENCH_SEARCH_SIZES", "10000,1000000").split(",")]
REPEAT = int(os.environ.get("BENCH_SEARCH_REPEAT", "15"))

VOCABULARY = [
    "道路", "维修", "路灯", "停车", "噪音", "扰民", "供水", "垃圾", "清运", "学校",
    "医院", "物业", "小区", "施工", "投诉", "建议", "咨询", "补贴", "公交", "井盖",
]  # fmt: skip
RARE_EVERY = 5000  # one post in 5,000 reports a collapsed bridge: 桥梁坍塌
WORDS = [
    ("common, 2 characters", "噪音"),  # in about half of the posts
    ("common, 4 characters", "噪音扰民"),  # in about 3 %
    ("rare, 2 characters", "桥梁"),
    ("rare, 4 characters", "桥梁坍塌"),
    ("absent, 2 characters", "龙舟"),
    ("absent, 4 characters", "量子纠缠"),
]

# Twelve words per text, picked by a hash of (post, position): the same posts at every run.
FILL_SQL = """
    INSERT INTO opinions_post (channel_id, section_id, source, external_id, dedupe_key, content_hash, link, title,
        body, author, posted_at, found_at, status, screening, category_id, hits, is_relevant,
        status_before_takedown, decided_at, decided_by_id, decision_reason, entered_by_id, search_text, search_grams)
    SELECT %(channel)s, %(section)s, 'feed', 'bench-' || g, md5('bench-' || g), md5('c' || g), '', t.title, t.body,
        '负载用户', found - interval '5 minutes', found, 'new', 'clean', NULL, '[]'::jsonb, false,
        '', NULL, NULL, '', NULL,
        t.title || chr(10) || t.body || chr(10) || '负载用户',
        pg_temp.bench_grams(ARRAY[t.title, t.body, '负载用户'])
    FROM generate_series(1, %(total)s) AS g,
        LATERAL (SELECT %(now)s - (g * interval '1 minute') AS found) AS f,
        LATERAL (
            SELECT (%(vocabulary)s::text[])[1 + abs(hashtext(g || 't')) %% 20] || '情况' || g AS title,
                (SELECT string_agg((%(vocabulary)s::text[])[1 + abs(hashtext(g || ':' || i)) %% 20], '' ORDER BY i)
                 FROM generate_series(1, 12) AS i)
                || CASE WHEN g %% %(rare)s = 0 THEN '桥梁坍塌' ELSE '' END AS body
        ) AS t
"""

GRAMS_FUNCTION = """
    CREATE OR REPLACE FUNCTION pg_temp.bench_grams(parts text[]) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
        SELECT COALESCE(array_agg(DISTINCT gram), '{}') FROM unnest(parts) AS part,
            LATERAL (SELECT substr(part, i, 1) FROM generate_series(1, length(part)) AS i
                     UNION ALL
                     SELECT substr(part, i, 2) FROM generate_series(1, length(part) - 1) AS i) AS grams(gram)
        WHERE part <> ''
    $$
"""


def _result(name, value, unit, target, met) -> dict:
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target, "met": bool(met)}


def _fill(total: int) -> None:
    from django.db import connection

    from bureau import clock
    from bureau.search import search_document
    from demo import organisation as bureau_demo
    from demo.load.opinions import ensure_channels
    from opinions.models import Channel, Post

    bureau_demo.seed(today=clock.today())
    channel = Channel.objects.order_by("pk").first() or ensure_channels(1)[0]
    # The migration's own index definitions, dropped for the fill and built again after it (faster
    # than keeping two GIN indexes up to date row by row).
    indexes = importlib.import_module("opinions.migrations.0022_search_indexes").INDEXES
    post_indexes = {name: definition for name, definition in indexes.items() if name.startswith("post_")}
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")  # a million rows take longer than a request may
        cursor.execute("TRUNCATE opinions_post RESTART IDENTITY CASCADE")
        for name in post_indexes:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute(GRAMS_FUNCTION)
        cursor.execute(
            FILL_SQL,
            {
                "channel": channel.pk,
                "section": channel.section_id,
                "total": total,
                "now": clock.now(),
                "vocabulary": VOCABULARY,
                "rare": RARE_EVERY,
            },
        )
        for name, definition in post_indexes.items():
            cursor.execute(f"CREATE INDEX {name} ON {definition}")
        cursor.execute("VACUUM ANALYZE opinions_post")
        cursor.execute("RESET statement_timeout")
    sample = Post.objects.get(pk=RARE_EVERY if total >= RARE_EVERY else 1)
    text, grams = search_document(sample.title, sample.body, sample.author)
    if (sample.search_text, sorted(sample.search_grams)) != (text, grams):
        raise AssertionError("the benchmark's SQL fill differs from bureau.search.search_document")


def _timed(call) -> tuple[float, float]:
    """(median, fastest) in ms. The fastest run is the one least disturbed by whatever else the
    machine runs; both are printed, the target is on the medians."""
    call()  # warm-up: caches, the plan
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, min(times) * 1000


def _index_nodes(plan: str) -> str:
    """The plan's scan nodes, one line: which index (or none) serves the search."""
    nodes = re.findall(r"((?:Bitmap Index|Index Only|Index|Seq|Bitmap Heap) Scan(?: using \w+)?(?: on \w+)?)", plan)
    if not plan:
        return "no query (the probe found no match: the list is empty without asking)"
    return "; ".join(dict.fromkeys(nodes)) or plan.splitlines()[0]


def run() -> list[dict]:
    from django.core.exceptions import EmptyResultSet
    from django.db import connection

    from bureau.models import User
    from bureau.pagination import quick_page
    from bureau.search import _match, search_probe, search_word
    from opinions.selectors.posts import post_list

    if connection.vendor != "postgresql":
        return [_result("search: PostgreSQL only (the GIN indexes)", 0, "", None, True)]
    timings: dict[tuple[int, str], float] = {}
    best: dict[tuple[int, str], float] = {}
    results = []
    for size in SIZES:
        _fill(size)
        user = User.objects.get(username="supervisor")  # the office head, who watches the monitor
        print(f"  search: {size:,} posts", flush=True)
        for label, word in WORDS:

            def page(word=word, user=user):
                _form, posts = post_list(user=user, filters={"q": word})
                return quick_page(posts, 1, per_page=50)

            def naive(word=word, user=user):
                _form, posts = post_list(user=user, filters={})
                return list(posts.filter(_match(search_word(word), vendor="postgresql"))[:51])

            found = len(page())
            ms, fastest = _timed(page)
            naive_ms, _naive_fastest = _timed(naive)
            timings[(size, word)] = ms
            best[(size, word)] = fastest
            _form, posts = post_list(user=user, filters={"q": word})
            try:
                list_plan = _index_nodes(posts[:51].explain())
            except EmptyResultSet:  # the probe found nothing: the page runs no query
                list_plan = ""
            probe_plan = _index_nodes(search_probe(posts, search_word(word)).explain())
            print(
                f"    {word} ({label}): {found} on page 1, median {ms:.1f} ms, fastest {fastest:.1f} ms"
                f" (naive shape: median {naive_ms:.1f} ms)",
                flush=True,
            )
            print(f"      probe: {probe_plan}", flush=True)
            print(f"      page:  {list_plan}", flush=True)
            results.append(_result(f"search at {size:,} posts: {label} {word}", ms, "ms", None, True))
            results.append(
                _result(f"search at {size:,} posts: {label} {word}, naive shape", naive_ms, "ms", None, True)
            )
    smallest, largest = SIZES[0], SIZES[-1]
    if largest != smallest:
        for label, word in WORDS:
            ratio = timings[(largest, word)] / max(timings[(smallest, word)], 0.001)
            results.append(
                _result(f"search {largest:,} ÷ {smallest:,} posts: {label} {word}", ratio, "×", 3, ratio <= 3)
            )
            fastest_ratio = best[(largest, word)] / max(best[(smallest, word)], 0.001)
            results.append(
                _result(
                    f"search {largest:,} ÷ {smallest:,} posts, fastest runs: {label} {word}",
                    fastest_ratio,
                    "×",
                    None,
                    True,
                )
            )
    return results

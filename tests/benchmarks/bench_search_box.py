"""The one search box (reports.search) over posts and demands at each size.

``run()`` expects Django set up on a benchmark database (tests/benchmarks/run.py does that).
Sizes from BENCH_SEARCH_BOX_SIZES (rows of each table; default "10000,100000,1000000"). Posts are
filled by bench_search's own fill (twenty two-character words, one post in 5,000 reporting
桥梁坍塌); demands the same way in SQL, their search columns computed as
``bureau.search.search_document`` computes them (checked on a sample row). For each size, the
search box's posts and demands (``site_search`` restricted to those two kinds: per kind the id
probe and the five newest rows, what the page runs) is timed for a common, a rare and an absent
word of two and of four characters: median of BENCH_SEARCH_BOX_REPEAT (15) runs after a warm-up,
and the fastest. The plans' index nodes are printed. The target (issue 17): each search at the
largest size within 3x of the same at the smallest."""

import importlib.util
import os
import re
import statistics
import time
from pathlib import Path

SIZES = [int(size) for size in os.environ.get("BENCH_SEARCH_BOX_SIZES", "10000,100000,1000000").split(",")]
REPEAT = int(os.environ.get("BENCH_SEARCH_BOX_REPEAT", "15"))
HERE = Path(__file__).resolve().parent

DEMAND_FILL_SQL = """
    INSERT INTO opinions_demand (number, kind, channel_id, section_id, citizen_name, citizen_contact, subject,
        content, about_bureau, level, department_id, handler_id, state, received_at, due_at, assigned_at,
        replied_at, first_replied_at, completed_at, called_back_at, due_soon_at, overdue_at,
        escalation_level, was_overdue, reply_text, internal_notes, review_opinion, measures, resolution,
        satisfaction, redo_count, handback_reason, extension_reason, search_text, search_grams,
        state_before_merge)
    SELECT 'S-' || g, 'complaint', %(channel)s, NULL, '', '', t.subject, t.content, false, 'III', NULL, NULL,
        'completed', r, r + interval '24 hours', r, r + interval '3 hours', r + interval '3 hours',
        r + interval '30 hours', NULL, NULL, NULL, 0, false, t.reply, '', '', '', '', '', 0, '', '',
        's' || g || chr(10) || t.subject || chr(10) || t.content || chr(10) || t.reply,
        pg_temp.bench_grams(ARRAY['s' || g, t.subject, t.content, t.reply]), ''
    FROM generate_series(1, %(total)s) AS g,
        LATERAL (SELECT %(now)s - (g * interval '1 minute') AS r) AS f,
        LATERAL (
            SELECT (%(vocabulary)s::text[])[1 + abs(hashtext(g || 's')) %% 20] || '问题' || g AS subject,
                (SELECT string_agg((%(vocabulary)s::text[])[1 + abs(hashtext(g || '/' || i)) %% 20], '' ORDER BY i)
                 FROM generate_series(1, 12) AS i)
                || CASE WHEN g %% %(rare)s = 0 THEN '桥梁坍塌' ELSE '' END AS content,
                '已答复' AS reply
        ) AS t
"""
DEMAND_INDEXES = ("demand_search_trgm_idx", "demand_search_grams_idx")


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"benchmarks.{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _result(name, value, unit, target, met) -> dict:
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target, "met": bool(met)}


def _fill_demands(total: int, search) -> None:
    from django.db import connection

    from bureau import clock
    from bureau.search import search_document
    from demo.load.opinions import ensure_demand_setup
    from opinions.models import Demand

    channel_ids, _handlers = ensure_demand_setup()
    indexes = importlib.import_module("opinions.migrations.0022_search_indexes").INDEXES
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
        cursor.execute("TRUNCATE opinions_demandpress, opinions_demand RESTART IDENTITY CASCADE")
        for name in DEMAND_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute(search.GRAMS_FUNCTION)
        cursor.execute(
            DEMAND_FILL_SQL,
            {
                "channel": channel_ids[0],
                "total": total,
                "now": clock.now(),
                "vocabulary": search.VOCABULARY,
                "rare": search.RARE_EVERY,
            },
        )
        for name in DEMAND_INDEXES:
            cursor.execute(f"CREATE INDEX {name} ON {indexes[name]}")
        cursor.execute("VACUUM ANALYZE opinions_demand")
        cursor.execute("RESET statement_timeout")
    sample = Demand.objects.get(pk=search.RARE_EVERY if total >= search.RARE_EVERY else 1)
    text, grams = search_document(sample.number, sample.subject, sample.content, sample.reply_text)
    if (sample.search_text, sorted(sample.search_grams)) != (text, grams):
        raise AssertionError("the benchmark's demand fill differs from bureau.search.search_document")


def _timed(call) -> tuple[float, float]:
    call()
    times = []
    for _ in range(REPEAT):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000, min(times) * 1000


def _index_nodes(plan: str) -> str:
    """The plan's scan nodes, one line (bench_search's, with backward index scans named too)."""
    nodes = re.findall(
        r"((?:Bitmap Index|Index Only|Index|Seq|Bitmap Heap) Scan(?: Backward)?(?: using \w+)?(?: on \w+)?)", plan
    )
    if not plan:
        return "no query (the probe found no match)"
    return "; ".join(dict.fromkeys(nodes)) or plan.splitlines()[0]


def _plans(user, kinds, word: str, search) -> list[str]:
    """Per kind: the probe's and the rows' index nodes."""
    from django.core.exceptions import EmptyResultSet

    from bureau.search import search_probe, search_word
    from reports.search import PER_KIND

    lines = []
    for kind in kinds:
        rows = kind.rows(user, {"q": word})
        probe = search.index_nodes(search_probe(rows, search_word(word)).explain())
        try:
            shown = search.index_nodes(
                rows.select_related(None).defer(None).order_by(*kind.newest_first)[: PER_KIND + 1].explain()
            )
        except EmptyResultSet:
            shown = search.index_nodes("")
        lines.append(f"      {kind.key}: probe {probe} | rows {shown}")
    return lines


def run() -> list[dict]:
    from django.db import connection

    from bureau.models import User
    from reports.search import KINDS, site_search

    if connection.vendor != "postgresql":
        return [_result("search box: PostgreSQL only (the GIN indexes)", 0, "", None, True)]
    search = _module("bench_search")
    search.index_nodes = _index_nodes
    kinds = [kind for kind in KINDS if kind.key in ("posts", "demands")]
    timings: dict[tuple[int, str], float] = {}
    results = []
    for size in SIZES:
        started = time.perf_counter()
        search._fill(size)
        _fill_demands(size, search)
        fill_s = time.perf_counter() - started
        print(f"  search box: {size:,} posts and {size:,} demands (filled in {fill_s:.0f} s)", flush=True)
        results.append(_result(f"search box fill, {size:,} posts + {size:,} demands", fill_s, "s", None, True))
        user = User.objects.get(username="supervisor")
        for label, word in search.WORDS:

            def box(word=word, user=user):
                return site_search(user=user, query=word, kinds=kinds)

            found = {group.key: len(group.items) for group in box()}
            ms, fastest = _timed(box)
            timings[(size, word)] = ms
            print(f"    {word} ({label}): shown {found}, median {ms:.1f} ms, fastest {fastest:.1f} ms", flush=True)
            for line in _plans(user, kinds, word, search):
                print(line, flush=True)
            results.append(_result(f"search box at {size:,}: {label} {word}", ms, "ms", None, True))
    smallest = SIZES[0]
    for size in SIZES[1:]:
        for label, word in search.WORDS:
            ratio = timings[(size, word)] / max(timings[(smallest, word)], 0.001)
            target = 3 if size == SIZES[-1] else None
            results.append(
                _result(
                    f"search box {size:,} ÷ {smallest:,}: {label} {word}",
                    ratio,
                    "×",
                    target,
                    ratio <= 3 if target else True,
                )
            )
    return results

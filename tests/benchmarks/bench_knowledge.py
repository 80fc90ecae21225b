"""Similar cases (相似案例) for a reply (``opinions.selectors.knowledge.similar_cases``) at scale.

``run()`` expects Django set up on a benchmark database (tests/benchmarks/run.py does that).
Sizes from the environment: BENCH_KNOWLEDGE_SIZES (10000,100000: replied demands, filled one
after the other into the same tables; add 1000000 for a million), BENCH_KNOWLEDGE_PROBES (50
demands timed one by one at each size).

The demands are replied consultations and complaints written from the 40 topics of
``bench_similarity`` (the same word lists: unrelated texts share topic words, as real ones do),
received over three years; one in ten is a near copy of an earlier one (the same question asked
again, in other words). Their signatures and bands go straight into the index tables (COPY), as intake would have
written them. Measured at each size: the lookup for one demand being replied to (its signature,
the band rows, the demands: two queries), the median over the probes (half of them near copies,
which have similar cases to show, half not), and its ratio to the smallest size (target: within 3×)."""

import importlib.util
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZES = [int(size) for size in os.environ.get("BENCH_KNOWLEDGE_SIZES", "10000,100000").split(",")]
PROBES = int(os.environ.get("BENCH_KNOWLEDGE_PROBES", "50"))
CHUNK = 20_000


def _words():
    """The text generator of bench_similarity (loaded by path: the benchmarks are not a package)."""
    spec = importlib.util.spec_from_file_location("bench_similarity_words", HERE / "bench_similarity.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _result(name, value, unit, target, met) -> dict:
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target, "met": bool(met)}


def _fill(texts: list[str], start: int, channel_ids: list[int], handler_ids: list[int], now) -> None:
    """Demands ``start+1 … start+len(texts)``, replied and completed, with their first rounds and
    their entries in the similarity index."""
    from django.db import connection

    from opinions.similarity.minhash import signature

    total_days = 3 * 365
    for offset in range(0, len(texts), CHUNK):
        chunk = texts[offset : offset + CHUNK]
        first = start + offset + 1
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO opinions_demand (id, number, kind, channel_id, section_id, citizen_name, citizen_contact,
                    subject, content, about_bureau, level, department_id, handler_id, state, received_at, due_at,
                    assigned_at, replied_at, first_replied_at, completed_at, called_back_at, due_soon_at, overdue_at,
                    escalation_level, was_overdue, reply_text, internal_notes, review_opinion, measures, resolution,
                    satisfaction, redo_count, handback_reason, extension_reason, search_text, search_grams,
                    state_before_merge)
                SELECT g, 'K-' || g, CASE WHEN g %% 2 = 0 THEN 'consultation' ELSE 'complaint' END,
                    (%(channels)s::int[])[1 + g %% array_length(%(channels)s::int[], 1)], NULL, '', '',
                    '诉求 ' || g, t.text, false, 'III', NULL,
                    (%(handlers)s::int[])[1 + g %% array_length(%(handlers)s::int[], 1)], 'completed',
                    r, r + interval '24 hours', r, r + interval '3 hours', r + interval '3 hours',
                    r + interval '30 hours', NULL, NULL, NULL, 0, false,
                    '您好，您反映的问题已转有关部门办理，编号 ' || g || '。', '', '', '', '已办结', '', 0, '', '', '',
                    '{}'::text[], ''
                FROM unnest(%(texts)s::text[]) WITH ORDINALITY AS t(text, n),
                    LATERAL (SELECT %(first)s + t.n - 1 AS g) AS ids,
                    LATERAL (SELECT %(now)s - interval '1 day' * %(days)s
                        + (g * (interval '1 day' * %(days)s / %(scale)s)) AS r) AS at
                """,
                {
                    "channels": channel_ids,
                    "handlers": handler_ids,
                    "texts": chunk,
                    "first": first,
                    "now": now,
                    "days": total_days,
                    "scale": SIZES[-1] + 1,
                },
            )
            cursor.execute(
                """
                INSERT INTO opinions_demandround (demand_id, number, started_at, due_at, extension_asked_at,
                    extension_until, extension_reason, extension_decision, extension_decided_at, dispatched_at,
                    sign_for_due_at, signed_for_at, replied_at, replied_by_id, department_id, section_id, handler_id)
                SELECT id, 0, received_at, due_at, NULL, NULL, '', '', NULL, received_at,
                    received_at + interval '2 hours', assigned_at, first_replied_at, NULL, department_id, section_id,
                    handler_id
                FROM opinions_demand WHERE id >= %s AND id < %s
                """,
                [first, first + len(chunk)],
            )
            cursor.execute(
                "SELECT id, received_at FROM opinions_demand WHERE id >= %s AND id < %s",
                [first, first + len(chunk)],
            )
            received = dict(cursor.fetchall())
            signatures, bands = [], []
            for n, text in enumerate(chunk):
                item_id = first + n
                sig = signature(text)
                if sig is None:
                    continue
                at = received[item_id]
                signatures.append(f"{item_id}\tdemand\t{item_id}\t{at.isoformat()}\t\\\\x{sig.to_bytes().hex()}\n")
                bands.extend(f"{item_id}\t{b}\t{k}\t{at.isoformat()}\n" for b, k in enumerate(sig.band_keys()))
            cursor.copy_expert(
                "COPY opinions_similaritysignature (id, kind, item_id, received_at, signature) FROM STDIN",
                io.StringIO("".join(signatures)),
            )
            cursor.copy_expert(
                "COPY opinions_similarityband (signature_id, band, key, received_at) FROM STDIN",
                io.StringIO("".join(bands)),
            )
    with connection.cursor() as cursor:
        for table in ("opinions_demand", "opinions_similaritysignature"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")  # noqa: S608 - our table names
        for table in (
            "opinions_demand",
            "opinions_demandround",
            "opinions_similaritysignature",
            "opinions_similarityband",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")


def bench_similar_cases() -> list[dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bureau import clock
    from bureau.models import User
    from demo.load.opinions import ensure_demand_setup
    from opinions.models import Demand
    from opinions.selectors.knowledge import similar_cases

    if connection.vendor != "postgresql":
        return [_result("similar cases: needs PostgreSQL (COPY)", 0, "", None, True)]
    words = _words()
    rng = random.Random(17)  # noqa: S311 - synthetic data
    topics = words._topics(rng)
    channel_ids, handler_ids = ensure_demand_setup()
    supervisor = User.objects.get(username="supervisor")
    now = clock.now()
    filled: list[str] = []
    copies: list[int] = []  # ids of the near copies
    measured: dict[int, tuple[float, int, float, int]] = {}
    for size in SIZES:
        texts = []
        for _n in range(size - len(filled)):
            count = len(filled) + len(texts)
            if count and rng.random() < 0.1:
                at = rng.randrange(count)
                texts.append(words._near_copy(rng, filled[at] if at < len(filled) else texts[at - len(filled)]))
                copies.append(count + 1)
            else:
                texts.append(words._post(rng, topics))
        started = time.perf_counter()
        _fill(texts, len(filled), channel_ids, handler_ids, now)
        fill_seconds = time.perf_counter() - started
        filled += texts
        print(f"knowledge: {size:,} demands filled in {fill_seconds:.0f} s", file=sys.stderr, flush=True)
        wanted = rng.sample(copies, PROBES // 2) + rng.sample(range(1, size + 1), PROBES - PROBES // 2)
        probes = list(Demand.objects.filter(pk__in=wanted))
        for demand in probes[:5]:  # warm the caches (permutations, index pages)
            similar_cases(user=supervisor, demand=demand)
        times, shown = [], 0
        for demand in probes:
            started = time.perf_counter()
            shown += len(similar_cases(user=supervisor, demand=demand))
            times.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as queries:
            similar_cases(user=supervisor, demand=probes[0])
        measured[size] = (statistics.median(times) * 1000, len(queries), fill_seconds, shown)
        print(
            f"knowledge: similar cases at {size:,}: median {measured[size][0]:.1f} ms, {len(queries)} queries, "
            f"{shown / len(probes):.1f} cases shown on average",
            file=sys.stderr,
            flush=True,
        )
    smallest, largest = SIZES[0], SIZES[-1]
    results = []
    for size in SIZES:
        median_ms, queries, fill_seconds, _shown = measured[size]
        results += [
            _result(f"similar cases: one reply at {size:,} demands (median)", median_ms, "ms", None, True),
            _result(f"similar cases: queries at {size:,} demands", queries, "queries", 2, queries <= 2),
            _result(f"similar cases: fill of {size:,} demands", fill_seconds, "s", None, True),
        ]
    ratio = measured[largest][0] / measured[smallest][0]
    results.append(
        _result(f"similar cases: at {largest:,} ÷ at {smallest:,}", ratio, "×", 3, ratio <= 3),
    )
    return results


def run() -> list[dict]:
    from django.db import connection

    from bureau import clock
    from demo import organisation as bureau_demo

    bureau_demo.seed(today=clock.today())  # the office's people and sections
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    return bench_similar_cases()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    import django

    django.setup()
    for row in run():
        print(row)

"""Dashboard benchmark: the year view at 1,000,000 demands and posts against 10,000.

``run()`` expects Django set up on a benchmark database (tests/benchmarks/run.py does that).
Sizes from the environment: BENCH_DASHBOARD_LARGE (1000000), BENCH_DASHBOARD_SMALL (10000). Demands
are written by bench_opinions_demands' INSERT ... SELECT generate_series, posts the same way; then the
daily aggregates are rebuilt once (timed too) and the page is measured: its time (median of five)
and query count must not grow with the data."""

import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

LARGE = int(os.environ.get("BENCH_DASHBOARD_LARGE", "1000000"))
SMALL = int(os.environ.get("BENCH_DASHBOARD_SMALL", "10000"))
HERE = Path(__file__).resolve().parent


def _result(name, value, unit, target, met) -> dict:
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target, "met": bool(met)}


def _demands_module():
    spec = importlib.util.spec_from_file_location("bench_opinions_demands", HERE / "bench_opinions_demands.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fill_posts(total: int) -> None:
    """``total`` posts found over the last year on the load channels; 1 in 50 taken down by category."""
    from django.db import connection

    from bureau import clock
    from demo.load.opinions import ensure_channels
    from opinions.models import ScreeningCategory

    channels = ensure_channels(20)
    categories = list(
        ScreeningCategory.objects.filter(purpose=ScreeningCategory.Purpose.PROHIBITED).values_list("pk", flat=True)
    ) or [None]
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE opinions_post RESTART IDENTITY CASCADE")
        cursor.execute(
            """
            INSERT INTO opinions_post (source, external_id, dedupe_key, content_hash, link, title, body, author,
                posted_at, found_at, status, screening, hits, is_relevant, status_before_takedown, decision_reason,
                channel_id, section_id, category_id, search_text, search_grams)
            SELECT 'feed', 'bench-' || g, md5('bench' || g), md5('c' || g), '', '负载帖子 ' || g, '内容', '',
                r, r,
                CASE WHEN g %% 50 = 0 THEN 'taken_down' WHEN g %% 7 = 0 THEN 'filed' ELSE 'read' END,
                CASE WHEN g %% 50 = 0 THEN 'confirmed' ELSE 'clean' END, '[]'::jsonb, g %% 5 = 0,
                '', '', c.id, c.section_id,
                CASE WHEN g %% 50 = 0
                    THEN (%(categories)s::bigint[])[1 + g %% array_length(%(categories)s::bigint[], 1)] END,
                '', '{}'::text[]
            FROM generate_series(1, %(total)s) AS g
            JOIN LATERAL (SELECT %(now)s - interval '365 days' + (g * (interval '365 days' / %(total)s)) AS r) t ON true
            JOIN opinions_channel c ON c.id = (%(channels)s::bigint[])[1 + g %% array_length(%(channels)s::bigint[], 1)]
            """,
            {"total": total, "now": clock.now(), "channels": [c.pk for c in channels], "categories": categories},
        )
        cursor.execute("VACUUM ANALYZE opinions_post")


def _timed(call, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _page(url: str) -> tuple[float, int]:
    """The page's time (median of five) and query count, for the supervisor."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bureau.models import User

    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    assert client.get(url).status_code == 200
    connection.queries_log.clear()  # a full log (DEBUG on, 9,000 entries) would make the capture read 0
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Counted now: the capture reads the connection's log, which each later request resets.
    count = len(queries)
    return _timed(lambda: client.get(url)), count


def _fill(size: int) -> float:
    """``size`` demands and posts, the aggregates rebuilt once (returns the rebuild's time)."""
    from django.db import connection

    from opinions.services.daily_figures import daily_figures_rebuild

    _fill_posts(size)  # first: its TRUNCATE ... CASCADE empties the demand table too
    _demands_module()._fill(size, min(100_000, size // 10))
    rebuild_time = _timed(daily_figures_rebuild, repeat=1)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE opinions_demandday; ANALYZE opinions_postday; ANALYZE opinions_demandoverdueday")
    return rebuild_time


def _touch_a_day() -> None:
    """A change since the refresh to one demand received 100 days ago (as a call-back or a note
    would record it): the page counts that day live, as many demands as a day holds."""
    from datetime import timedelta

    from archive.services import archive_record
    from bureau import clock
    from opinions.models import Demand

    demand = Demand.objects.filter(received_at__lt=clock.now() - timedelta(days=100)).order_by("-received_at").first()
    archive_record(action="opinions.demand.noted", target=demand, summary="benchmark: a change since the refresh")


def bench_dashboard() -> list[dict]:
    url = "/dashboard/?period=year"
    measured, touched = {}, {}
    for size in (SMALL, LARGE):
        rebuild_time = _fill(size)
        measured[size] = (*_page(url), rebuild_time)
    # One day touched since the refresh, at each size (the large one first: it is loaded; the archive
    # record it writes names no demand of the small fill, whose ids stop far below).
    for size in (LARGE, SMALL):
        if size == SMALL:
            _fill(size)
        _touch_a_day()
        touched[size] = _page(url)
    small, large = measured[SMALL], measured[LARGE]
    return [
        _result(f"dashboard: year view at {SMALL:,}", small[0] * 1000, "ms", None, True),
        _result(f"dashboard: year view at {LARGE:,}", large[0] * 1000, "ms", None, True),
        _result(f"dashboard: at {LARGE:,} ÷ at {SMALL:,}", large[0] / small[0], "×", 1.5, large[0] <= 1.5 * small[0]),
        _result("dashboard: queries (large − small)", large[1] - small[1], "queries", 0, large[1] == small[1]),
        _result("dashboard: queries per page", large[1], "queries", None, True),
        _result(f"dashboard: rebuild daily figures at {LARGE:,}", large[2], "s", None, True),
        # Not flat, and measured so: a touched day is counted live whole (a day's demands grow with the data).
        _result(
            f"dashboard: one day touched since the refresh, at {SMALL:,}", touched[SMALL][0] * 1000, "ms", None, True
        ),
        _result(
            f"dashboard: one day touched since the refresh, at {LARGE:,}", touched[LARGE][0] * 1000, "ms", None, True
        ),
        _result(
            "dashboard: one day touched, queries (large − small)",
            touched[LARGE][1] - touched[SMALL][1],
            "queries",
            0,
            touched[LARGE][1] == touched[SMALL][1],
        ),
    ]


def run() -> list[dict]:
    from django.db import connection

    from bureau import clock
    from demo import organisation as bureau_demo

    bureau_demo.seed(today=clock.today())  # the office's people and sections
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    return bench_dashboard()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    import django

    django.setup()
    for row in run():
        print(row)

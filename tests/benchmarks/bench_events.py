"""The event page at an event of 10,000 items with a constant query count (issue 16).

``run()`` expects Django set up on a benchmark database (tests/benchmarks/run.py does that).
Two events in one database: one of BENCH_EVENTS_SMALL (100) items, one of BENCH_EVENTS_LARGE
(10,000); a twentieth of each event's items are demands, the rest posts over the load channels,
found over three days (so the hourly and daily charts fill), four in five with spread figures
(replies, reposts, views) and every tenth with a spread sample. Posts and demands are written with
INSERT ... SELECT generate_series (bench_dashboard, bench_opinions_demands), then linked in bulk.

Each event's page: the median of BENCH_EVENTS_REPEAT (15) GETs through the test client, logged in
as the office head (who may grade, respond, merge and link, so the page carries every form and the
grading suggestion), DEBUG as configured, after one warm-up GET; and its query count. The rows
compare in one run: the same query count at both sizes, and large ÷ small ≤ 3 (the issue sets no
time target; 3 is ours)."""

import importlib.util
import os
import statistics
import sys
import time
from pathlib import Path

SMALL = int(os.environ.get("BENCH_EVENTS_SMALL", "100"))
LARGE = int(os.environ.get("BENCH_EVENTS_LARGE", "10000"))
REPEAT = int(os.environ.get("BENCH_EVENTS_REPEAT", "15"))
RATIO_TARGET = 3.0
HERE = Path(__file__).resolve().parent


def _result(name, value, unit, target, met) -> dict:
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target, "met": bool(met)}


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _split(size: int) -> tuple[int, int]:
    """(posts, demands) of an event of ``size`` items."""
    demands = max(size // 20, 1)
    return size - demands, demands


def _fill(sizes: tuple[int, ...]):
    """One event per size; returns the events in the order of ``sizes``."""
    from datetime import timedelta

    from django.db import connection

    from bureau import clock
    from bureau.models import User
    from events.models import ClockKind, Event, EventClock, EventResponse, Level

    splits = [_split(size) for size in sizes]
    # Posts first: their TRUNCATE ... CASCADE empties the demand table too.
    _module("bench_dashboard")._fill_posts(sum(posts for posts, _demands in splits))
    _module("bench_opinions_demands")._fill(sum(demands for _posts, demands in splits), 0)

    now = clock.now()
    supervisor = User.objects.get(username="supervisor")
    events = []
    post_start = demand_start = 0
    with connection.cursor() as cursor:
        for size, (posts, demands) in zip(sizes, splits, strict=True):
            first_seen = now - timedelta(days=3)
            event = Event.objects.create(
                title=f"负载事件 {size}",
                summary="负载",
                level=Level.II,
                state=Event.State.HANDLING,
                first_seen_at=first_seen,
                created_at=first_seen,
                created_by=supervisor,
                confirmed_at=first_seen,
                confirmed_by=supervisor,
                graded_at=first_seen,
                graded_by=supervisor,
            )
            for kind, hours in ((ClockKind.FIRST_RESPONSE, 2), (ClockKind.AUTHORITATIVE, 12), (ClockKind.PRESS, 48)):
                EventClock.objects.create(event=event, kind=kind, due_at=first_seen + timedelta(hours=hours))
            EventResponse.objects.create(
                event=event,
                kind=ClockKind.FIRST_RESPONSE,
                responded_at=first_seen + timedelta(hours=1),
                text="已回应",
                recorded_by=supervisor,
                recorded_at=first_seen + timedelta(hours=1),
            )
            params = {
                "event": event.pk,
                "first": first_seen,
                "post_lo": post_start,
                "post_hi": post_start + posts,
                "posts": posts,
                "demand_lo": demand_start,
                "demand_hi": demand_start + demands,
                "demands": demands,
            }
            # The event's posts: found over three days, four in five with spread figures.
            cursor.execute(
                """
                UPDATE opinions_post p SET
                    found_at = %(first)s + (p.id - %(post_lo)s) * (interval '72 hours' / %(posts)s),
                    posted_at = %(first)s + (p.id - %(post_lo)s) * (interval '72 hours' / %(posts)s),
                    replies = CASE WHEN p.id %% 5 = 0 THEN NULL ELSE p.id %% 97 END,
                    reposts = CASE WHEN p.id %% 5 = 0 THEN NULL ELSE p.id %% 31 END,
                    views = CASE WHEN p.id %% 5 = 0 THEN NULL ELSE 10 * (p.id %% 1000) END
                WHERE p.id > %(post_lo)s AND p.id <= %(post_hi)s
                """,
                params,
            )
            cursor.execute(
                """
                INSERT INTO events_eventpost (event_id, post_id, keywords, added_at)
                SELECT %(event)s, p.id, '[]'::jsonb, p.found_at FROM opinions_post p
                WHERE p.id > %(post_lo)s AND p.id <= %(post_hi)s
                """,
                params,
            )
            cursor.execute(
                """
                INSERT INTO opinions_postspreadsample (post_id, sampled_at, replies, reposts, views)
                SELECT p.id, p.found_at + interval '1 hour', p.replies, p.reposts, p.views FROM opinions_post p
                WHERE p.id > %(post_lo)s AND p.id <= %(post_hi)s AND p.id %% 10 = 0
                """,
                params,
            )
            cursor.execute(
                """
                UPDATE opinions_demand d SET
                    received_at = %(first)s + (d.id - %(demand_lo)s) * (interval '72 hours' / %(demands)s)
                WHERE d.id > %(demand_lo)s AND d.id <= %(demand_hi)s
                """,
                params,
            )
            cursor.execute(
                """
                INSERT INTO events_eventdemand (event_id, demand_id, keywords, added_at)
                SELECT %(event)s, d.id, '[]'::jsonb, d.received_at FROM opinions_demand d
                WHERE d.id > %(demand_lo)s AND d.id <= %(demand_hi)s
                """,
                params,
            )
            post_start += posts
            demand_start += demands
            events.append(event)
        for table in (
            "opinions_post",
            "opinions_demand",
            "events_eventpost",
            "events_eventdemand",
            "opinions_postspreadsample",
        ):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return events


def _timed(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _measure(client, event, size: int) -> tuple[float, int]:
    """(median seconds, queries) of the event's page, after one warm-up GET."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = event.get_absolute_url()
    assert event.post_links.count() + event.demand_links.count() == size
    assert client.get(url).status_code == 200, url
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200, url
    count = len(queries.captured_queries)
    seconds = _timed(lambda: client.get(url), REPEAT)
    print(f"  event page at {size:,} items: {seconds * 1000:.1f} ms, {count} queries", file=sys.stderr)
    return seconds, count


def run() -> list[dict]:
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from bureau import clock
    from bureau.models import User
    from demo import organisation as bureau_demo

    bureau_demo.seed(today=clock.today())  # the office's people and sections
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    small_event, large_event = _fill((SMALL, LARGE))
    settings.DEBUG = False  # the page as served, whatever the developer's environment says
    client = Client()
    client.force_login(User.objects.get(username="supervisor"))
    small = _measure(client, small_event, SMALL)
    large = _measure(client, large_event, LARGE)
    ratio = large[0] / small[0]
    return [
        _result(f"events: event page at {SMALL:,} items", small[0] * 1000, "ms", None, True),
        _result(f"events: event page at {LARGE:,} items", large[0] * 1000, "ms", None, True),
        _result(f"events: event page, {LARGE:,} ÷ {SMALL:,}", ratio, "×", RATIO_TARGET, ratio <= RATIO_TARGET),
        _result(
            f"events: event page, queries at {LARGE:,} (at {SMALL:,}: {small[1]})",
            large[1],
            "queries",
            small[1],
            large[1] == small[1],
        ),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    import django

    django.setup()
    for row in run():
        print(row)

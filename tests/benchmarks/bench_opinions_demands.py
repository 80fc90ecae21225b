"""Demand benchmarks: the deadline sweep, the demand list and "my work", the year's figures.

``run()`` expects Django set up on a benchmark database (tests/benchmarks/run.py does that).
Sizes from the environment: BENCH_DEMANDS_LARGE (1000000), BENCH_DEMANDS_OPEN (100000 of them
open, half of those past their deadline), BENCH_DEMANDS_SMALL (10000); the sweep at each of
BENCH_SWEEP_SIZES (100000; "100000,1000000" for both), the outbox after a sweep flagging
BENCH_OUTBOX_FLAGGED (30000). BENCH_DEMANDS_PARTS picks some of sweep,outbox,pages. Rows are written with
INSERT ... SELECT generate_series (PostgreSQL), so a million takes seconds."""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

LARGE = int(os.environ.get("BENCH_DEMANDS_LARGE", "1000000"))
OPEN = int(os.environ.get("BENCH_DEMANDS_OPEN", "100000"))
SMALL = int(os.environ.get("BENCH_DEMANDS_SMALL", "10000"))


def _open_states() -> tuple[str, ...]:
    """The one definition of "open" (Django is set up only once run.py has chosen the database)."""
    from opinions.models import Demand

    return tuple(str(state) for state in Demand.OPEN_STATES)


def _result(name, value, unit, target, met) -> dict:
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target, "met": bool(met)}


ROUNDS_SQL = (
    # Each row's first round and call-back, as migration 0012 fills them for rows from before the rounds.
    """
    INSERT INTO opinions_demandround (demand_id, number, started_at, due_at, extension_asked_at, extension_until,
        extension_reason, extension_decision, extension_decided_at, dispatched_at, sign_for_due_at, signed_for_at,
        replied_at, replied_by_id, department_id, section_id, handler_id)
    SELECT id, 0, received_at, due_at, NULL, NULL, '', '', NULL, received_at, received_at + interval '2 hours',
        assigned_at, first_replied_at, NULL, department_id, section_id, handler_id
    FROM opinions_demand
    """,
    """
    INSERT INTO opinions_demandcallback (demand_id, number, round, at, result, by_id, note)
    SELECT id, 0, 0, COALESCE(called_back_at, completed_at, received_at), satisfaction, NULL, ''
    FROM opinions_demand WHERE satisfaction <> ''
    """,
)


def _fill(total: int, open_count: int) -> None:
    """``total`` demands over the last year; the last ``open_count`` are open, half overdue. Every
    closed one has been called back (an office's call-backs due are a few days' worth, not a year's)."""
    from django.db import connection

    from bureau import clock
    from demo.load.opinions import ensure_demand_setup

    channel_ids, handler_ids = ensure_demand_setup()
    now = clock.now()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE opinions_demandpress, opinions_demand RESTART IDENTITY CASCADE")
        cursor.execute(
            """
            INSERT INTO opinions_demand (number, kind, channel_id, section_id, citizen_name, citizen_contact, subject,
                content, about_bureau, level, department_id, handler_id, state, received_at, due_at, assigned_at,
                replied_at, first_replied_at, completed_at, called_back_at, due_soon_at, overdue_at,
                escalation_level, was_overdue, reply_text, internal_notes, review_opinion, measures, resolution,
                satisfaction, redo_count, handback_reason, extension_reason, search_text, search_grams,
                state_before_merge)
            SELECT 'B-' || g, (ARRAY['complaint','suggestion','consultation','criticism','praise','other'])[1 + g %% 6],
                (%(channels)s::int[])[1 + g %% array_length(%(channels)s::int[], 1)], NULL, '', '',
                '负载诉求 ' || g, '内容', false, 'III', NULL,
                (%(handlers)s::int[])[1 + g %% array_length(%(handlers)s::int[], 1)],
                CASE WHEN g > %(closed)s THEN 'assigned' ELSE 'completed' END,
                r, r + interval '24 hours', r,
                CASE WHEN g > %(closed)s THEN NULL ELSE r + interval '3 hours' END,
                CASE WHEN g > %(closed)s THEN NULL ELSE r + interval '3 hours' END,
                CASE WHEN g > %(closed)s THEN NULL ELSE r + interval '30 hours' END,
                CASE WHEN g > %(closed)s THEN NULL ELSE r + interval '48 hours' END, NULL, NULL, 0, false,
                '', '', '', '', '',
                CASE WHEN g %% 4 = 0 AND g <= %(closed)s THEN 'satisfied' ELSE '' END, 0, '', '', '', '{}'::text[], ''
            FROM generate_series(1, %(total)s) AS g,
                LATERAL (SELECT CASE WHEN g > %(closed)s
                    THEN %(now)s - ((g - %(closed)s) * (interval '48 hours' / %(open)s))
                    ELSE %(now)s - interval '365 days' + (g * (interval '360 days' / %(total)s)) END AS r) AS t
            """,
            {
                "channels": channel_ids,
                "handlers": handler_ids,
                "closed": total - open_count,
                "total": total,
                "open": max(open_count, 1),
                "now": now,
            },
        )
        for statement in ROUNDS_SQL:
            cursor.execute(statement)
        cursor.execute("VACUUM ANALYZE opinions_demand")
        cursor.execute("VACUUM ANALYZE opinions_demandround")
        cursor.execute("VACUUM ANALYZE opinions_demandcallback")


def _timed(call, repeat: int = 1) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


SWEEP_SIZES = [int(size) for size in os.environ.get("BENCH_SWEEP_SIZES", "100000").split(",")]
OUTBOX_FLAGGED = int(os.environ.get("BENCH_OUTBOX_FLAGGED", "30000"))


def bench_sweep() -> list[dict]:
    """The first sweep over a backlog against a bare UPDATE flagging the same rows, each on freshly
    filled data (a rolled-back UPDATE would leave free space on the pages for the next)."""
    from django.db import connection, transaction
    from django.urls import reverse

    from bureau import clock
    from opinions.services.demand_sweep import demands_sweep_deadlines

    # The notices' links load the URLconf on a process's first reverse() (about 0.7 s of imports here,
    # paid once per worker, not per sweep): loaded before the clock starts.
    reverse("opinions:demand-list")
    results = []
    for size in SWEEP_SIZES:
        _fill(size, OPEN)
        now = clock.now()
        flagged_bare = 0

        def raw_update(now=now):
            nonlocal flagged_bare
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE opinions_demand SET overdue_at = %s, escalation_level = 1, was_overdue = true "
                    "WHERE state IN %s AND overdue_at IS NULL AND due_at < %s",  # overdue_q: strictly past
                    [now, _open_states(), now],
                )
                flagged_bare = cursor.rowcount
                transaction.set_rollback(True)

        raw = _timed(raw_update)
        _fill(size, OPEN)
        now = clock.now()
        result = None

        def sweep(now=now):
            nonlocal result
            result = demands_sweep_deadlines(now=now)

        first = _timed(sweep)
        flagged = result.overdue
        presses = sum(result.as_dict().values())
        second = _timed(sweep)
        results += [
            _result(
                f"demands: first sweep at {size:,} demands ({flagged:,} flagged, {presses:,} pressing records)",
                first,
                "s",
                None,
                True,
            ),
            _result(f"demands: bare UPDATE flagging the same rows ({flagged_bare:,})", raw, "s", None, True),
            _result(
                f"demands: first sweep ÷ bare UPDATE at {size:,}",
                first / raw if raw else 0,
                "×",
                1.5,
                first <= 1.5 * raw,
            ),
            _result(
                "demands: second sweep ÷ first (nothing to do)", second / first, "ratio", 0.05, second < first * 0.05
            ),
        ]
    return results


def bench_outbox() -> list[dict]:
    """A sweep that flags OUTBOX_FLAGGED demands, then the outbox drained: how many e-mails, over
    how many SMTP connections, in how long (the test backend; run.py sets locmem)."""
    from django.core.mail.backends import locmem

    from bureau import clock
    from bureau.models import Notification, Person, Role
    from bureau.notifications import notifications_send_pending
    from opinions.services.demand_sweep import demands_sweep_deadlines

    _fill(OUTBOX_FLAGGED * 2, OUTBOX_FLAGGED * 2)  # half of the open ones past their deadline
    Notification.objects.all().delete()
    result = demands_sweep_deadlines(now=clock.now())
    heads = Person.objects.filter(role=Role.OFFICE_HEAD, is_active=True, user__isnull=False).count()
    leaders = Person.objects.filter(role=Role.LEADER, is_active=True, user__isnull=False).count()
    per_demand = result.due_soon + result.overdue + result.supervisor * heads + result.leader * leaders
    queued = Notification.objects.filter(emailed_at__isnull=True).count()
    opened = []
    original_open = locmem.EmailBackend.open

    def counting_open(self):
        opened.append(1)
        return original_open(self)

    locmem.EmailBackend.open = counting_open
    try:
        started = time.perf_counter()
        sent = 0
        while batch := notifications_send_pending(older_than_seconds=0):
            sent += batch
        drain = time.perf_counter() - started
    finally:
        locmem.EmailBackend.open = original_open
    return [
        _result(
            f"outbox: sweep flagging {result.overdue:,} demands, notices queued (one e-mail per demand "
            f"and recipient would be {per_demand:,})",
            queued,
            "e-mails",
            None,
            True,
        ),
        _result("outbox: drained, e-mails sent", sent, "e-mails", queued, sent == queued),
        _result("outbox: SMTP connections opened", len(opened), "connections", None, True),
        _result("outbox: time to drain", drain, "s", 120, drain <= 120),
    ]


def _page_measure(client, url) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return _timed(lambda: client.get(url), repeat=5), len(queries)


def bench_pages_and_figures() -> list[dict]:
    from django.db import connection
    from django.test import Client

    from bureau import clock
    from bureau.models import User
    from opinions.selectors.figures import demand_figures

    supervisor = User.objects.get(username="supervisor")
    staff = User.objects.get(username="wangli")
    results = []
    measured = {}
    start, end = clock.now() - timedelta(days=365), clock.now()
    for size in (SMALL, LARGE):
        _fill(size, min(OPEN, size // 10))
        client = Client()
        client.force_login(supervisor)
        own = Client()
        own.force_login(staff)
        list_time, list_queries = _page_measure(client, "/opinions/demands/")
        filtered_time, _q = _page_measure(client, "/opinions/demands/?overdue=true&kind=complaint")
        home_time, home_queries = _page_measure(own, "/")
        figures_time = _timed(lambda: demand_figures(user=supervisor, start=start, end=end, group_by="kind"), 3)

        def raw_figures():
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT d.kind, count(*), count(*) FILTER (WHERE r.replied_at IS NOT NULL),"
                    " count(*) FILTER (WHERE r.replied_at <= r.due_at),"
                    " count(*) FILTER (WHERE d.completed_at IS NOT NULL),"
                    " count(*) FILTER (WHERE d.state IN %s AND d.due_at < %s),"
                    " count(*) FILTER (WHERE c.result IN ('satisfied','fairly','unsatisfied')),"
                    " count(*) FILTER (WHERE c.result IN ('satisfied','fairly'))"
                    " FROM opinions_demand d"
                    " LEFT JOIN opinions_demandround r ON r.demand_id = d.id AND r.number = 0"
                    " LEFT JOIN opinions_demandcallback c ON c.demand_id = d.id AND c.number = 0"
                    " WHERE d.received_at >= %s AND d.received_at < %s AND d.state <> 'merged'"
                    " GROUP BY d.kind",
                    [_open_states(), end, start, end],
                )
                cursor.fetchall()

        raw_time = _timed(raw_figures, 3)
        measured[size] = (list_time, list_queries, filtered_time, home_time, home_queries, figures_time, raw_time)
    small, large = measured[SMALL], measured[LARGE]
    results += [
        _result(f"demands: list at {LARGE:,}", large[0] * 1000, "ms", None, True),
        _result(
            f"demands: list at {LARGE:,} ÷ at {SMALL:,}", large[0] / small[0], "×", 1.5, large[0] <= 1.5 * small[0]
        ),
        _result("demands: list queries (large − small)", large[1] - small[1], "queries", 0, large[1] == small[1]),
        _result(
            f"demands: overdue complaints filter at {LARGE:,} ÷ at {SMALL:,}",
            large[2] / small[2],
            "×",
            1.5,
            large[2] <= 1.5 * small[2],
        ),
        _result(
            f"demands: my work at {LARGE:,} ÷ at {SMALL:,}", large[3] / small[3], "×", 1.5, large[3] <= 1.5 * small[3]
        ),
        _result("demands: my work queries (large − small)", large[4] - small[4], "queries", 0, large[4] == small[4]),
        _result(f"demands: a year's figures by kind at {LARGE:,}", large[5] * 1000, "ms", None, True),
        _result("demands: figures ÷ raw SQL aggregate", large[5] / large[6], "×", 1.5, large[5] <= 1.5 * large[6]),
    ]
    return results


def run() -> list[dict]:
    from django.db import connection

    from bureau import clock
    from demo import organisation as bureau_demo

    bureau_demo.seed(today=clock.today())  # the office's people and sections
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")  # filling a million rows takes longer than a page may
    parts = os.environ.get("BENCH_DEMANDS_PARTS", "sweep,outbox,pages").split(",")
    return [
        *(bench_sweep() if "sweep" in parts else []),
        *(bench_outbox() if "outbox" in parts else []),
        *(bench_pages_and_figures() if "pages" in parts else []),
    ]


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    import django

    django.setup()
    for row in run():
        print(row)

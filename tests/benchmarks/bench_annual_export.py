"""Annual summary export: the workbook of a year with 100,000 and with 1,000,000 demands.

For each size: the export's time (``export_annual_summary``'s exporter: figures compiled, seven
sheets, every demand listed), its peak memory, and the time of writing the same demand rows with
bare openpyxl write-only (rows fetched the same way, appended as plain lists). Each export runs
in a fresh child process, so its peak resident memory (VmHWM) is its own: it must stay flat as
the year grows ten times.

``run()`` expects Django set up on a benchmark database (tests/benchmarks/run.py does that).
Sizes from the environment: BENCH_ANNUAL_SMALL (100000), BENCH_ANNUAL_LARGE (1000000). Rows are
written with INSERT ... SELECT generate_series (PostgreSQL), spread over last year."""

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SMALL = int(os.environ.get("BENCH_ANNUAL_SMALL", "100000"))
LARGE = int(os.environ.get("BENCH_ANNUAL_LARGE", "1000000"))
# Peak memory at LARGE may exceed SMALL's by at most this much (the rest must not grow with rows).
MEMORY_SLACK_MB = 25
RATIO_TARGET = 3.0


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


def _fill(total: int, year: int) -> None:
    """``total`` demands received evenly through the local ``year``: most completed on time, every
    tenth replied late, every fourth called back satisfied."""
    from django.db import connection

    from bureau import clock
    from demo.load.opinions import ensure_demand_setup

    channel_ids, handler_ids = ensure_demand_setup()
    start, end = clock.year_span(year)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE opinions_demandpress, opinions_demand RESTART IDENTITY CASCADE")
        cursor.execute(
            """
            INSERT INTO opinions_demand (kind, channel_id, section_id, citizen_name, citizen_contact, subject,
                content, about_bureau, level, department_id, handler_id, state, received_at, due_at, assigned_at,
                replied_at, first_replied_at, completed_at, called_back_at, due_soon_at, overdue_at,
                escalation_level, was_overdue, reply_text, internal_notes, review_opinion, measures, resolution,
                satisfaction, redo_count, handback_reason, extension_reason, search_text, search_grams,
                state_before_merge)
            SELECT (ARRAY['complaint','suggestion','consultation','criticism','praise','other'])[1 + g %% 6],
                (%(channels)s::int[])[1 + g %% array_length(%(channels)s::int[], 1)], NULL, '', '',
                '负载诉求 ' || g || ' 关于景区门票和图书馆开放时间的反映', '内容', false, 'III', NULL,
                (%(handlers)s::int[])[1 + g %% array_length(%(handlers)s::int[], 1)],
                'completed', r, r + interval '24 hours', r,
                r + CASE WHEN g %% 10 = 0 THEN interval '30 hours' ELSE interval '3 hours' END,
                r + CASE WHEN g %% 10 = 0 THEN interval '30 hours' ELSE interval '3 hours' END,
                r + interval '40 hours', NULL, NULL, NULL, 0, false, '', '', '', '', '',
                CASE WHEN g %% 4 = 0 THEN 'satisfied' ELSE '' END, 0, '', '', '', '{}'::text[], ''
            FROM generate_series(1, %(total)s) AS g,
                LATERAL (SELECT %(start)s::timestamptz + (g * ((%(end)s::timestamptz - %(start)s::timestamptz)
                    / (%(total)s + 1))) AS r) AS t
            """,
            {"channels": channel_ids, "handlers": handler_ids, "total": total, "start": start, "end": end},
        )
    with connection.cursor() as cursor:
        for statement in ROUNDS_SQL:
            cursor.execute(statement)
        cursor.execute("VACUUM ANALYZE opinions_demand")
        cursor.execute("VACUUM ANALYZE opinions_demandround")
        cursor.execute("VACUUM ANALYZE opinions_demandcallback")


def _naive(value):
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None)


def _peak_mb(resource) -> float:
    """This process's own peak resident memory. VmHWM belongs to the process image; ru_maxrss would
    also count the parent's memory at the fork that started this child."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(mode: str, year: int, path: str) -> dict:
    """Run in a fresh process: one export (``annual``) or the bare openpyxl baseline (``bare``)."""
    import resource

    from django.db import connection, transaction
    from openpyxl import Workbook

    from reports.annual.export import export_annual_summary
    from reports.annual.figures import demand_year_queryset
    from reports.annual.workbook import CHUNK, DEMAND_COLUMNS

    started = time.perf_counter()
    rows = 0
    if mode == "annual":
        result = export_annual_summary(year=year, path=path)
        rows = result.figures["demands"]["total"]["received"]
    else:
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("bare")
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = 0")
            demands = demand_year_queryset(year=year).order_by("received_at", "pk").values_list(*DEMAND_COLUMNS)
            for row in demands.iterator(chunk_size=CHUNK):
                # openpyxl takes no aware datetimes: local time, as the export writes them.
                sheet.append([_naive(value) if isinstance(value, datetime) else value for value in row])
                rows += 1
        workbook.save(path)
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": _peak_mb(resource),
        "rows": rows,
        "bytes": os.path.getsize(path),
    }


def _spawn(mode: str, year: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, f"{mode}.xlsx")
        completed = subprocess.run(
            [sys.executable, __file__, "--child", mode, str(year), path],
            cwd=ROOT,
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "bureau.settings"},
            capture_output=True,
            text=True,
            check=False,
        )
    if completed.returncode != 0:
        raise RuntimeError(f"{mode} export failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def run() -> list[dict]:
    from django.db import connection

    from bureau import clock
    from demo import organisation as bureau_demo

    bureau_demo.seed(today=clock.today())  # the office's people and sections
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")  # filling a million rows takes longer than a page may
    year = clock.today().year - 1
    measured = {}
    for size in (SMALL, LARGE):
        step = time.perf_counter()
        _fill(size, year)
        print(f"  filled {size:,} demands in {time.perf_counter() - step:.1f} s", flush=True)
        measured[size] = {"annual": _spawn("annual", year), "bare": _spawn("bare", year)}
        print(f"  {size:,}: {measured[size]}", flush=True)
        assert measured[size]["annual"]["rows"] == size, measured[size]
    small, large = measured[SMALL], measured[LARGE]
    results = []
    for size, runs in measured.items():
        ratio = runs["annual"]["seconds"] / runs["bare"]["seconds"]
        results += [
            _result(f"annual export, {size:,} demands: time", runs["annual"]["seconds"], "s", float("inf"), True),
            _result(
                f"annual export, {size:,} demands: peak memory", runs["annual"]["peak_mb"], "MB", float("inf"), True
            ),
            _result(f"bare openpyxl, {size:,} demand rows: time", runs["bare"]["seconds"], "s", float("inf"), True),
            _result(
                f"bare openpyxl, {size:,} demand rows: peak memory", runs["bare"]["peak_mb"], "MB", float("inf"), True
            ),
            _result(f"annual export ÷ bare openpyxl, {size:,}", ratio, "×", RATIO_TARGET, ratio <= RATIO_TARGET),
            _result(
                f"annual export, {size:,} demands: file size", runs["annual"]["bytes"] / 2**20, "MB", float("inf"), True
            ),
        ]
    growth = large["annual"]["peak_mb"] - small["annual"]["peak_mb"]
    results.append(
        _result(
            f"annual export peak memory growth, {SMALL:,} → {LARGE:,}",
            growth,
            "MB",
            MEMORY_SLACK_MB,
            growth <= MEMORY_SLACK_MB,
        )
    )
    time_growth = large["annual"]["seconds"] / small["annual"]["seconds"]
    results.append(
        _result(
            f"annual export time growth, {SMALL:,} → {LARGE:,}",
            time_growth,
            "×",
            LARGE / SMALL * 1.2,
            time_growth <= LARGE / SMALL * 1.2,
        )
    )
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    import django

    django.setup()
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        print(json.dumps(_child(sys.argv[2], int(sys.argv[3]), sys.argv[4])))
    else:
        for row in run():
            print(row)

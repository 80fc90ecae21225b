"""Archive benchmarks: appending records one change at a time, and verifying the whole chain.

``run()`` expects Django set up on a benchmark database (tests/benchmarks/run.py does that).
BENCH_ARCHIVE_RECORDS changes the number of records appended (default 10,000)."""

import os
import time

RECORDS = int(os.environ.get("BENCH_ARCHIVE_RECORDS", "10000"))
APPEND_TARGET_PER_SECOND = 1_000  # a busy office writes a few records a second; this leaves room for bursts
APPEND_TARGET_RATIO = 1.3  # at most this much slower than the minimal chained append (issue 15)
VERIFY_TARGET_PER_SECOND = 5_000  # 100,000 records (years of work) checked in under 20 seconds


def _result(name: str, value: float, unit: str, target: float, met: bool) -> dict:
    return {"name": name, "value": value, "unit": unit, "target": target, "met": met}


def _bare_appends(count: int) -> tuple[float, float]:
    """Per second, on a copy of the archive table (same columns, indexes and rows, no trigger): a bare
    INSERT per transaction, and the minimal chained append (one statement takes the lock and the
    previous hash; sha256 in Python; the INSERT). Both write the search columns the record's
    search indexes hold (``search_document`` of the summary, the target and the actor, as
    ``archive_record`` fills them): the same rows in the same indexes. PostgreSQL only."""
    import hashlib
    import json

    from django.db import connection, transaction

    from bureau import clock
    from bureau.search import search_document

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_chain")
        cursor.execute("CREATE TABLE bench_chain (LIKE archive_archiverecord INCLUDING ALL)")
        # As many rows as the archive holds: an index's insert costs more in a larger one (the
        # trigram GIN most), and archive_record appends to the archive as it is.
        cursor.execute("INSERT INTO bench_chain SELECT * FROM archive_archiverecord")
        cursor.execute("VACUUM ANALYZE bench_chain")
    insert = (
        "INSERT INTO bench_chain (created_at, actor_id, actor_name, ip_address, action, target_type, target_id,"
        " target_text, summary, before, after, previous_hash, search_text, search_grams, record_hash)"
        " VALUES (%s, NULL, %s, %s, %s, %s, %s, %s, %s, %s::jsonb, %s::jsonb, %s, %s, %s::text[], %s)"
    )
    rates = []
    for chained in (False, True):
        started = time.perf_counter()
        for index in range(count):
            with transaction.atomic(), connection.cursor() as cursor:
                previous = ""
                if chained:
                    cursor.execute(
                        "SELECT pg_advisory_xact_lock(724301),"
                        " (SELECT record_hash FROM bench_chain ORDER BY id DESC LIMIT 1)"
                    )
                    previous = cursor.fetchone()[1] or ""
                now = clock.now()
                before = json.dumps({"state": "draft", "index": index}, sort_keys=True)
                after = json.dumps({"state": "published", "index": index, "at": now.isoformat()}, sort_keys=True)
                row = [now, "基准测试", "10.0.0.1", "bench.record.appended", "bench.record", str(index)]
                row += [f"基准测试记录 {index}", "基准测试：逐条追加档案记录", before, after, previous]
                content = json.dumps([str(value) for value in row], ensure_ascii=False)
                digest = hashlib.sha256(content.encode("utf-8")).hexdigest() if chained else f"{index}-{now}"
                search_text, search_grams = search_document(row[8], row[7], row[1])
                cursor.execute(insert, [*row, search_text, search_grams, digest])
        rates.append(count / (time.perf_counter() - started))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_chain")
    return rates[0], rates[1]


def run() -> list[dict]:
    from django.db import connection

    from archive import services
    from archive.models import ArchiveRecord
    from bureau import clock

    bare = chained = None
    if connection.vendor == "postgresql":
        bare, chained = _bare_appends(RECORDS)
    existing = ArchiveRecord.objects.count()
    # Each append is its own transaction, as when each change of state records itself.
    started = time.perf_counter()
    for index in range(RECORDS):
        services.archive_record(
            action="bench.record.appended",
            actor_name="基准测试",
            ip_address="10.0.0.1",
            target_type="bench.record",
            target_id=str(index),
            target_text=f"基准测试记录 {index}",
            summary="基准测试：逐条追加档案记录",
            before={"state": "draft", "index": index},
            after={"state": "published", "index": index, "at": clock.now()},
        )
    append_seconds = time.perf_counter() - started
    append_rate = round(RECORDS / append_seconds, 1)
    results = [
        _result(
            f"archive_record: append {RECORDS:,} records, one transaction each",
            append_rate,
            "records/s",
            APPEND_TARGET_PER_SECOND,
            append_rate >= APPEND_TARGET_PER_SECOND,
        ),
        _result("archive_record: mean time per append", round(append_seconds / RECORDS * 1000, 2), "ms", 1.0, True),
    ]
    results[-1]["met"] = results[-1]["value"] <= results[-1]["target"]
    if bare is not None and chained is not None:
        ratio = round(chained / append_rate, 2)
        results += [
            _result("archive: bare INSERT, one transaction each", round(bare, 1), "records/s", 0, True),
            _result(
                "archive: minimal chained append (lock + head in one statement)",
                round(chained, 1),
                "records/s",
                0,
                True,
            ),
            _result(
                "archive_record ÷ minimal chained append (time)",
                ratio,
                "×",
                APPEND_TARGET_RATIO,
                ratio <= APPEND_TARGET_RATIO,
            ),
        ]

    verify = getattr(services, "archive_verify", None)
    if verify is None:
        print("  archive.services.archive_verify does not exist yet: verification not measured")
        return results
    total = existing + RECORDS
    started = time.perf_counter()
    outcome = verify()
    verify_seconds = time.perf_counter() - started
    checked = getattr(outcome, "checked", total)
    intact = bool(getattr(outcome, "ok", True)) and checked == total
    verify_rate = round(checked / verify_seconds, 1)
    results += [
        _result(
            f"archive_verify: whole chain of {checked:,} records",
            verify_rate,
            "records/s",
            VERIFY_TARGET_PER_SECOND,
            verify_rate >= VERIFY_TARGET_PER_SECOND,
        ),
        _result("archive_verify: the chain is intact", int(intact), "yes=1", 1, intact),
    ]
    return results


if __name__ == "__main__":
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    import django

    django.setup()
    for row in run():
        print(f"{row['name']:<60} {row['value']:>12} {row['unit']:<10} target {row['target']}  met={row['met']}")

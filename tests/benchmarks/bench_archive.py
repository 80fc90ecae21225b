"""Archive benchmarks: appending records one change at a time, and verifying the whole chain.

``run()`` expects Django set up on a benchmark database (tests/benchmarks/run.py does that).
BENCH_ARCHIVE_RECORDS changes the number of records appended (default 10,000)."""

import os
import time

RECORDS = int(os.environ.get("BENCH_ARCHIVE_RECORDS", "10000"))
APPEND_TARGET_PER_SECOND = 500  # a busy office writes a few records a second; this leaves room for bursts
VERIFY_TARGET_PER_SECOND = 5_000  # 100,000 records (years of work) checked in under 20 seconds


def _result(name: str, value: float, unit: str, target: float, met: bool) -> dict:
    return {"name": name, "value": value, "unit": unit, "target": target, "met": met}


def run() -> list[dict]:
    from archive import services
    from archive.models import ArchiveRecord
    from bureau import clock

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
        _result("archive_record: mean time per append", round(append_seconds / RECORDS * 1000, 2), "ms", 2.0, True),
    ]
    results[-1]["met"] = results[-1]["value"] <= results[-1]["target"]

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

"""Duty benchmarks: roster generation for 30 people over a year, and the gap sweep over a year of
shifts (its query count must not depend on the number of shifts). ``run()`` expects Django set
up on a benchmark database (tests/benchmarks/run.py does that)."""

import statistics
import time
from datetime import timedelta


def _result(name: str, value: float, unit: str, target: float, *, met: bool | None = None) -> dict:
    return {
        "name": name,
        "value": value,
        "unit": unit,
        "target": target,
        "met": value <= target if met is None else met,
    }


def _roster_generation() -> list[dict]:
    from assignments.services import roster_plan
    from bureau import clock
    from demo.load.assignments import load_people, shift_types

    people, types = load_people(30), shift_types()
    start = clock.today() + timedelta(days=800)  # far from any load data: every place is open
    end = start + timedelta(days=364)
    timings, plan = [], None
    for _ in range(3):
        began = time.perf_counter()
        plan = roster_plan(start=start, end=end, shift_types=types, people=people)
        timings.append(time.perf_counter() - began)
    totals = [tally.total for tally in plan.tallies]
    nights = [tally.nights for tally in plan.tallies]
    return [
        _result("roster generation, 30 people × 365 days × 2 shifts", round(statistics.median(timings), 2), "s", 5),
        _result("roster fairness: spread of shift counts", max(totals) - min(totals), "shifts", 1),
        _result("roster fairness: spread of night counts", max(nights) - min(nights), "nights", 1),
    ]


def _gap_sweep() -> list[dict]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from assignments.models import Shift, ShiftAssignment
    from assignments.services import duty_flag_gaps, roster_plan, shift_times
    from bureau import clock
    from demo.load.assignments import load_people, shift_types

    people, types = load_people(30), shift_types()
    today = clock.today()
    start = today - timedelta(days=365)

    def build(first, last) -> None:
        plan = roster_plan(start=first, end=last, shift_types=types, people=people)
        Shift.objects.bulk_create(
            [
                Shift(
                    shift_type=slot.shift_type,
                    on=slot.on,
                    starts_at=(times := shift_times(shift_type=slot.shift_type, on=slot.on))[0],
                    ends_at=times[1],
                    sign_in_due_at=times[2],
                    people_needed=slot.shift_type.people_needed,
                )
                for slot in plan.slots
            ],
            ignore_conflicts=True,
        )
        shifts = {(s.on, s.shift_type_id): s for s in Shift.objects.filter(on__gte=first, on__lte=last)}
        ShiftAssignment.objects.bulk_create(
            [
                ShiftAssignment(shift=shifts[(slot.on, slot.shift_type.pk)], person=person)
                for slot in plan.slots
                for person in slot.added
            ],
            ignore_conflicts=True,
        )

    def sweep_unflagged():
        ShiftAssignment.objects.update(late_flagged_at=None, missed_flagged_at=None, signed_in_at=None)
        Shift.objects.update(understaffed_at=None)
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            began = time.perf_counter()
            report = duty_flag_gaps()
            elapsed = time.perf_counter() - began
        return report, len(queries), elapsed

    ShiftAssignment.objects.all().delete()
    Shift.objects.all().delete()
    build(today - timedelta(days=6), today)
    small_report, small_queries, _ = sweep_unflagged()
    build(start, today)
    large_report, large_queries, seconds = sweep_unflagged()
    return [
        _result("gap sweep: gaps flagged on one week", small_report.total, "gaps", float("inf")),
        _result("gap sweep: queries for one week of shifts", small_queries, "queries", 20),
        _result("gap sweep: gaps flagged on a year", large_report.total, "gaps", float("inf")),
        _result(
            "gap sweep: queries for a year of shifts (equal to one week)",
            large_queries,
            "queries",
            small_queries,
            met=large_queries == small_queries,
        ),
        _result("gap sweep over a year of shifts", round(seconds, 2), "s", 2),
    ]


def _pages() -> list[dict]:
    from django.test import Client
    from django.urls import reverse

    from bureau.models import User

    supervisor = User.objects.filter(username="supervisor").first()
    if supervisor is None:
        return []
    client = Client()
    client.force_login(supervisor)

    def median_ms(url):
        client.get(url)
        timings = []
        for _ in range(5):
            began = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - began) * 1000)
        return round(statistics.median(timings), 1)

    return [
        _result("month roster page", median_ms(reverse("assignments:month")), "ms", 300),
        _result("task list page", median_ms(reverse("assignments:task-list")), "ms", 300),
        _result("duty figures page (12 months)", median_ms(reverse("assignments:figures")), "ms", 500),
    ]


def run() -> list[dict]:
    from bureau import clock
    from demo import assignments as assignments_demo
    from demo import organisation as bureau_demo
    from demo.load import assignments as load

    bureau_demo.seed(today=clock.today())
    results = _roster_generation() + _gap_sweep()
    assignments_demo.seed(today=clock.today())
    load.generate(options={"assignments_people": 30, "assignments_days": 365, "assignments_tasks": 5000}, stdout=None)
    return results + _pages()


if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    import django

    django.setup()
    for row in run():
        print(row)

"""Load for benchmarks: a team of duty people, years of shifts with sign-ins, tasks handed down.

Rows are bulk-created. People get "load-duty-" usernames (no usable password) in a department of
their own; tasks have a "[load]" reference prefix. Shifts use the demo's day and night types."""

import random
from datetime import datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from assignments.models import CountyTask, Shift, ShiftAssignment, ShiftType
from assignments.services.roster import roster_plan
from assignments.services.shifts import shift_times
from bureau import clock
from bureau.models import Department, Person, User
from bureau.search import search_fill

PREFIX = "[load] "
USER_PREFIX = "load-duty-"


def add_arguments(parser) -> None:
    group = parser.add_argument_group("assignments")
    group.add_argument("--assignments-people", type=int, default=30, help="people on the load roster")
    group.add_argument("--assignments-days", type=int, default=365, help="days of shifts up to today")
    group.add_argument("--assignments-tasks", type=int, default=2_000, help="tasks handed down to add")


def load_people(count: int) -> list[Person]:
    """``count`` load people, created once and reused."""
    department, _ = Department.objects.get_or_create(name="值班负荷测试组", defaults={"sort_order": 99})
    existing = {
        p.user.username: p for p in Person.objects.select_related("user").filter(user__username__startswith=USER_PREFIX)
    }
    missing = [f"{USER_PREFIX}{n:04d}" for n in range(count) if f"{USER_PREFIX}{n:04d}" not in existing]
    if missing:
        users = User.objects.bulk_create([User(username=name, password=make_password(None)) for name in missing])
        Person.objects.bulk_create(
            [
                Person(
                    user=user,
                    name=f"值班员{user.username[-4:]}",
                    department=department,
                    phone=f"1380000{user.username[-4:]}",
                )
                for user in users
            ]
        )
    return list(
        Person.objects.filter(user__username__in=[f"{USER_PREFIX}{n:04d}" for n in range(count)]).order_by(
            "user__username"
        )
    )


def shift_types() -> list[ShiftType]:
    day, _ = ShiftType.objects.get_or_create(
        name="白班", defaults={"starts": time(8, 30), "ends": time(17, 30), "sort_order": 1}
    )
    night, _ = ShiftType.objects.get_or_create(
        name="夜班", defaults={"starts": time(17, 30), "ends": time(8, 30), "is_night": True, "sort_order": 2}
    )
    return [day, night]


@transaction.atomic
def generate(*, options, stdout) -> dict:
    rng = random.Random(5)
    today = clock.today()
    now = clock.now()
    people = load_people(options.get("assignments_people", 30))
    types = shift_types()
    days = options.get("assignments_days", 365)
    start = today - timedelta(days=days)
    created_assignments = 0
    # The roster generator plans at most ~400 days at a time.
    chunk_start = start
    while chunk_start <= today:
        chunk_end = min(chunk_start + timedelta(days=364), today)
        plan = roster_plan(start=chunk_start, end=chunk_end, shift_types=types, people=people)
        shifts = []
        for slot in plan.slots:
            starts_at, ends_at, due_at = shift_times(shift_type=slot.shift_type, on=slot.on)
            shifts.append(
                Shift(
                    shift_type=slot.shift_type,
                    on=slot.on,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    sign_in_due_at=due_at,
                    people_needed=slot.shift_type.people_needed,
                )
            )
        Shift.objects.bulk_create(shifts, ignore_conflicts=True)
        by_key = {(s.on, s.shift_type_id): s for s in Shift.objects.filter(on__gte=chunk_start, on__lte=chunk_end)}
        rows = []
        for slot in plan.slots:
            shift = by_key[(slot.on, slot.shift_type.pk)]
            for person in slot.added:
                roll = rng.random()
                signed = None
                if shift.ends_at <= now and roll > 0.05:
                    signed = shift.starts_at + timedelta(minutes=rng.randint(-20, 40 if roll < 0.15 else 10))
                rows.append(
                    ShiftAssignment(
                        shift=shift, person=person, signed_in_at=signed, sign_in_ip="10.0.0.1" if signed else None
                    )
                )
        created_assignments += len(ShiftAssignment.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000))
        chunk_start = chunk_end + timedelta(days=1)

    tasks = []
    for index in range(options.get("assignments_tasks", 2_000)):
        received = timezone.make_aware(datetime.combine(start + timedelta(days=rng.randrange(days + 1)), time(9)))
        due = received + timedelta(hours=rng.choice([24, 48, 72, 120]))
        done = due < now and rng.random() < 0.9
        tasks.append(
            CountyTask(
                kind=rng.choice(CountyTask.Kind.values),
                reference=f"{PREFIX}{index:06d}-{rng.randrange(10**6)}",
                title=f"{PREFIX}舆情交办 {index}",
                issued_by="县委宣传部",
                received_at=received,
                content="请核查处置并反馈。",
                due_at=due,
                handler=rng.choice(people),
                state=CountyTask.State.CLOSED if done else CountyTask.State.IN_PROGRESS,
                feedback="已处置" if done else "",
                feedback_approved_at=due - timedelta(hours=rng.randint(-12, 20)) if done else None,
                closed_at=due if done else None,
            )
        )
    CountyTask.objects.bulk_create([search_fill(t) for t in tasks], ignore_conflicts=True, batch_size=2000)
    counts = {"duty people": len(people), "shift assignments": created_assignments, "tasks handed down": len(tasks)}
    if stdout is not None:
        stdout.write(f"assignments: {counts}")
    return counts

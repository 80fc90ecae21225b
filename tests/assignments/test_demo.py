"""The demo office's duty, tasks and reports: realistic, and the same after a second run."""

from django.core.management import call_command
from django.db import models

from assignments.models import (
    CountyTask,
    HandoverNote,
    IncidentFollowUp,
    IncidentReport,
    Leave,
    ResponsePlan,
    Shift,
    ShiftAssignment,
    ShiftType,
    TaskAttachment,
    TaskNote,
)
from assignments.selectors import duty_figures
from bureau import clock

TABLES = [
    ShiftType,
    Shift,
    ShiftAssignment,
    HandoverNote,
    Leave,
    CountyTask,
    TaskNote,
    TaskAttachment,
    ResponsePlan,
    IncidentReport,
    IncidentFollowUp,
]


def snapshot():
    data = {}
    for model in TABLES:
        fields = [f.name for f in model._meta.concrete_fields if f.name not in ("id", "file")]
        data[model.__name__] = sorted(map(repr, model.objects.values_list(*fields)))
    return data


def test_seed_demo_twice_gives_the_same_duty_and_tasks(db):
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


def test_demo_has_a_year_of_duty_with_gaps_and_overdue_tasks(db):
    call_command("seed_demo", verbosity=0)
    today = clock.today()
    assert Shift.objects.filter(on__lte=today).count() >= 2 * 365
    figures = duty_figures(start=clock.year_span(today.year - 1)[0], end=clock.now())
    assert figures.on_time > figures.late > 0
    assert figures.missed > 0
    assert Shift.objects.filter(on__gt=today).annotate(n=models.Count("assignments")).filter(n=0).exists()
    assert CountyTask.objects.filter(overdue_at__isnull=False, state=CountyTask.State.IN_PROGRESS).exists()
    assert CountyTask.objects.filter(state=CountyTask.State.FEEDBACK_SUBMITTED).exists()
    assert IncidentReport.objects.filter(level=IncidentReport.Level.MAJOR).exists()
    assert HandoverNote.objects.exists()

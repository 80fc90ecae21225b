"""Every way a shift assignment or a county task is made keeps the department it counts for at
the time (``department``), so moving the person later does not move last year's figures; the
backfill migration gives existing rows the person's department."""

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps as django_apps

from assignments.models import CountyTask, ShiftAssignment
from assignments.services.county_tasks import county_task_reassign, county_task_register
from assignments.services.roster import roster_plan, roster_save
from assignments.services.swaps_leave import assignments_swap, shift_assign
from bureau import clock
from tests.assignments.factories import (
    CountyTaskFactory,
    ShiftAssignmentFactory,
    ShiftFactory,
    ShiftTypeFactory,
    people,
)
from tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_shift_assign_keeps_the_department_of_the_day(travel, cast):
    office, press = DepartmentFactory(name="办公室"), DepartmentFactory(name="宣传科")
    person = PersonFactory(department=office, user__password=None)
    assignment = shift_assign(shift=ShiftFactory(on=date(2026, 3, 5)), person=person, actor=cast["supervisor"].user)
    person.department = press
    person.save(update_fields=["department"])
    assignment.refresh_from_db()
    assert assignment.department == office


def test_roster_save_keeps_each_person_s_department(travel, cast):
    team = people(2)
    plan = roster_plan(start=date(2026, 3, 5), end=date(2026, 3, 6), shift_types=[ShiftTypeFactory()], people=team)
    assert roster_save(data=plan.as_data(), actor=cast["supervisor"].user) == 2  # one day shift each day
    for assignment in ShiftAssignment.objects.select_related("person"):
        assert assignment.department_id == assignment.person.department_id


def test_a_swap_swaps_the_departments_too(travel, cast):
    first = ShiftAssignmentFactory(shift=ShiftFactory(on=date(2026, 3, 5)))
    second = ShiftAssignmentFactory(shift=ShiftFactory(on=date(2026, 3, 6)))
    a, b = first.person, second.person
    assignments_swap(first=first, second=second, actor=cast["supervisor"].user)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.department, second.department) == (b.department, a.department)


def test_county_tasks_keep_the_handler_s_department(travel, cast):
    office, press = DepartmentFactory(name="办公室"), DepartmentFactory(name="宣传科")
    handler = PersonFactory(department=office, user__password=None)
    task = county_task_register(
        actor=cast["supervisor"].user,
        kind=CountyTask.Kind.ASSIGNMENT,
        reference="县网宣交〔2026〕99号",
        title="关于网民反映问题的舆情交办单",
        issued_by="县委宣传部",
        received_at=clock.now(),
        content="请核查处置并于期限内反馈。",
        due_at=clock.now() + timedelta(days=2),
        handler=handler,
    )
    assert task.department == office
    other = PersonFactory(department=press, user__password=None)
    county_task_reassign(task=task, handler=other, actor=cast["supervisor"].user)
    task.refresh_from_db()
    assert task.department == press  # handed to someone else: it counts for their department now


def test_backfill_gives_existing_rows_the_person_s_department(travel):
    """The data migration's function, run on rows written without a department (as before it)."""
    backfill = importlib.import_module("assignments.migrations.0007_department_at_the_time_backfill").backfill
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(on=date(2025, 1, 1)), department=None)
    task = CountyTaskFactory(department=None)
    kept = ShiftAssignmentFactory(shift=ShiftFactory(on=date(2025, 1, 2)), department=DepartmentFactory(name="档案室"))
    backfill(django_apps, None)
    for row in (assignment, task, kept):
        row.refresh_from_db()
    assert assignment.department == assignment.person.department
    assert task.department == task.handler.department
    assert kept.department.name == "档案室"  # a department already kept is left as it is

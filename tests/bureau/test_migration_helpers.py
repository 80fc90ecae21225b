"""The data-migration helpers: a task that moves module takes its beat job along, and back."""

import importlib

import pytest
from django.apps import apps
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from bureau.migration_helpers import rename_job_tasks_operation

pytestmark = pytest.mark.django_db


def test_a_moved_task_takes_its_beat_job_along_and_back():
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.MINUTES)
    job = PeriodicTask.objects.create(name="测试任务", task="old.tasks.sweep_task", interval=every_minute)
    other = PeriodicTask.objects.create(name="别的任务", task="old.tasks.other_task", interval=every_minute)
    operation = rename_job_tasks_operation({"old.tasks.sweep_task": "new.tasks.sweep_task"})
    operation.code(apps, None)
    job.refresh_from_db()
    assert job.task == "new.tasks.sweep_task"
    operation.reverse_code(apps, None)
    job.refresh_from_db()
    other.refresh_from_db()
    assert (job.task, other.task) == ("old.tasks.sweep_task", "old.tasks.other_task")


@pytest.mark.parametrize(
    "module", ["assignments.migrations.0005_patrol_warning_job_moved", "reports.migrations.0001_annual_jobs_moved"]
)
def test_both_task_moves_are_the_one_helper(module):
    migration = importlib.import_module(module)
    (operation,) = migration.Migration.operations
    assert operation.code.args == (migration.RENAMES,)
    assert operation.reverse_code.args == (migration.RENAMES,)

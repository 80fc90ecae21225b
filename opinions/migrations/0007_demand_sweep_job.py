"""Seed the demand deadline sweep (django-celery-beat rows, matched by name).

Reversing removes them and the interval schedules no other job uses."""

from django.db import migrations

from bureau.migration_helpers import schedule_interval_jobs, unschedule_interval_jobs

PERIODIC_JOBS = {
    "Warn, flag and escalate demand deadlines": (
        "opinions.tasks.demands_sweep_deadlines_task",
        1,
        "minutes",
        "Every minute: warn handlers before a reply is due, flag overdue demands, tell the office head "
        "and then the leader in charge; each step recorded as a pressing record.",
    ),
}
EXPIRE_SECONDS = 60


def create_jobs(apps, schema_editor):
    schedule_interval_jobs(apps, PERIODIC_JOBS, expire_seconds=EXPIRE_SECONDS)


def remove_jobs(apps, schema_editor):
    unschedule_interval_jobs(apps, PERIODIC_JOBS)


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0006_demand_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_jobs, remove_jobs)]

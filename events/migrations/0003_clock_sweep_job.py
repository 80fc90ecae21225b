"""Seed the event response-clock sweep (a django-celery-beat row, matched by name).

Reversing removes it and the interval schedules no other job uses."""

from django.db import migrations

from bureau.migration_helpers import schedule_interval_jobs, unschedule_interval_jobs

PERIODIC_JOBS = {
    "Escalate overdue event response clocks": (
        "events.tasks.event_clocks_sweep_task",
        1,
        "minutes",
        "Every minute: an event's response clock past its deadline and not met is escalated once "
        "to the office heads and the leader in charge, recorded in the archive.",
    ),
}
EXPIRE_SECONDS = 60


def create_jobs(apps, schema_editor):
    schedule_interval_jobs(apps, PERIODIC_JOBS, expire_seconds=EXPIRE_SECONDS)


def remove_jobs(apps, schema_editor):
    unschedule_interval_jobs(apps, PERIODIC_JOBS)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0002_roles_and_limits"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_jobs, remove_jobs)]

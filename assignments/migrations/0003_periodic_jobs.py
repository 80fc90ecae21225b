"""Seed the assignments app's periodic jobs (django-celery-beat rows, matched by name).

Reversing removes the jobs and the interval schedules no other job uses."""

from django.db import migrations

from bureau.migration_helpers import schedule_interval_jobs, unschedule_interval_jobs

# name → (task, every, period, description)
PERIODIC_JOBS = {
    "Flag duty gaps": (
        "assignments.tasks.duty_flag_gaps_task",
        5,
        "minutes",
        "Flags late and missed sign-ins and understaffed shifts once each and tells the supervisors.",
    ),
    "Flag overdue tasks handed down": (
        "assignments.tasks.county_tasks_flag_overdue_task",
        5,
        "minutes",
        "Flags tasks from the county whose feedback is past its deadline and tells the handler and supervisors.",
    ),
}

# A sweep that waited longer than its interval is superseded by the next one.
EXPIRE_SECONDS = 300


def create_jobs(apps, schema_editor):
    schedule_interval_jobs(apps, PERIODIC_JOBS, expire_seconds=EXPIRE_SECONDS)


def remove_jobs(apps, schema_editor):
    unschedule_interval_jobs(apps, PERIODIC_JOBS)


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0002_role_permissions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_jobs, remove_jobs)]

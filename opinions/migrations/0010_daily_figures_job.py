"""Seed the daily figures refresh (a django-celery-beat row, matched by name).

Reversing removes it and the interval schedule no other job uses."""

from django.db import migrations

from bureau.migration_helpers import schedule_interval_jobs, unschedule_interval_jobs

PERIODIC_JOBS = {
    "Refresh the dashboard's daily figures": (
        "opinions.tasks.daily_figures_refresh_task",
        5,
        "minutes",
        "Every five minutes: recompute the daily demand and post figures of the days touched since the last "
        "run (read from the archive), today and yesterday, and count the demands overdue now.",
    ),
}
EXPIRE_SECONDS = 300


def create_jobs(apps, schema_editor):
    schedule_interval_jobs(apps, PERIODIC_JOBS, expire_seconds=EXPIRE_SECONDS)


def remove_jobs(apps, schema_editor):
    unschedule_interval_jobs(apps, PERIODIC_JOBS)


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0009_daily_figures"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_jobs, remove_jobs)]

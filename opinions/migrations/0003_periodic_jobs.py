"""Seed the opinions app's periodic jobs (django-celery-beat rows, matched by name).

Reversing removes them and the interval schedules no other job uses."""

from django.db import migrations

from bureau.migration_helpers import schedule_interval_jobs, unschedule_interval_jobs

PERIODIC_JOBS = {
    "Poll the channels' feeds that are due": (
        "opinions.tasks.channels_dispatch_due_task",
        1,
        "minutes",
        "Every minute: queue one fetch task for each feed channel whose poll interval has passed.",
    ),
    "Warn about sections not reviewed in time": (
        "opinions.tasks.patrols_warn_overdue_task",
        1,
        "minutes",
        "Every minute: warn the person on duty when a section's new posts went unreviewed past its limit.",
    ),
}
EXPIRE_SECONDS = 60


def create_jobs(apps, schema_editor):
    schedule_interval_jobs(apps, PERIODIC_JOBS, expire_seconds=EXPIRE_SECONDS)


def remove_jobs(apps, schema_editor):
    unschedule_interval_jobs(apps, PERIODIC_JOBS)


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0002_roles"),
        ("bureau", "0003_periodic_jobs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_jobs, remove_jobs)]

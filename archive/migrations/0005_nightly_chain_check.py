"""Seed the nightly archive chain check (django-celery-beat), at 02:40 office time.

Matched by name, so an administrator's changes to an existing row are updated, not duplicated.
Reversing removes the job and its schedule if no other job uses it."""

from django.db import migrations

from bureau.migration_helpers import schedule_crontab_jobs, unschedule_crontab_jobs

# name → (task, crontab, description)
JOBS = {
    "Check the archive chain": (
        "archive.tasks.archive_check_run_task",
        {"minute": "40", "hour": "2"},
        "Walks the archive's hash chain every night and stores the result; administrators are told of a break.",
    ),
}

# A check that waited in the queue for hours is superseded by the next night's.
EXPIRE_SECONDS = 6 * 60 * 60


def create_jobs(apps, schema_editor):
    schedule_crontab_jobs(apps, JOBS, expire_seconds=EXPIRE_SECONDS)


def remove_jobs(apps, schema_editor):
    unschedule_crontab_jobs(apps, JOBS)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0004_archive_check"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_jobs, remove_jobs)]

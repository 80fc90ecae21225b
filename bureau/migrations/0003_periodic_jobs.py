"""Seed the periodic jobs that django-celery-beat's DatabaseScheduler runs.

Rows are matched by name, so running this on a database where an administrator already created
the job updates it instead of duplicating it. Reversing removes the jobs (and the interval
schedules no other job uses). Later apps add their own jobs in their own migrations."""

from django.db import migrations

from bureau.migration_helpers import schedule_interval_jobs, unschedule_interval_jobs

# name → (task, every, period, description)
PERIODIC_JOBS = {
    "Send pending notification e-mails": (
        "bureau.tasks.notifications_send_pending_task",
        1,
        "minutes",
        "The outbox sweep: e-mails notifications the broker could not take when they were created.",
    ),
}

# A sweep that waited in the queue longer than its own interval is superseded by the next one:
# when the worker comes back after an outage it runs one sweep, not one per missed minute.
EXPIRE_SECONDS = 60


def create_jobs(apps, schema_editor):
    schedule_interval_jobs(apps, PERIODIC_JOBS, expire_seconds=EXPIRE_SECONDS)


def remove_jobs(apps, schema_editor):
    unschedule_interval_jobs(apps, PERIODIC_JOBS)


class Migration(migrations.Migration):
    dependencies = [
        ("bureau", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_jobs, remove_jobs)]

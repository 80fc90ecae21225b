"""Seed the job that notes changes to finished years: every ten minutes, the archive records
written since it last looked are read once, and a final summary whose year one of them touches is
marked as changed since its revision (the nightly compile then makes the next revision). Matched by
name; reversing removes it and the interval schedule no other job uses."""

from django.db import migrations

from bureau.migration_helpers import schedule_interval_jobs, unschedule_interval_jobs

PERIODIC_JOBS = {
    "Note changes to finished years' summaries": (
        "reports.tasks.annual_summaries_note_changes_task",
        10,
        "minutes",
        "Every ten minutes: mark a final annual summary as changed when a change recorded after its "
        "latest revision touches its year (a late reply, an edited case, an import, a correction).",
    ),
}
EXPIRE_SECONDS = 600


def create_jobs(apps, schema_editor):
    schedule_interval_jobs(apps, PERIODIC_JOBS, expire_seconds=EXPIRE_SECONDS)


def remove_jobs(apps, schema_editor):
    unschedule_interval_jobs(apps, PERIODIC_JOBS)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_annual_revisions_backfill"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_jobs, remove_jobs)]

"""Who may read, draft and sign briefings, who keeps the distribution list (administrators, in the
admin), and the beat jobs: the morning drafts at 08:00 office time (yesterday's daily briefing;
on Mondays last week's weekly one) and the robots' outbox every minute. Jobs are matched by name;
reversing removes them and takes the permissions back."""

from django.db import migrations

from bureau.migration_helpers import (
    grant_permissions,
    revoke_permissions,
    schedule_crontab_jobs,
    schedule_interval_jobs,
    unschedule_crontab_jobs,
    unschedule_interval_jobs,
)

ROLE_PERMISSIONS = {
    "leaders": ["reports.view_briefings", "reports.edit_briefings", "reports.sign_briefings"],
    "supervisors": ["reports.view_briefings", "reports.edit_briefings"],
    "staff": ["reports.view_briefings", "reports.edit_briefings"],
    "administrators": [
        *(f"reports.{verb}_briefingrecipient" for verb in ("add", "change", "view", "delete")),
        "reports.view_briefingdelivery",
    ],
}
CRONTAB_JOBS = {
    "Draft the morning briefings": (
        "reports.tasks.briefings_draft_scheduled_task",
        {"minute": "0", "hour": "8"},
        "At 08:00: yesterday's daily briefing and, on Mondays, last week's weekly one, drafted for the office head.",
    ),
}
INTERVAL_JOBS = {
    "Send briefing robot messages": (
        "reports.tasks.briefing_deliveries_send_task",
        1,
        "minutes",
        "Every minute: the signed briefings' messages to chat robots not yet taken by the robot's service.",
    ),
}


def forwards(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)
    schedule_crontab_jobs(apps, CRONTAB_JOBS, expire_seconds=6 * 60 * 60)
    schedule_interval_jobs(apps, INTERVAL_JOBS, expire_seconds=60)


def backwards(apps, schema_editor):
    unschedule_interval_jobs(apps, INTERVAL_JOBS)
    unschedule_crontab_jobs(apps, CRONTAB_JOBS)
    revoke_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0008_signed_briefing_guard"),
        ("bureau", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

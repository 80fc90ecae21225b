"""Give the role groups the alerts permission, and seed the alerts' periodic jobs (django-celery-beat
rows, matched by name). Reversing takes the permission away and removes the jobs."""

from django.db import migrations

from bureau.migration_helpers import (
    grant_permissions,
    revoke_permissions,
    schedule_interval_jobs,
    unschedule_interval_jobs,
)

ROLE_PERMISSIONS = {
    "leaders": ["alerts.view_alerts"],
    "supervisors": ["alerts.view_alerts"],
    "staff": ["alerts.view_alerts"],
    "administrators": [
        f"alerts.{verb}_{model}" for model in ("alertrule", "chatrobot") for verb in ("add", "change", "view", "delete")
    ]
    + ["alerts.view_alert", "alerts.view_alerts"],
}

# name → (task, every, period, description)
PERIODIC_JOBS = {
    "Evaluate new posts for alerts": (
        "alerts.tasks.alerts_evaluate_posts_task",
        1,
        "minutes",
        "Catches up on posts the intake hook did not evaluate at once (keyword schemes, watched sections).",
    ),
    "Evaluate alert sweeps": (
        "alerts.tasks.alerts_evaluate_sweeps_task",
        1,
        "minutes",
        "Raises alerts for prohibited content not handled within its rule's minutes.",
    ),
    "Escalate unacknowledged alerts": (
        "alerts.tasks.alerts_escalate_task",
        1,
        "minutes",
        "Alerts not acknowledged in time go to the office head, then the leader in charge.",
    ),
    "Send alert messages": (
        "alerts.tasks.alert_deliveries_send_task",
        1,
        "minutes",
        "The alerts outbox: e-mail, SMS and chat robot messages not yet sent, with retries.",
    ),
}

# A run that waited longer than its interval is superseded by the next one.
EXPIRE_SECONDS = 60


def forwards(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)
    schedule_interval_jobs(apps, PERIODIC_JOBS, expire_seconds=EXPIRE_SECONDS)


def backwards(apps, schema_editor):
    unschedule_interval_jobs(apps, PERIODIC_JOBS)
    revoke_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("alerts", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

"""Seed the periodic jobs that django-celery-beat's DatabaseScheduler runs.

Rows are matched by name, so running this on a database where an administrator already created
the job updates it instead of duplicating it. Reversing removes the jobs (and the interval
schedules no other job uses). Later apps add their own jobs in their own migrations."""

from django.db import migrations
from django.db.models.functions import Now

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


def _touch_schedule(apps) -> None:
    """Tell a running beat that the schedule changed (the model's signals do not fire here)."""
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": Now()})


def create_jobs(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, every, period, description) in PERIODIC_JOBS.items():
        interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
        PeriodicTask.objects.update_or_create(
            name=name,
            defaults={
                "task": task,
                "interval": interval,
                "crontab": None,
                "solar": None,
                "clocked": None,
                "args": "[]",
                "kwargs": "{}",
                "enabled": True,
                "one_off": False,
                "expire_seconds": EXPIRE_SECONDS,
                "description": description,
            },
        )
    _touch_schedule(apps)


def remove_jobs(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=list(PERIODIC_JOBS)).delete()
    for _task, every, period, _description in PERIODIC_JOBS.values():
        IntervalSchedule.objects.filter(every=every, period=period, periodictask__isnull=True).delete()
    _touch_schedule(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("bureau", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_jobs, remove_jobs)]

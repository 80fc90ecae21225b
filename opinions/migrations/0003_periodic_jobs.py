"""Seed the opinions app's periodic jobs (django-celery-beat rows, matched by name).

Reversing removes them and the interval schedules no other job uses."""

from django.db import migrations
from django.db.models.functions import Now

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


def _touch_schedule(apps) -> None:
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
        ("opinions", "0002_roles"),
        ("bureau", "0003_periodic_jobs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_jobs, remove_jobs)]

"""Seed the assignments app's periodic jobs (django-celery-beat rows, matched by name).

Reversing removes the jobs and the interval schedules no other job uses."""

from django.db import migrations
from django.db.models.functions import Now

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
        ("assignments", "0002_role_permissions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_jobs, remove_jobs)]

"""Seed the daily behind-pace check of the publicity quotas.

It runs every morning but warns at most once per quota and month (a ``QuotaWarning`` row is unique
per month), so a day the beat was down does not lose the month's warning. Matched by name, so an
administrator's changes to an existing row are kept apart from the task path. Reversing removes the
job and its schedule if nothing else uses it."""

from django.db import migrations
from django.db.models.functions import Now

NAME = "Warn when publicity is behind its quota"
TASK = "publicity.tasks.quotas_warn_behind_pace_task"
CRONTAB = {"minute": "30", "hour": "8", "day_of_week": "*", "day_of_month": "*", "month_of_year": "*"}
DESCRIPTION = "Tells the office head, once a month, which yearly publicity quotas are behind pace."


def _touch_schedule(apps) -> None:
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": Now()})


def create_job(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    crontab, _ = CrontabSchedule.objects.get_or_create(**CRONTAB, timezone="Asia/Shanghai")
    PeriodicTask.objects.update_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "crontab": crontab,
            "interval": None,
            "solar": None,
            "clocked": None,
            "args": "[]",
            "kwargs": "{}",
            "enabled": True,
            "one_off": False,
            "expire_seconds": 6 * 3600,
            "description": DESCRIPTION,
        },
    )
    _touch_schedule(apps)


def remove_job(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME).delete()
    CrontabSchedule.objects.filter(**CRONTAB, timezone="Asia/Shanghai", periodictask__isnull=True).delete()
    _touch_schedule(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0002_roles"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_job, remove_job)]

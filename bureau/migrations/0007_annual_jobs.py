"""Seed the annual summary's beat jobs: the current year's summary compiled every night at 01:30
local time, and the finished year's final summary at 00:30 local time on 1 January. Rows are matched
by name (an administrator's changes to the times are kept on a re-run only until this runs again);
reversing removes the jobs and the crontab schedules no other job uses."""

from django.db import migrations

from bureau.migration_helpers import schedule_crontab_jobs, unschedule_crontab_jobs

# name → (task, crontab, description)
CRONTAB_JOBS = {
    "Compile this year's annual summary": (
        "bureau.annual.tasks.annual_summary_compile_current_task",
        {"minute": "30", "hour": "1"},
        "Every night: the current year's figures so far, and its workbook.",
    ),
    "Compile last year's final annual summary": (
        "bureau.annual.tasks.annual_summary_compile_final_task",
        {"minute": "30", "hour": "0", "day_of_month": "1", "month_of_year": "1"},
        "On 1 January: the final summary of the year that has just ended, and its workbook.",
    ),
}

# A compile that waited in the queue for hours is superseded by the next night's.
EXPIRE_SECONDS = 6 * 3600


def create_jobs(apps, schema_editor):
    schedule_crontab_jobs(apps, CRONTAB_JOBS, expire_seconds=EXPIRE_SECONDS)


def remove_jobs(apps, schema_editor):
    unschedule_crontab_jobs(apps, CRONTAB_JOBS)


class Migration(migrations.Migration):
    dependencies = [
        ("bureau", "0006_annual_permissions"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_jobs, remove_jobs)]

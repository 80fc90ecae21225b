"""The annual summary's tasks moved from ``bureau.annual.tasks`` to ``reports.tasks``: the beat
jobs seeded by bureau 0007 follow them. Reverses by pointing them back."""

from django.db import migrations

from bureau.migration_helpers import rename_job_tasks_operation

RENAMES = {
    "bureau.annual.tasks.annual_summary_compile_current_task": "reports.tasks.annual_summary_compile_current_task",
    "bureau.annual.tasks.annual_summary_compile_final_task": "reports.tasks.annual_summary_compile_final_task",
}


class Migration(migrations.Migration):
    dependencies = [
        ("bureau", "0007_annual_jobs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [rename_job_tasks_operation(RENAMES)]

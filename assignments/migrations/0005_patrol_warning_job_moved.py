"""The patrol-lapse warning moved from ``opinions.tasks`` to ``assignments.tasks`` (warning whoever
is on duty is the roster's job): the beat job seeded by opinions 0003 follows it. Reverses by
pointing it back."""

from django.db import migrations

from bureau.migration_helpers import rename_job_tasks_operation

RENAMES = {"opinions.tasks.patrols_warn_overdue_task": "assignments.tasks.patrols_warn_overdue_task"}


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0004_links_to_posts_and_demands"),
        ("opinions", "0003_periodic_jobs"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [rename_job_tasks_operation(RENAMES)]

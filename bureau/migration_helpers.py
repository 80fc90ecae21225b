"""Helpers for data migrations. They work on the historical ``apps`` a migration receives and
import no models, so migrations that use them stay valid as the models change."""

from functools import partial

from django.contrib.auth.management import create_permissions
from django.db import migrations

from bureau.search import search_document


def ensure_permissions(apps) -> None:
    """Permissions are normally created after all migrations; a data migration needs them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant_permissions(apps, role_permissions: dict[str, list[str]]) -> None:
    """Give each role group (created if missing) the listed "app_label.codename" permissions."""
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codes in role_permissions.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke_permissions(apps, role_permissions: dict[str, list[str]]) -> None:
    """The reverse of ``grant_permissions``: the groups stay, the listed permissions go."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codes in role_permissions.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))


def _touch_beat_schedule(apps) -> None:
    """Tell a running beat that the schedule changed (the model's signals do not fire here)."""
    from django.db.models.functions import Now

    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": Now()})


def _save_job(PeriodicTask, name: str, task: str, description: str, expire_seconds: int, **schedule) -> None:
    """Create or update one job by name, on exactly the one schedule given (interval or crontab)."""
    schedules = {"interval": None, "crontab": None, "solar": None, "clocked": None, **schedule}
    PeriodicTask.objects.update_or_create(
        name=name,
        defaults={
            "task": task,
            **schedules,
            "args": "[]",
            "kwargs": "{}",
            "enabled": True,
            "one_off": False,
            "expire_seconds": expire_seconds,
            "description": description,
        },
    )


def schedule_interval_jobs(apps, jobs: dict[str, tuple[str, int, str, str]], *, expire_seconds: int) -> None:
    """Create or update django-celery-beat jobs, matched by name: ``{name: (task, every, period,
    description)}``. ``expire_seconds``: a sweep that waited longer than that in the queue is
    superseded by the next one, so a worker back from an outage runs one sweep, not a backlog."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, every, period, description) in jobs.items():
        interval, _ = IntervalSchedule.objects.get_or_create(every=every, period=period)
        _save_job(PeriodicTask, name, task, description, expire_seconds, interval=interval)
    _touch_beat_schedule(apps)


def unschedule_interval_jobs(apps, jobs: dict[str, tuple[str, int, str, str]]) -> None:
    """The reverse of ``schedule_interval_jobs``: the jobs go, and the interval schedules no other
    job uses."""
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=list(jobs)).delete()
    for _task, every, period, _description in jobs.values():
        IntervalSchedule.objects.filter(every=every, period=period, periodictask__isnull=True).delete()
    _touch_beat_schedule(apps)


def schedule_crontab_jobs(apps, jobs: dict[str, tuple[str, dict[str, str], str]], *, expire_seconds: int) -> None:
    """Create or update django-celery-beat jobs that run at set times, matched by name:
    ``{name: (task, crontab, description)}`` where ``crontab`` holds any of minute, hour,
    day_of_month, month_of_year, day_of_week (the rest default to "*"). Times are read in the
    office's time zone (Asia/Shanghai), so "30 1 * * *" is half past one at night locally."""
    from django.conf import settings

    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, crontab, description) in jobs.items():
        fields = {key: "*" for key in ("minute", "hour", "day_of_month", "month_of_year", "day_of_week")}
        fields.update(crontab)
        schedule, _ = CrontabSchedule.objects.get_or_create(timezone=settings.TIME_ZONE, **fields)
        _save_job(PeriodicTask, name, task, description, expire_seconds, crontab=schedule)
    _touch_beat_schedule(apps)


def unschedule_crontab_jobs(apps, jobs: dict[str, tuple[str, dict[str, str], str]]) -> None:
    """The reverse of ``schedule_crontab_jobs``: the jobs go, and the schedules no other job uses."""
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    jobs_rows = PeriodicTask.objects.filter(name__in=list(jobs))
    schedule_ids = list(jobs_rows.exclude(crontab=None).values_list("crontab_id", flat=True))
    jobs_rows.delete()
    CrontabSchedule.objects.filter(pk__in=schedule_ids, periodictask__isnull=True).delete()
    _touch_beat_schedule(apps)


def rename_job_tasks(apps, renames: dict[str, str]) -> None:
    """Point the periodic jobs that run task ``old`` at task ``new`` (a task moved to another
    module). Reverse with the mapping inverted."""
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    changed = 0
    for old, new in renames.items():
        changed += PeriodicTask.objects.filter(task=old).update(task=new)
    if changed:
        _touch_beat_schedule(apps)


def _rename_forwards(renames: dict[str, str], apps, schema_editor) -> None:
    rename_job_tasks(apps, renames)


def _rename_backwards(renames: dict[str, str], apps, schema_editor) -> None:
    rename_job_tasks(apps, {new: old for old, new in renames.items()})


def rename_job_tasks_operation(renames: dict[str, str]) -> migrations.RunPython:
    """The whole migration for tasks that moved module: forwards points the jobs at ``new``,
    backwards at ``old`` again. (Partials of module-level functions, so the operation can still be
    serialised by a squash.)"""
    return migrations.RunPython(partial(_rename_forwards, renames), partial(_rename_backwards, renames))


def search_backfill(Model, fields: tuple[str, ...], *, batch_size: int = 2000) -> int:
    """Fill ``search_text`` and ``search_grams`` of every row from ``fields``, one keyset batch of
    ``batch_size`` rows at a time (memory stays constant, each UPDATE is short). Returns the rows
    filled. Uses the folding of ``bureau.search`` (a pure function of the text, no models): a
    later change of the folding needs a migration that fills the columns again."""
    filled, last_pk = 0, 0
    while True:
        rows = list(Model.objects.filter(pk__gt=last_pk).order_by("pk").only("pk", *fields)[:batch_size])
        if not rows:
            return filled
        for row in rows:
            row.search_text, row.search_grams = search_document(*(str(getattr(row, name) or "") for name in fields))
        Model.objects.bulk_update(rows, ["search_text", "search_grams"])
        filled += len(rows)
        last_pk = rows[-1].pk


def search_indexes_create(schema_editor, tables: dict[str, str]) -> None:
    """The two GIN indexes of bureau.search on each table (``{table: index name prefix}``):
    ``<prefix>_trgm_idx`` on search_text (pg_trgm) and ``<prefix>_grams_idx`` on search_grams.
    PostgreSQL only; SQLite searches unindexed."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, prefix in tables.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {prefix}_trgm_idx ON {table} USING gin (search_text gin_trgm_ops)"
        )
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {prefix}_grams_idx ON {table} USING gin (search_grams)")
        schema_editor.execute(f"ANALYZE {table}")


def search_indexes_drop(schema_editor, tables: dict[str, str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for prefix in tables.values():
        schema_editor.execute(f"DROP INDEX IF EXISTS {prefix}_trgm_idx")
        schema_editor.execute(f"DROP INDEX IF EXISTS {prefix}_grams_idx")

"""The database itself refuses to change or remove archive records, whoever asks."""

import importlib

import pytest
from django.db import DatabaseError, connection, transaction

from archive.models import ArchiveRecord
from archive.services import archive_record

TABLE = ArchiveRecord._meta.db_table
migration = importlib.import_module("archive.migrations.0003_append_only_trigger")

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")


def _execute(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _triggers() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [TABLE])
        return {name for (name,) in cursor.fetchall()}


def test_update_is_refused_by_the_database(db):
    record = archive_record(action="bureau.department.created", summary="原文")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _execute(f'UPDATE "{TABLE}" SET summary = %s WHERE id = %s', ["改过", record.pk])

    assert ArchiveRecord.objects.get(pk=record.pk).summary == "原文"


def test_delete_is_refused_by_the_database(db):
    record = archive_record(action="bureau.department.created")

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _execute(f'DELETE FROM "{TABLE}" WHERE id = %s', [record.pk])

    assert ArchiveRecord.objects.filter(pk=record.pk).exists()


def test_truncate_is_refused_by_the_database(db):
    # The test suite may switch this one trigger off so transactional tests can be flushed;
    # inside this test's transaction it is on again (and the change rolls back with the test).
    _execute(f'ALTER TABLE "{TABLE}" ENABLE TRIGGER {migration.TRUNCATE_TRIGGER}')
    archive_record(action="bureau.department.created")
    _execute("SET CONSTRAINTS ALL IMMEDIATE")  # PostgreSQL will not truncate with deferred checks pending

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _execute(f'TRUNCATE "{TABLE}"')

    assert ArchiveRecord.objects.count() == 1


def test_appending_still_works(db):
    archive_record(action="bureau.department.created")
    archive_record(action="bureau.department.renamed")

    assert ArchiveRecord.objects.count() == 2


def test_the_migration_reverses_cleanly(db):
    from django.apps import apps

    assert {migration.ROW_TRIGGER, migration.TRUNCATE_TRIGGER} <= _triggers()

    with connection.schema_editor() as schema_editor:
        migration.uninstall(apps, schema_editor)
    assert _triggers().isdisjoint({migration.ROW_TRIGGER, migration.TRUNCATE_TRIGGER})
    record = archive_record(action="bureau.department.created")
    _execute(f'DELETE FROM "{TABLE}" WHERE id = %s', [record.pk])  # nothing stops it now

    with connection.schema_editor() as schema_editor:
        migration.install(apps, schema_editor)
    assert {migration.ROW_TRIGGER, migration.TRUNCATE_TRIGGER} <= _triggers()

"""Make the archive append-only in PostgreSQL itself, not only in Python.

A trigger refuses every UPDATE and DELETE of a row and every TRUNCATE of the table, whoever
sends them (the ORM, a psql session, another application). Only the table's owner can switch
it off (ALTER TABLE ... DISABLE TRIGGER), which is itself a deliberate, visible act.

Reversing drops the triggers and the function. SQLite has no such triggers: nothing happens there.
"""

from django.db import migrations

FUNCTION = "archive_refuse_change"
ROW_TRIGGER = "archive_record_append_only"
TRUNCATE_TRIGGER = "archive_record_no_truncate"


def _table(apps, schema_editor) -> str:
    return schema_editor.quote_name(apps.get_model("archive", "ArchiveRecord")._meta.db_table)


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = _table(apps, schema_editor)
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'archive records are append-only: % on % refused', TG_OP, TG_TABLE_NAME
                USING HINT = 'The archive is evidence; record a correction as a new record instead.';
        END;
        $$
        """,
        params=None,  # no client-side interpolation: the RAISE format uses literal % signs
    )
    schema_editor.execute(
        f"CREATE TRIGGER {ROW_TRIGGER} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TRUNCATE_TRIGGER} BEFORE TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
    )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = _table(apps, schema_editor)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRUNCATE_TRIGGER} ON {table}")
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {ROW_TRIGGER} ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [("archive", "0002_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]

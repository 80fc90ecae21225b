"""A signed briefing is the record of what was signed: PostgreSQL itself refuses an UPDATE or a
DELETE of a row whose stored state is "signed", whoever sends it (the model's save refuses too).
Reversing drops the trigger and its function. SQLite has no such trigger: nothing happens there."""

from django.db import migrations

FUNCTION = "briefing_refuse_signed_change"
TRIGGER = "briefing_signed_unchanged"


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("reports", "Briefing")._meta.db_table)
    schema_editor.execute(
        f"""
        CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'a signed briefing cannot change: % of briefing % refused', TG_OP, OLD.id
                USING HINT = 'Draft a new briefing instead.';
        END;
        $$
        """,
        params=None,  # the RAISE format uses literal % signs
    )
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {table} FOR EACH ROW "
        f"WHEN (OLD.state = 'signed') EXECUTE FUNCTION {FUNCTION}()"
    )


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("reports", "Briefing")._meta.db_table)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_briefings")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]

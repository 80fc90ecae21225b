"""Autovacuum per hot table (PostgreSQL only; a no-op on SQLite): vacuum and analyse after a few
percent of the rows changed, not the default 20 %, so the visibility map stays current after a
bulk change (index-only scans stay index-only) and the planner's figures follow a sweep or a load.
A fill factor below 100 leaves room on each page for the new version of an updated row, so updates
that touch no indexed column stay HOT (no index entries written). Issue 15."""

from django.db import migrations

# table: storage parameters
SETTINGS = {
    "bureau_notification": {
        "fillfactor": 85,
        "autovacuum_vacuum_scale_factor": 0.02,
        "autovacuum_vacuum_insert_scale_factor": 0.02,
        "autovacuum_analyze_scale_factor": 0.02,
    },
}


def apply(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, parameters in SETTINGS.items():
        options = ", ".join(f"{name} = {value}" for name, value in parameters.items())
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} SET ({options})")


def revert(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, parameters in SETTINGS.items():
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} RESET ({', '.join(parameters)})")


class Migration(migrations.Migration):
    dependencies = [("bureau", "0010_login_failures_per_address")]

    operations = [migrations.RunPython(apply, revert)]

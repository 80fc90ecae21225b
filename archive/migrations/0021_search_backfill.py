"""Fill the search columns (bureau.search) of the archive records already stored, in batches of
2,000 rows. The archive refuses every UPDATE (trigger archive_record_append_only, migration 0003):
this migration switches that trigger off for its own transaction and on again before it ends,
which only the table's owner may do (a deliberate act, as the trigger's note says). The columns
filled are derived from the hashed fields and are not hashed themselves, so the chain still
verifies. Reversing empties nothing: the columns are dropped by reversing 0020."""

from django.db import migrations

from bureau.migration_helpers import search_backfill

TABLE = "archive_archiverecord"
TRIGGER = "archive_record_append_only"


def fill(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
    search_backfill(apps.get_model("archive", "ArchiveRecord"), ("summary", "target_text", "actor_name"))
    if postgresql:
        schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):
    atomic = True  # the trigger is off only inside this transaction: a failure rolls the switch back too
    dependencies = [("archive", "0020_search_columns")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]

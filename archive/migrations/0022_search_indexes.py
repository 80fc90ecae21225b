"""The archive search's indexes (bureau.search), PostgreSQL only: a GIN trigram index on
search_text (words of three or more characters) and a GIN index on search_grams (words of one or
two characters). Not in Meta because SQLite cannot build them. Reversing drops them."""

from django.db import migrations

INDEXES = {
    "archive_search_trgm_idx": "archive_archiverecord USING gin (search_text gin_trgm_ops)",
    "archive_search_grams_idx": "archive_archiverecord USING gin (search_grams)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
    schema_editor.execute("ANALYZE archive_archiverecord")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("archive", "0021_search_backfill"), ("bureau", "0012_pg_trgm")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

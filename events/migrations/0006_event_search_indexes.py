"""The text search's indexes (bureau.search) on the events, PostgreSQL only: a GIN trigram index on
search_text (words of three or more characters) and a GIN index on search_grams (one or two
characters). Not in Meta because SQLite cannot build them. Reversing drops them."""

from django.db import migrations

from bureau.migration_helpers import search_indexes_create, search_indexes_drop

TABLES = {"events_event": "event_search"}


def create(apps, schema_editor):
    search_indexes_create(schema_editor, TABLES)


def drop(apps, schema_editor):
    search_indexes_drop(schema_editor, TABLES)


class Migration(migrations.Migration):
    dependencies = [("events", "0005_event_search_backfill"), ("bureau", "0012_pg_trgm")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

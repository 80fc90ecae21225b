"""The text search's indexes (bureau.search), PostgreSQL only: a GIN trigram index on search_text
(words of three or more characters, ``LIKE '%word%'``) and a GIN index on search_grams (words of
one or two characters, ``@> ARRAY[word]``). They are not in the models' Meta because SQLite cannot
build them; SQLite searches search_text unindexed. Reversing drops them."""

from django.db import migrations

INDEXES = {
    "post_search_trgm_idx": "opinions_post USING gin (search_text gin_trgm_ops)",
    "post_search_grams_idx": "opinions_post USING gin (search_grams)",
    "demand_search_trgm_idx": "opinions_demand USING gin (search_text gin_trgm_ops)",
    "demand_search_grams_idx": "opinions_demand USING gin (search_grams)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
    schema_editor.execute("ANALYZE opinions_post")
    schema_editor.execute("ANALYZE opinions_demand")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("opinions", "0021_search_backfill"), ("bureau", "0012_pg_trgm")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

"""Fill the search columns (bureau.search) of the posts and demands already stored, in batches of
2,000 rows. Reversing empties nothing: the columns are dropped by reversing 0020."""

from django.db import migrations

from bureau.migration_helpers import search_backfill


def fill(apps, schema_editor):
    search_backfill(apps.get_model("opinions", "Post"), ("title", "body", "author"))
    search_backfill(apps.get_model("opinions", "Demand"), ("number", "subject", "content", "reply_text"))


class Migration(migrations.Migration):
    dependencies = [("opinions", "0020_search_columns")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]

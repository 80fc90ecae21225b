"""Fill the search columns (bureau.search) of the events already stored, in batches of 2,000 rows.
Reversing empties nothing: the columns are dropped by reversing 0004."""

from django.db import migrations

from bureau.migration_helpers import search_backfill


def fill(apps, schema_editor):
    search_backfill(apps.get_model("events", "Event"), ("title", "summary"))


class Migration(migrations.Migration):
    dependencies = [("events", "0004_event_search_columns")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]

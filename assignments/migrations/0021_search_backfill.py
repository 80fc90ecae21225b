"""Fill the search columns (bureau.search) of the county tasks already stored, in batches of 2,000
rows. Reversing empties nothing: the columns are dropped by reversing 0020."""

from django.db import migrations

from bureau.migration_helpers import search_backfill


def fill(apps, schema_editor):
    search_backfill(apps.get_model("assignments", "CountyTask"), ("title", "reference", "content"))


class Migration(migrations.Migration):
    dependencies = [("assignments", "0020_search_columns")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]

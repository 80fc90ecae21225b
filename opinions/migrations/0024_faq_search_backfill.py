"""Fill the search columns (bureau.search) of the policy FAQ entries already stored, in batches of 2,000
rows. Reversing empties nothing: the columns are dropped by reversing 0023."""

from django.db import migrations

from bureau.migration_helpers import search_backfill


def fill(apps, schema_editor):
    search_backfill(apps.get_model("opinions", "FaqEntry"), ("question", "answer"))


class Migration(migrations.Migration):
    dependencies = [("opinions", "0023_faq_search_columns")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]

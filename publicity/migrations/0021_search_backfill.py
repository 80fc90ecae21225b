"""Fill the search columns (bureau.search) of the publicity posts, media coverage and disclosure items already stored, in batches of 2,000
rows. Reversing empties nothing: the columns are dropped by reversing 0020."""

from django.db import migrations

from bureau.migration_helpers import search_backfill


def fill(apps, schema_editor):
    search_backfill(apps.get_model("publicity", "PublicityPost"), ("title", "body"))
    search_backfill(apps.get_model("publicity", "MediaCoverage"), ("title",))
    search_backfill(apps.get_model("publicity", "DisclosureItem"), ("title", "document_number"))


class Migration(migrations.Migration):
    dependencies = [("publicity", "0020_search_columns")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=False)]

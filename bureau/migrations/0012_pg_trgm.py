"""The trigram extension (pg_trgm, in Debian's PostgreSQL contrib package) for the text search's
GIN indexes (bureau.search; the indexes are created by each app's search migration). PostgreSQL
only; pg_trgm is a trusted extension, so the database's owner may create it. Reversing leaves the
extension installed: other indexes may use it, and dropping it would drop them."""

from django.db import migrations


def install(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


class Migration(migrations.Migration):
    dependencies = [("bureau", "0011_notification_autovacuum")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop, elidable=False)]

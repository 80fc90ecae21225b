"""Let administrators see the rounds, call-backs and hand-backs in the admin (read-only there).
Reversing takes the permissions away again."""

from django.db import migrations

from bureau.migration_helpers import grant_permissions, revoke_permissions

ROLE_PERMISSIONS = {
    "administrators": ["opinions.view_demandround", "opinions.view_demandcallback", "opinions.view_demandhandback"]
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("opinions", "0012_demand_rounds_backfill")]

    operations = [migrations.RunPython(grant, revoke)]

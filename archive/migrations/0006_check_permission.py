"""Let those who may run the chain check read the stored checks in the admin (read-only there).

Reversing takes the permission away again; the groups stay."""

from django.db import migrations

from bureau.migration_helpers import grant_permissions, revoke_permissions

ROLE_PERMISSIONS = {"leaders": ["archive.view_archivecheck"], "administrators": ["archive.view_archivecheck"]}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("archive", "0005_nightly_chain_check"), ("bureau", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]

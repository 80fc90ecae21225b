"""Administrators configure the scoring rules in the admin; leaders and supervisors may read them.
Reverses by taking the permissions back (the groups stay)."""

from django.db import migrations

from bureau.migration_helpers import grant_permissions, revoke_permissions

ROLE_PERMISSIONS = {
    "administrators": [f"reports.{verb}_scoringrule" for verb in ("add", "change", "view", "delete")],
    "leaders": ["reports.view_scoringrule"],
    "supervisors": ["reports.view_scoringrule"],
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_scoring_rules"), ("bureau", "0002_roles")]

    operations = [migrations.RunPython(grant, revoke)]

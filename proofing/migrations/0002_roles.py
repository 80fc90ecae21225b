"""Give the administrators the proofreading lists in the admin (and the acknowledgements to read)."""

from django.db import migrations

from bureau.migration_helpers import grant_permissions, revoke_permissions

ROLE_PERMISSIONS = {
    "administrators": [
        f"proofing.{verb}_{model}"
        for model in ("prooflist", "proofterm")
        for verb in ("add", "change", "view", "delete")
    ]
    + ["proofing.view_proofacknowledgement"],
}


def forwards(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def backwards(apps, schema_editor):
    revoke_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("proofing", "0001_proofreading_lists"),
        ("bureau", "0002_roles"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

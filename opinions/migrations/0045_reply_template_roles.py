"""Administrators keep the reply templates (答复口径) in the admin; the office head keeps them on
the office's page (through ``opinions.supervise_demand``, which supervisors already have). Reversing
takes the admin permissions away again."""

from django.db import migrations

from bureau.migration_helpers import grant_permissions, revoke_permissions

ROLE_PERMISSIONS = {
    "administrators": [f"opinions.{verb}_replytemplate" for verb in ("add", "change", "view", "delete")],
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("opinions", "0044_reply_templates")]

    operations = [migrations.RunPython(grant, revoke)]

"""Who may read and compile the annual summary: leaders and supervisors read it and compile it on
demand; administrators read it. Reversing removes the permissions from the groups (the groups stay)."""

from django.db import migrations

from bureau.migration_helpers import grant_permissions, revoke_permissions

ROLE_PERMISSIONS = {
    "leaders": ["bureau.view_annualsummary", "bureau.compile_annualsummary"],
    "supervisors": ["bureau.view_annualsummary", "bureau.compile_annualsummary"],
    "administrators": ["bureau.view_annualsummary"],
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("bureau", "0005_annualsummary"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

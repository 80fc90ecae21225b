"""Administrators, who read the summaries in the admin, read their revisions there too. Reversing
removes the permission from the group (the group stays)."""

from django.db import migrations

from bureau.migration_helpers import grant_permissions, revoke_permissions

ROLE_PERMISSIONS = {"administrators": ["reports.view_annualsummaryrevision"]}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_annual_changes_job"),
        ("bureau", "0006_annual_permissions"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

"""Give the role groups the publicity permissions.

Everyone reads publicity, coverage, statistics and the ledger; staff, the office head and leaders
write posts; leaders approve; the office head records any post's publication and keeps the
statistics and the ledger; administrators configure platforms, outlets and quotas. Reversing
removes these permissions from the groups."""

from django.db import migrations

from bureau.migration_helpers import grant_permissions, revoke_permissions

LEADERS, SUPERVISORS, STAFF, ADMINISTRATORS = "leaders", "supervisors", "staff", "administrators"

READ = [
    "publicity.view_publicitypost",
    "publicity.view_mediacoverage",
    "publicity.view_platformstatistic",
    "publicity.view_disclosureitem",
]
WRITE = [
    "publicity.add_publicitypost",
    "publicity.change_publicitypost",
    "publicity.add_mediacoverage",
]
ROLE_PERMISSIONS = {
    LEADERS: [*READ, *WRITE, "publicity.approve_publicitypost", "publicity.export_publicitypost"],
    SUPERVISORS: [
        *READ,
        *WRITE,
        "publicity.publish_publicitypost",
        "publicity.export_publicitypost",
        "publicity.add_platformstatistic",
        "publicity.add_disclosureitem",
    ],
    STAFF: [*READ, *WRITE, "publicity.add_platformstatistic", "publicity.add_disclosureitem"],
    ADMINISTRATORS: [
        *READ,
        *[
            f"publicity.{verb}_{model}"
            for model in ("platform", "mediaoutlet", "publicityquota")
            for verb in ("add", "change", "view", "delete")
        ],
        "publicity.view_quotawarning",
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("publicity", "0001_initial"),
        ("bureau", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

"""Give the role groups the assignments app's permissions. Reversing takes them away again."""

from django.db import migrations

from bureau.migration_helpers import grant_permissions, revoke_permissions

CONFIGURATION = [
    f"assignments.{verb}_{model}"
    for model in ("shifttype", "responseplan")
    for verb in ("add", "change", "view", "delete")
]

ROLE_PERMISSIONS = {
    "leaders": [
        "assignments.view_duty",
        "assignments.view_tasks",
        "assignments.view_all_tasks",
        "assignments.approve_feedback",
        "assignments.view_reports",
        "assignments.manage_reports",
    ],
    "supervisors": [
        "assignments.view_duty",
        "assignments.manage_roster",
        "assignments.view_tasks",
        "assignments.view_all_tasks",
        "assignments.manage_tasks",
        "assignments.view_reports",
        "assignments.manage_reports",
    ],
    "staff": ["assignments.view_duty", "assignments.view_tasks", "assignments.view_reports"],
    "administrators": ["assignments.view_duty", "assignments.manage_roster", *CONFIGURATION],
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0001_initial"),
        ("bureau", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

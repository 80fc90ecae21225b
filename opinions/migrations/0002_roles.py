"""Give the role groups the opinions app's permissions. Reversing takes them away again."""

from django.db import migrations

from bureau.migration_helpers import grant_permissions, revoke_permissions

READ = ["opinions.view_monitor"]
WORK = [
    *READ,
    "opinions.enter_post",
    "opinions.handle_post",
    "opinions.take_down_post",
    "opinions.record_patrol",
    "opinions.view_patrol_log",
]
CONFIGURE = [
    f"opinions.{verb}_{model}"
    for model in ("channel", "screeningcategory", "patrolrule")
    for verb in ("add", "change", "view", "delete")
]
ROLE_PERMISSIONS = {
    "leaders": [*READ, "opinions.view_patrol_log", "opinions.view_channel_health"],
    "supervisors": [*WORK, "opinions.undo_takedown", "opinions.view_channel_health"],
    "staff": WORK,
    "administrators": [
        *CONFIGURE,
        "opinions.view_post",
        "opinions.view_patrolrecord",
        "opinions.view_channel_health",
    ],
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0001_initial"),
        ("bureau", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

"""Create the role groups and give each its permissions.

Later apps add their own permissions to these groups in their own migrations. Reversing removes
the groups (the people keep their logins)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

LEADERS, SUPERVISORS, STAFF, ADMINISTRATORS = "leaders", "supervisors", "staff", "administrators"

EVERYONE = ["bureau.view_organisation"]
ROLE_PERMISSIONS = {
    LEADERS: [*EVERYONE, "archive.view_archiverecord", "archive.verify_archive"],
    SUPERVISORS: [*EVERYONE, "bureau.manage_organisation", "archive.view_archiverecord"],
    STAFF: [*EVERYONE],
    ADMINISTRATORS: [
        *EVERYONE,
        "bureau.manage_organisation",
        "archive.view_archiverecord",
        "archive.verify_archive",
        *[
            f"{app}.{verb}_{model}"
            for app, models in {
                "bureau": [
                    "user",
                    "person",
                    "department",
                    "section",
                    "responsibilityarea",
                    "equipment",
                    "trainingrecord",
                ],
                "django_celery_beat": ["periodictask", "intervalschedule", "crontabschedule"],
            }.items()
            for model in models
            for verb in ("add", "change", "view", "delete")
        ],
        "bureau.view_notification",
        "auth.view_group",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accessfailurelog",
    ],
}


def ensure_permissions(apps):
    """Permissions are normally created after all migrations; this data migration needs them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def create_groups(apps, schema_editor):
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("bureau", "0001_initial"),
        ("archive", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]

"""Create the role groups and give each its permissions.

Later apps add their own permissions to these groups in their own migrations. Reversing removes
the groups (the people keep their logins)."""

from django.db import migrations

from bureau.migration_helpers import grant_permissions

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


def create_groups(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


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

"""Give the role groups the demand permissions. Reversing takes them away again."""

from django.db import migrations

from bureau.migration_helpers import grant_permissions, revoke_permissions

HANDLE = ["opinions.enter_demand", "opinions.handle_demand"]
CONFIGURE = [
    f"opinions.{verb}_{model}"
    for model in ("replywindow", "calendarday", "demandrules")
    for verb in ("add", "change", "view", "delete")
]
ROLE_PERMISSIONS = {
    "leaders": ["opinions.view_all_demands", "opinions.review_demand", "opinions.sign_off_demand"],
    "supervisors": [*HANDLE, "opinions.supervise_demand", "opinions.view_all_demands"],
    "staff": HANDLE,
    "administrators": [*CONFIGURE, "opinions.view_demand", "opinions.view_faqentry"],
}


def grant(apps, schema_editor):
    grant_permissions(apps, ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_permissions(apps, ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("opinions", "0005_demands")]

    operations = [migrations.RunPython(grant, revoke)]

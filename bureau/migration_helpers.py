"""Helpers for data migrations. They work on the historical ``apps`` a migration receives and
import no models, so migrations that use them stay valid as the models change."""

from django.contrib.auth.management import create_permissions


def ensure_permissions(apps) -> None:
    """Permissions are normally created after all migrations; a data migration needs them now."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def grant_permissions(apps, role_permissions: dict[str, list[str]]) -> None:
    """Give each role group (created if missing) the listed "app_label.codename" permissions."""
    ensure_permissions(apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codes in role_permissions.items():
        group, _ = Group.objects.get_or_create(name=group_name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def revoke_permissions(apps, role_permissions: dict[str, list[str]]) -> None:
    """The reverse of ``grant_permissions``: the groups stay, the listed permissions go."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, codes in role_permissions.items():
        group = Group.objects.filter(name=group_name).first()
        if group is None:
            continue
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.remove(*Permission.objects.filter(content_type__app_label=app_label, codename=codename))

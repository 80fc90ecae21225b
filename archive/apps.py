from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArchiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "archive"
    verbose_name = _("Archive")

    def ready(self):
        # Connects the receivers for logins and admin changes (the only signals in the project).
        from django.contrib import admin

        from archive import receivers  # noqa: F401
        from archive.admin_actions import archived_delete_selected  # after the registry is ready

        admin.site.add_action(archived_delete_selected, "delete_selected")

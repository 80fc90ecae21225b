from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "alerts"
    verbose_name = _("Alerts")

    def ready(self) -> None:
        # The app registry is ready only here: opinions calls the hook after each intake commits.
        from alerts.dispatch import posts_arrived
        from opinions.hooks import on_posts_created  # (same reason)

        on_posts_created(posts_arrived)

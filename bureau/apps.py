from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BureauConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bureau"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # imported once the app registry is ready (these modules load models or settings)
        from bureau.celery import ensure_broker_folders

        ensure_broker_folders()

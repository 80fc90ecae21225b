from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BureauConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bureau"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        # imported once the app registry is ready (these modules load models or settings)
        from django.contrib.auth.signals import user_logged_in

        from bureau.celery import ensure_broker_folders  # once the registry is ready, as above
        from bureau.middleware import session_stamp_login  # once the registry is ready, as above

        ensure_broker_folders()
        user_logged_in.connect(session_stamp_login, dispatch_uid="bureau.session_stamp_login")

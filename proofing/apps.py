from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProofingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "proofing"
    verbose_name = _("Proofreading")

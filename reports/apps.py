from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The top floor: the home page's panels, the supervisors' dashboard, the department
    assessment and the annual summary. It reads every app through their selectors; nothing
    imports it (but the root URLconf and the demo)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "reports"
    verbose_name = _("Statistics")

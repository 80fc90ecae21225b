from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo office and the load generators (``seed_demo``, ``generate_load``).

    Installed in the embedded default and wherever ``DEMO_APP`` is on; production code never imports
    it. It owns no models: it only drives the real services of the apps below it."""

    name = "demo"
    verbose_name = _("Demo office")

"""The "my work" page is assembled from panels that each app contributes.

An app with something to show on a person's home page has a module ``<app>/home.py`` with
``panels(*, user, person) -> list[HomePanel]``; its templates receive the panel's context."""

from dataclasses import dataclass, field
from importlib import import_module

PANEL_APPS = ["opinions", "assignments", "publicity"]


@dataclass
class HomePanel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


def home_panels(*, user, person) -> list[HomePanel]:
    panels: list[HomePanel] = []
    for app in PANEL_APPS:
        try:
            module = import_module(f"{app}.home")
        except ModuleNotFoundError as error:
            if error.name == f"{app}.home":
                continue
            raise
        panels.extend(module.panels(user=user, person=person))
    return sorted(panels, key=lambda panel: panel.order)

"""The "my work" page, assembled from one panel module per feature app (``reports/panels/``).

Each module has ``panels(*, user, person) -> list[HomePanel]``; its templates receive the panel's
context. The panels are ordered by their ``order``."""

from reports.panels import assignments, opinions, publicity, todo
from reports.panels.panel import HomePanel

PANEL_MODULES = [todo, opinions, assignments, publicity]


def home_panels(*, user, person) -> list[HomePanel]:
    panels: list[HomePanel] = []
    for module in PANEL_MODULES:
        panels.extend(module.panels(user=user, person=person))
    return sorted(panels, key=lambda panel: panel.order)

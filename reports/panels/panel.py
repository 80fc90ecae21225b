from dataclasses import dataclass, field


@dataclass
class HomePanel:
    """One box on the "my work" page: its template and what the template receives."""

    template: str
    context: dict = field(default_factory=dict)
    order: int = 100
    # The menu's to-do badge when this panel counted it already (``reports.todo.badge_of``).
    todo_badge: int | None = None

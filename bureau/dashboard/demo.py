"""Demo: the dashboard's daily aggregates, rebuilt from the seeded year (the beat job would get
there on its first run; doing it here makes the first page view as quick as every other)."""

from datetime import date

from opinions.services.daily_figures import daily_figures_rebuild


def seed(*, today: date) -> dict[str, int]:
    result = daily_figures_rebuild()
    return {"daily demand rows": result["demand_rows"], "daily post rows": result["post_rows"]}

"""Recompute the dashboard's daily aggregates from the demands and posts.

    python manage.py rebuild_daily_figures          # everything, from scratch
    python manage.py rebuild_daily_figures --refresh  # only the days touched since the last run

The beat job keeps the aggregates current by itself; a rebuild is for a new installation, or after
rows were written around the services (bulk loads, ``generate_load``, restores), which the archive
does not see."""

import time

from django.core.management.base import BaseCommand, CommandParser

from opinions.services.daily_figures import daily_figures_rebuild, daily_figures_refresh


class Command(BaseCommand):
    help = "Rebuild (or refresh) the daily demand and post figures behind the dashboard."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--refresh", action="store_true", help="Recompute only the days touched since the last run."
        )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        result = daily_figures_refresh() if options["refresh"] else daily_figures_rebuild()
        if options["verbosity"] >= 1:
            details = ", ".join(f"{key} {value}" for key, value in result.items())
            self.stdout.write(self.style.SUCCESS(f"Daily figures done in {time.monotonic() - started:.1f}s: {details}"))

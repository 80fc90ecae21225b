"""Load the demo office: a realistic bureau with people in every role, sections, the
responsibility chain and, as each app arrives, a year of its activity.

Idempotent: running it again refreshes the same rows instead of adding new ones. The demo
accounts (admin, leader, supervisor, staff) share the password documented in the README."""

from importlib import import_module

from django.core.management.base import BaseCommand

from bureau import clock

# Order matters: later seeders use the people and sections the earlier ones create.
SEEDERS = ["bureau.demo", "opinions.demo", "assignments.demo", "publicity.demo"]


class Command(BaseCommand):
    help = "Create or refresh the demo office (idempotent)."

    def handle(self, *args, **options):
        today = clock.today()
        for module_name in SEEDERS:
            try:
                module = import_module(module_name)
            except ModuleNotFoundError as error:
                if error.name == module_name:
                    continue  # that app has no demo data yet
                raise
            counts = module.seed(today=today)
            if options["verbosity"] >= 1:
                summary = ", ".join(f"{label}: {count}" for label, count in counts.items())
                self.stdout.write(self.style.SUCCESS(f"{module_name}: {summary}"))

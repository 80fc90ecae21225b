"""Load the demo office: a realistic bureau with people in every role, sections, the
responsibility chain and about a year of its activity, made through the real services.

Idempotent: running it again refreshes the same rows instead of adding new ones, and seeding on a
later day only adds what happened since. The demo accounts (admin, leader, supervisor, staff)
share the password documented in the README."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F

from bureau import clock
from bureau.models import Notification
from bureau.notifications import notifications_left_to_outbox
from demo import alerts, assignments, briefings, events, opinions, organisation, proofing, publicity, statistics

# Order matters: later seeders use the people and sections the earlier ones create.
SEEDERS = [organisation, opinions, assignments, events, publicity, proofing, alerts, statistics, briefings]

# Notices older than this were read and e-mailed long ago, as far as the demo is concerned.
SETTLED_AFTER = timedelta(days=2)


class Command(BaseCommand):
    help = "Create or refresh the demo office (idempotent)."

    def handle(self, *args, **options):
        today = clock.today()
        # A year of history writes hundreds of notices: the old ones are settled below, the recent
        # ones go out with the outbox sweep instead of one queued task each.
        with notifications_left_to_outbox(), transaction.atomic():
            for module in SEEDERS:
                counts = module.seed(today=today)
                if options["verbosity"] >= 1:
                    summary = ", ".join(f"{label}: {count}" for label, count in counts.items())
                    self.stdout.write(self.style.SUCCESS(f"{module.__name__}: {summary}"))
            settled = _settle_notifications()
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"notifications settled: {settled}"))


def _settle_notifications() -> int:
    """Mark the history's notices read and e-mailed, as they would be by now."""
    cutoff = clock.now() - SETTLED_AFTER
    old = Notification.objects.filter(created_at__lt=cutoff, email_claimed_at__isnull=True)
    return old.update(read_at=F("created_at"), email_claimed_at=F("created_at"), emailed_at=F("created_at"))

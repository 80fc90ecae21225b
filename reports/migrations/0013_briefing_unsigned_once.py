"""One briefing not yet signed off per period and kind, and one per event (专报): the database
refuses a second (the service then opens the first). Duplicates were resolved by 0012."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_event_search_indexes"),
        ("reports", "0012_briefing_duplicate_drafts"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="briefing",
            constraint=models.UniqueConstraint(
                condition=models.Q(("event__isnull", True), models.Q(("state", "signed"), _negated=True)),
                fields=("kind", "first", "last"),
                name="briefing_unsigned_period_once",
                violation_error_message="This period already has a briefing of this kind that is not signed off.",
            ),
        ),
        migrations.AddConstraint(
            model_name="briefing",
            constraint=models.UniqueConstraint(
                condition=models.Q(("event__isnull", False), models.Q(("state", "signed"), _negated=True)),
                fields=("event",),
                name="briefing_unsigned_event_once",
                violation_error_message="This event already has a special report that is not signed off.",
            ),
        ),
    ]

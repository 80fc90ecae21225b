"""The event list's order (newest first sighting, then newest id) as an index: a page of the list is
read from the top of it, whatever the number of events. Reversing drops it."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0006_event_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["-first_seen_at", "-id"], name="event_recent_idx"),
        ),
    ]

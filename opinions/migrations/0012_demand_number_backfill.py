"""The case number (编号), step 2 of 3: number the existing demands, per local year of receipt, in
the order they were received (ties by id), and set each year's counter to the last number given, so
new demands continue from there.

Reversing clears the numbers and the counters (the previous migration then drops both)."""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations

BATCH = 2000


def number_existing(apps, schema_editor):
    Demand = apps.get_model("opinions", "Demand")
    Counter = apps.get_model("opinions", "DemandNumberCounter")
    zone = ZoneInfo(settings.TIME_ZONE)
    last: dict[int, int] = {}
    pending = []
    rows = Demand.objects.filter(number__isnull=True).order_by("received_at", "pk").only("pk", "received_at")
    for demand in rows.iterator(chunk_size=BATCH):
        year = demand.received_at.astimezone(zone).year
        # Continue after numbers already given (a re-run after a partial one).
        if year not in last:
            counter = Counter.objects.filter(year=year).first()
            last[year] = counter.last if counter else 0
        last[year] += 1
        # The same text as opinions.models.demand_number_text (migrations never import app code).
        demand.number = f"{year}-{last[year]:04d}"
        pending.append(demand)
        if len(pending) >= BATCH:
            Demand.objects.bulk_update(pending, ["number"])
            pending = []
    if pending:
        Demand.objects.bulk_update(pending, ["number"])
    for year, value in last.items():
        Counter.objects.update_or_create(year=year, defaults={"last": value})


def clear_numbers(apps, schema_editor):
    apps.get_model("opinions", "Demand").objects.update(number=None)
    apps.get_model("opinions", "DemandNumberCounter").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0011_demand_number_and_counter"),
    ]

    operations = [migrations.RunPython(number_existing, clear_numbers)]

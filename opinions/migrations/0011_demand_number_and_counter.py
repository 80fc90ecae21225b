"""The case number (编号), step 1 of 3: the per-year counter and a nullable ``Demand.number``.
The next migration numbers the existing rows; the one after makes the number required and unique."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0010_daily_figures_job"),
    ]

    operations = [
        migrations.CreateModel(
            name="DemandNumberCounter",
            fields=[
                ("year", models.PositiveSmallIntegerField(primary_key=True, serialize=False, verbose_name="year")),
                ("last", models.PositiveIntegerField(default=0, verbose_name="last number given")),
            ],
            options={
                "verbose_name": "case number counter",
                "verbose_name_plural": "case number counters",
            },
        ),
        migrations.AddField(
            model_name="demand",
            name="number",
            field=models.CharField(max_length=16, null=True, verbose_name="number"),
        ),
    ]

"""The case number (编号), step 3 of 3: every demand now has one; make it required and unique.
Reversing makes it nullable again."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0012_demand_number_backfill"),
    ]

    operations = [
        migrations.AlterField(
            model_name="demand",
            name="number",
            field=models.CharField(max_length=16, unique=True, verbose_name="number"),
        ),
    ]

"""并单 and its undo: when a repeat was merged and the state it had, so 取消并单 can give it back.
Both columns are new and empty (blank / NULL); reversing drops them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0030_near_duplicates"),
    ]

    operations = [
        migrations.AddField(
            model_name="demand",
            name="merged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="merged at"),
        ),
        migrations.AddField(
            model_name="demand",
            name="state_before_merge",
            field=models.CharField(
                blank=True,
                choices=[
                    ("received", "Received"),
                    ("assigned", "Assigned"),
                    ("in_review", "Reply awaiting review"),
                    ("handed_back", "Handed back"),
                    ("replied", "Replied"),
                    ("completed", "Completed"),
                    ("merged", "Merged as a duplicate"),
                ],
                max_length=20,
                verbose_name="state before merging",
            ),
        ),
    ]

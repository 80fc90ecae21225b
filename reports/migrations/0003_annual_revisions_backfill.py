"""Each summary already final becomes its own revision 1 (第1版), as compiled, checked up to the
archive as it stands: a change recorded from now on marks it. Reverses by removing the revisions."""

from django.db import migrations


def forwards(apps, schema_editor):
    AnnualSummary = apps.get_model("bureau", "AnnualSummary")
    AnnualSummaryRevision = apps.get_model("reports", "AnnualSummaryRevision")
    ArchiveRecord = apps.get_model("archive", "ArchiveRecord")
    watermark = ArchiveRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    for summary in AnnualSummary.objects.filter(is_final=True, revisions__isnull=True):
        AnnualSummaryRevision.objects.create(
            summary=summary,
            number=1,
            figures=summary.figures,
            changes=[],
            compiled_at=summary.compiled_at,
            compiled_by_id=summary.compiled_by_id,
            archive_watermark=watermark,
            checked_up_to=watermark,
        )


def backwards(apps, schema_editor):
    apps.get_model("reports", "AnnualSummaryRevision").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_annual_summary_revisions"),
        ("archive", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

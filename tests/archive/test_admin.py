from django.urls import reverse

from archive.models import ArchiveRecord
from tests.archive.factories import ArchiveRecordFactory


def test_the_admin_lists_and_shows_records_read_only(client_as):
    record = ArchiveRecordFactory()
    admin = client_as("admin")

    assert admin.get(reverse("admin:archive_archiverecord_changelist")).status_code == 200
    assert admin.get(reverse("admin:archive_archiverecord_changelist"), {"q": record.summary}).status_code == 200
    assert admin.get(reverse("admin:archive_archiverecord_change", args=[record.pk])).status_code == 200
    assert admin.get(reverse("admin:archive_archiverecord_add")).status_code == 403


def test_the_admin_refuses_changes(client_as):
    record = ArchiveRecordFactory(summary="原文")

    response = client_as("admin").post(
        reverse("admin:archive_archiverecord_change", args=[record.pk]), {"summary": "改过"}
    )

    assert response.status_code == 403
    assert ArchiveRecord.objects.get(pk=record.pk).summary == "原文"


def test_the_admin_refuses_delete(client_as):
    record = ArchiveRecordFactory()
    admin = client_as("admin")

    assert admin.get(reverse("admin:archive_archiverecord_delete", args=[record.pk])).status_code == 403
    assert (
        admin.post(reverse("admin:archive_archiverecord_delete", args=[record.pk]), {"post": "yes"}).status_code == 403
    )
    assert ArchiveRecord.objects.filter(pk=record.pk).exists()


def test_the_admin_offers_no_bulk_delete(client_as):
    record = ArchiveRecordFactory()
    admin = client_as("admin")

    changelist = admin.get(reverse("admin:archive_archiverecord_changelist"))
    admin.post(
        reverse("admin:archive_archiverecord_changelist"),
        {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"},
    )

    assert "delete_selected" not in changelist.content.decode()
    assert ArchiveRecord.objects.filter(pk=record.pk).exists()

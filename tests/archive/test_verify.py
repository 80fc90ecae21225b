"""archive_verify walks the chain and names the first record that does not hold."""

from archive.models import ArchiveRecord
from archive.services import BreakReason, archive_verify, record_hash
from tests.archive.factories import ArchiveRecordFactory

TABLE = ArchiveRecord._meta.db_table


def test_a_clean_chain_verifies(db):
    records = ArchiveRecordFactory.create_batch(5)

    result = archive_verify(batch_size=2)  # several batches, and a boundary inside the chain

    assert result.ok
    assert result.checked == 5
    assert result.broken_id is None
    assert result.last_hash == records[-1].record_hash


def test_an_empty_archive_verifies(db):
    result = archive_verify()

    assert (result.ok, result.checked) == (True, 0)


def test_an_altered_record_is_named(tamper):
    records = ArchiveRecordFactory.create_batch(5)
    tamper(f'UPDATE "{TABLE}" SET summary = %s WHERE id = %s', ["篡改", records[2].pk])

    result = archive_verify(batch_size=2)

    assert not result.ok
    assert (result.broken_id, result.reason, result.checked) == (records[2].pk, BreakReason.CONTENT_CHANGED, 3)
    assert result.broken_action == records[2].action
    assert result.broken_at == records[2].created_at
    assert result.reason_text


def test_altered_json_is_noticed(tamper):
    records = ArchiveRecordFactory.create_batch(3)
    tamper(f'UPDATE "{TABLE}" SET after = after || \'{{"state": "closed"}}\'::jsonb WHERE id = %s', [records[0].pk])

    result = archive_verify()

    assert (result.broken_id, result.reason) == (records[0].pk, BreakReason.CONTENT_CHANGED)


def test_a_removed_record_breaks_the_link_of_the_next(tamper):
    records = ArchiveRecordFactory.create_batch(5)
    tamper(f'DELETE FROM "{TABLE}" WHERE id = %s', [records[1].pk])

    result = archive_verify()

    assert (result.broken_id, result.reason) == (records[2].pk, BreakReason.LINK_BROKEN)


def test_a_rewritten_record_with_a_recomputed_hash_breaks_the_next_link(tamper):
    records = ArchiveRecordFactory.create_batch(4)
    forged = ArchiveRecord.objects.get(pk=records[1].pk)
    forged.summary = "伪造"
    tamper(
        f'UPDATE "{TABLE}" SET summary = %s, record_hash = %s WHERE id = %s',
        [forged.summary, record_hash(forged), forged.pk],
    )

    result = archive_verify()

    assert (result.broken_id, result.reason) == (records[2].pk, BreakReason.LINK_BROKEN)


# --- The newest records removed: the anchors ----------------------------------------------------


def test_removing_the_newest_records_is_seen_by_the_next_check(tamper, cast, settings):
    """The chain alone verifies after its tail is cut; the head the last check stored does not."""
    from archive.models import ArchiveCheck
    from archive.services import archive_check_run
    from bureau.models import Notification

    records = ArchiveRecordFactory.create_batch(5)
    first = archive_check_run(source=ArchiveCheck.Source.PAGE)
    assert (first.is_ok, first.records_checked, first.last_record_id) == (True, 5, records[-1].pk)

    tamper(f'DELETE FROM "{TABLE}" WHERE id >= %s', [records[3].pk])  # the newest two
    assert archive_verify().ok  # the cut chain verifies on its own

    second = archive_check_run(source=ArchiveCheck.Source.PAGE)
    assert second.is_ok is False
    assert second.broken_reason == BreakReason.TRUNCATED
    assert second.broken_record_id == records[-1].pk
    assert Notification.objects.filter(kind="archive.chain_broken").exists()


def test_the_file_outside_the_database_sees_it_when_the_checks_were_removed_too(tamper, settings, tmp_path):
    from archive.models import ArchiveCheck
    from archive.services import archive_check_run

    settings.ARCHIVE_ANCHOR_PATH = str(tmp_path / "backup" / "archive-head.txt")
    records = ArchiveRecordFactory.create_batch(4)
    archive_check_run(source=ArchiveCheck.Source.NIGHTLY)
    head = (tmp_path / "backup" / "archive-head.txt").read_text().split()
    assert head == [str(records[-1].pk), records[-1].record_hash, "4"]

    tamper(f'DELETE FROM "{TABLE}" WHERE id = %s', [records[-1].pk])
    ArchiveCheck.objects.all().delete()  # whoever cut the tail also removed the stored checks

    check = archive_check_run(source=ArchiveCheck.Source.PAGE)
    assert (check.is_ok, check.broken_reason) == (False, BreakReason.ANCHOR_MISMATCH)


def test_a_growing_chain_passes_its_anchors(db, settings, tmp_path):
    from archive.models import ArchiveCheck
    from archive.services import archive_check_run

    ArchiveRecordFactory.create_batch(3)
    archive_check_run(source=ArchiveCheck.Source.NIGHTLY)
    ArchiveRecordFactory.create_batch(2)
    check = archive_check_run(source=ArchiveCheck.Source.PAGE)
    assert (check.is_ok, check.records_checked) == (True, 5)

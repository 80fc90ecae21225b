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

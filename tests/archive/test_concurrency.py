"""Two appends at once on PostgreSQL: the second waits for the chain lock and links to the record
the first committed (its INSERT reads the head after the lock is granted, not before)."""

import threading
import time

import pytest
from django.db import connection, transaction

from archive.models import ArchiveRecord
from archive.services import archive_record, archive_verify

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("committed_db"),
]


def test_an_append_waiting_for_the_lock_links_to_the_record_committed_meanwhile():
    if connection.vendor != "postgresql":
        pytest.skip("the chain lock is PostgreSQL's")
    archive_record(action="test.thing.made", summary="第一条")
    holding, errors = threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                archive_record(action="test.thing.made", summary="第二条")
                holding.set()
                time.sleep(1)  # the second append waits for the lock all this time
        except Exception as error:  # noqa: BLE001 - reported by the assert below
            errors.append(error)
        finally:
            holding.set()
            connection.close()

    def second():
        try:
            holding.wait(10)
            archive_record(action="test.thing.made", summary="第三条")
        except Exception as error:  # noqa: BLE001 - reported by the assert below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors
    summaries = list(ArchiveRecord.objects.order_by("pk").values_list("summary", "previous_hash", "record_hash"))
    assert [summary for summary, _previous, _hash in summaries] == ["第一条", "第二条", "第三条"]
    assert summaries[2][1] == summaries[1][2]
    assert archive_verify().ok

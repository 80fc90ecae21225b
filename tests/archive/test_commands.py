from io import StringIO

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line
from django.utils import translation

from archive.models import ArchiveRecord
from tests.archive.factories import ArchiveRecordFactory

TABLE = ArchiveRecord._meta.db_table


@pytest.fixture(autouse=True)
def _english():
    """The assertions read English output; the Chinese catalogue must not break them."""
    with translation.override("en"):
        yield


def test_verify_archive_reports_an_intact_chain(db):
    ArchiveRecordFactory.create_batch(3)
    out = StringIO()

    call_command("verify_archive", stdout=out)

    assert "intact" in out.getvalue()
    assert "3 records checked" in out.getvalue()


def test_verify_archive_is_quiet_at_verbosity_zero_and_shows_the_head_at_two(db):
    newest = ArchiveRecordFactory.create_batch(2)[-1]
    quiet, loud = StringIO(), StringIO()

    call_command("verify_archive", verbosity=0, stdout=quiet)
    call_command("verify_archive", verbosity=2, stdout=loud)

    assert quiet.getvalue() == ""
    assert newest.record_hash in loud.getvalue()


def test_verify_archive_names_the_first_broken_record(tamper):
    records = ArchiveRecordFactory.create_batch(4)
    tamper(f'UPDATE "{TABLE}" SET summary = %s WHERE id = %s', ["篡改", records[1].pk])

    with pytest.raises(CommandError) as error:
        call_command("verify_archive", batch_size=3)

    message = str(error.value)
    assert f"record {records[1].pk} " in message
    assert records[1].action in message
    assert "altered" in message


def test_verify_archive_exits_non_zero_when_broken(tamper, capsys, monkeypatch):
    # run_from_argv closes every connection when it ends, which would end this test's transaction.
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    records = ArchiveRecordFactory.create_batch(2)
    execute_from_command_line(["manage.py", "verify_archive"])  # intact: returns normally
    tamper(f'DELETE FROM "{TABLE}" WHERE id = %s', [records[0].pk])

    with pytest.raises(SystemExit) as exit_info:
        execute_from_command_line(["manage.py", "verify_archive"])

    assert exit_info.value.code == 1
    assert f"record {records[1].pk} " in capsys.readouterr().err


def test_verify_archive_refuses_a_batch_size_below_one(db):
    with pytest.raises(CommandError, match="batch-size"):
        call_command("verify_archive", batch_size=0)

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import RequestFactory

from archive.models import ArchiveRecord
from archive.services import archive_record, archive_verify, record_hash
from tests.factories import DepartmentFactory, PersonFactory


def test_records_chain_their_hashes(db):
    department = DepartmentFactory()
    first = archive_record(action="bureau.department.created", target=department)
    second = archive_record(action="bureau.department.renamed", target=department, before={"name": "a"})
    third = archive_record(action="bureau.department.renamed", target=department, after={"name": "b"})

    assert first.previous_hash == ""
    assert second.previous_hash == first.record_hash
    assert third.previous_hash == second.record_hash
    assert len({first.record_hash, second.record_hash, third.record_hash}) == 3


def test_hash_survives_the_round_trip_through_the_database(db):
    """Values come back from PostgreSQL in other forms (UTC times, jsonb, inet); the hash must not care."""
    shanghai_now = datetime(2025, 3, 1, 23, 30, 15, 123456, tzinfo=ZoneInfo("Asia/Shanghai"))
    request = RequestFactory().get("/", REMOTE_ADDR="::ffff:192.0.2.7")
    written = archive_record(
        action="opinions.demand.replied",
        target=DepartmentFactory(),
        before={"due_at": shanghai_now, "amount": Decimal("1.50"), "nested": {"b": 2, "a": [1, None]}},
        after={"text": "回复 <b>内容</b>"},
        request=request,
        now=shanghai_now,
    )
    stored = ArchiveRecord.objects.get(pk=written.pk)

    assert record_hash(stored) == written.record_hash
    assert archive_verify().ok


def test_the_record_describes_actor_and_target(db):
    person = PersonFactory(name="王科长")
    department = DepartmentFactory(name="办公室")

    record = archive_record(action="bureau.department.renamed", actor=person.user, target=department, summary="改名")

    assert (record.actor, record.actor_name) == (person.user, "王科长")
    assert (record.target_type, record.target_id, record.target_text) == (
        "bureau.department",
        str(department.pk),
        "办公室",
    )


def test_a_deleted_object_is_described_by_its_type_id_and_text(db):
    record = archive_record(
        action="bureau.department.deleted", target_type="bureau.department", target_id="7", target_text="旧科室"
    )

    assert (record.target_type, record.target_id, record.target_text) == ("bureau.department", "7", "旧科室")


def test_a_target_given_both_ways_is_refused(db):
    with pytest.raises(ValueError, match="either target"):
        archive_record(action="bureau.department.deleted", target=DepartmentFactory(), target_id="7")


def test_an_anonymous_actor_is_recorded_as_nobody(db):
    from django.contrib.auth.models import AnonymousUser

    record = archive_record(action="bureau.user.login_failed", actor=AnonymousUser())

    assert record.actor is None
    assert record.actor_name == ""


def test_a_malformed_address_or_overlong_name_does_not_fail_the_write(db):
    request = RequestFactory().get("/", REMOTE_ADDR="not-an-address")

    record = archive_record(action="bureau.user.login_failed", actor_name="x" * 500 + "\x00", request=request)

    assert record.ip_address is None
    assert record.actor_name == "x" * 150
    assert archive_verify().ok


def test_records_refuse_changes_in_python(db):
    record = archive_record(action="bureau.department.created", summary="原文")

    record.summary = "改过"
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        record.delete()
    with pytest.raises(PermissionError):
        ArchiveRecord.objects.filter(pk=record.pk).update(summary="改过")
    with pytest.raises(PermissionError):
        ArchiveRecord.objects.filter(pk=record.pk).delete()
    with pytest.raises(PermissionError):
        ArchiveRecord.objects.bulk_create([ArchiveRecord(action="x.y.z", record_hash="0" * 64)])
    assert ArchiveRecord.objects.get(pk=record.pk).summary == "原文"

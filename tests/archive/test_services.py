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


def test_the_hashed_text_is_the_sorted_compact_json_of_the_record(db):
    """The append writes the text key by key around the link; it must be the same text as the whole
    object dumped at once (sorted keys, compact, unescaped Chinese), nested values included."""
    import hashlib
    import json
    from datetime import UTC

    from archive.services import record_content

    actor = PersonFactory().user
    first = archive_record(action="test.thing.made", actor=actor, summary="第一条")
    record = archive_record(
        action="test.thing.changed",
        actor=actor,
        summary='引号 " 与反斜杠 \\ 以及换行\n',
        ip_address="2001:db8::1",
        target_type="test.thing",
        target_id="7",
        target_text="事项七",
        before={"状态": "草稿", "n": [1, 2.5, None, True], "z": {"b": 1, "a": Decimal("1.10")}},
        after={"at": datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))},
    )
    stored = ArchiveRecord.objects.get(pk=record.pk)
    whole = json.dumps(
        {
            "created_at": stored.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_id": actor.pk,
            "actor_name": stored.actor_name,
            "ip_address": "2001:db8::1",
            "action": "test.thing.changed",
            "target_type": "test.thing",
            "target_id": "7",
            "target_text": "事项七",
            "summary": '引号 " 与反斜杠 \\ 以及换行\n',
            "before": {"状态": "草稿", "n": [1, 2.5, None, True], "z": {"b": 1, "a": "1.10"}},
            "after": {"at": "2026-03-02T09:00:00+08:00"},
            "previous_hash": first.record_hash,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )
    assert record_content(stored) == whole
    assert stored.previous_hash == first.record_hash
    assert stored.record_hash == record.record_hash == hashlib.sha256(whole.encode("utf-8")).hexdigest()
    assert record_hash(stored) == stored.record_hash
    assert archive_verify().ok


def test_an_append_is_one_round_trip_after_the_callers_own(db, django_assert_num_queries):
    """The lock and one INSERT ... SELECT that links and hashes, sent together (PostgreSQL); no
    savepoint."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the one-statement append is PostgreSQL's")
    archive_record(action="test.thing.made", summary="第一条")
    with django_assert_num_queries(1) as captured:
        archive_record(action="test.thing.made", actor_name="基准", summary="第二条")
    assert captured.captured_queries[0]["sql"].lstrip().startswith("SELECT pg_advisory_xact_lock(724301);")
    assert archive_verify().checked == 2

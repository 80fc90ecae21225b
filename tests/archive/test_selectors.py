from datetime import datetime
from zoneinfo import ZoneInfo

from archive.models import ArchiveRecord
from archive.selectors import archive_history_for, archive_record_list
from archive.services import archive_record
from tests.archive.factories import ArchiveRecordFactory
from tests.factories import DepartmentFactory, PersonFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _ids(records) -> list[int]:
    return [record.pk for record in records]


def test_the_list_is_newest_first(cast):
    records = ArchiveRecordFactory.create_batch(3)

    listed = archive_record_list(user=cast["supervisor"].user, filters={})

    assert _ids(listed)[:3] == [r.pk for r in reversed(records)]


def test_someone_without_the_permission_sees_nothing(cast):
    ArchiveRecordFactory.create_batch(2)

    assert not archive_record_list(user=cast["staff"].user, filters={}).exists()


def test_filter_by_action_prefix(cast):
    replied = archive_record(action="opinions.demand.replied")
    taken_down = archive_record(action="opinions.post.taken_down")
    archive_record(action="publicity.post.approved")
    user = cast["supervisor"].user

    assert _ids(archive_record_list(user=user, filters={"action": "opinions."})) == [taken_down.pk, replied.pk]
    assert _ids(archive_record_list(user=user, filters={"action": "opinions.demand.replied"})) == [replied.pk]


def test_filter_by_actor_and_object_type(cast):
    person = PersonFactory()
    mine = archive_record(action="bureau.department.renamed", actor=person.user, target=DepartmentFactory())
    archive_record(action="bureau.department.renamed", target=DepartmentFactory())
    archive_record(action="bureau.person.role_changed", actor=person.user, target=person)
    user = cast["supervisor"].user

    listed = archive_record_list(user=user, filters={"actor": str(person.user.pk), "target_type": "bureau.department"})

    assert _ids(listed) == [mine.pk]


def test_the_date_range_counts_office_days_not_utc_days(cast):
    late_evening = archive_record(action="a.b.late", now=datetime(2025, 3, 1, 23, 30, tzinfo=SHANGHAI))  # 15:30 UTC
    just_after_midnight = archive_record(action="a.b.next", now=datetime(2025, 3, 2, 0, 10, tzinfo=SHANGHAI))
    early_morning = archive_record(action="a.b.early", now=datetime(2025, 3, 1, 0, 5, tzinfo=SHANGHAI))  # 2/28 UTC
    user = cast["supervisor"].user

    first_of_march = archive_record_list(user=user, filters={"date_from": "2025-03-01", "date_to": "2025-03-01"})
    from_second = archive_record_list(user=user, filters={"date_from": "2025-03-02"})

    assert set(_ids(first_of_march)) == {late_evening.pk, early_morning.pk}
    assert just_after_midnight.pk in _ids(from_second)
    assert late_evening.pk not in _ids(from_second)


def test_search_looks_in_summary_object_and_name(cast):
    in_summary = archive_record(action="a.b.c", summary="删除了涉赌帖子")
    in_target = archive_record(action="a.b.c", target=DepartmentFactory(name="涉赌举报科"))
    in_name = archive_record(action="bureau.user.login_failed", actor_name="涉赌用户")
    archive_record(action="a.b.c", summary="其他")
    user = cast["supervisor"].user

    listed = archive_record_list(user=user, filters={"q": "涉赌"})

    assert set(_ids(listed)) == {in_summary.pk, in_target.pk, in_name.pk}


def test_invalid_filter_values_are_ignored(cast):
    record = archive_record(action="a.b.c")

    listed = archive_record_list(user=cast["supervisor"].user, filters={"date_from": "not-a-date", "actor": "99999"})

    assert record.pk in _ids(listed)


def test_history_is_one_objects_records_newest_first(db):
    department, other = DepartmentFactory(), DepartmentFactory()
    created = archive_record(action="bureau.department.created", target=department)
    archive_record(action="bureau.department.created", target=other)
    renamed = archive_record(action="bureau.department.renamed", target=department)

    assert _ids(archive_history_for(target=department)) == [renamed.pk, created.pk]
    assert ArchiveRecord.objects.count() == 3

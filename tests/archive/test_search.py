"""The archive search: constant queries whatever the rows and filters, office days, object filter."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import ArchiveCheck
from archive.selectors import archive_record_list
from archive.services import archive_check_run, archive_record
from tests.archive.factories import ArchiveRecordFactory
from tests.factories import DepartmentFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
LIST_URL = reverse("archive:record-list")

FILTERS = [
    {},
    {"q": "处理"},
    {"action": "opinions."},
    {"target_type": "bureau.department"},
    {"target_type": "bureau.department", "target_id": "1"},
    {"actor": "ACTOR"},
    {"date_from": "2020-01-01", "date_to": "2099-12-31"},
    {"q": "处理", "action": "opinions.", "date_from": "2020-01-01"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "+".join(f) or "none")
@pytest.mark.parametrize("role", ["supervisor", "leader"])  # the leader also sees the latest check
def test_the_list_runs_the_same_queries_for_few_and_many_records(client_as, filters, role):
    client = client_as(role)
    first = ArchiveRecordFactory.create_batch(4)
    params = {key: str(first[0].actor.pk) if value == "ACTOR" else value for key, value in filters.items()}
    archive_check_run(source=ArchiveCheck.Source.COMMAND)
    client.get(LIST_URL, params)  # settle the session and caches
    with CaptureQueriesContext(connection) as small:
        assert client.get(LIST_URL, params).status_code == 200
    ArchiveRecordFactory.create_batch(60, actor=first[0].actor)
    with CaptureQueriesContext(connection) as large:
        client.get(LIST_URL, params)

    assert len(large) == len(small), [query["sql"] for query in large.captured_queries]


def test_text_search_and_day_range_together_use_office_days(cast):
    inside = archive_record(action="a.b.c", summary="删除涉赌帖子", now=datetime(2025, 3, 1, 0, 30, tzinfo=SHANGHAI))
    archive_record(action="a.b.c", summary="删除涉赌帖子", now=datetime(2025, 2, 28, 23, 50, tzinfo=SHANGHAI))
    archive_record(action="a.b.c", summary="其他", now=datetime(2025, 3, 1, 12, 0, tzinfo=SHANGHAI))

    listed = archive_record_list(
        user=cast["supervisor"].user, filters={"q": "涉赌", "date_from": "2025-03-01", "date_to": "2025-03-01"}
    )

    assert [record.pk for record in listed] == [inside.pk]


def test_everything_about_one_object_is_one_filter(cast, client_as):
    department, other = DepartmentFactory(), DepartmentFactory()
    mine = [archive_record(action=f"bureau.department.step{n}", target=department) for n in range(3)]
    archive_record(action="bureau.department.step0", target=other)

    listed = archive_record_list(
        user=cast["supervisor"].user, filters={"target_type": "bureau.department", "target_id": str(department.pk)}
    )

    assert [record.pk for record in listed] == [record.pk for record in reversed(mine)]
    detail = client_as("supervisor").get(reverse("archive:record-detail", args=[mine[0].pk])).content.decode()
    assert f"?target_type=bureau.department&amp;target_id={department.pk}" in detail


def test_the_latest_check_is_shown_only_to_those_who_may_run_it(client_as, tamper):
    records = ArchiveRecordFactory.create_batch(2)
    archive_check_run(source=ArchiveCheck.Source.NIGHTLY)

    leader_page = client_as("leader").get(LIST_URL).content.decode()
    supervisor_page = client_as("supervisor").get(LIST_URL).content.decode()

    assert 'data-ok="true"' in leader_page
    assert 'data-testid="check-status"' not in supervisor_page

    tamper(
        f'UPDATE "{ArchiveRecordFactory._meta.model._meta.db_table}" SET summary = %s WHERE id = %s',
        ["篡改", records[0].pk],
    )
    archive_check_run(source=ArchiveCheck.Source.COMMAND)

    leader_page = client_as("leader").get(LIST_URL).content.decode()
    assert 'data-ok="false"' in leader_page
    assert reverse("archive:record-detail", args=[records[0].pk]) in leader_page

from zoneinfo import ZoneInfo

from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.models import ArchiveCheck, ArchiveRecord
from archive.selectors import archive_history_for
from archive.services import archive_record
from tests.archive.factories import ArchiveRecordFactory
from tests.factories import DepartmentFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")

TABLE = ArchiveRecord._meta.db_table
LIST_URL = reverse("archive:record-list")


def test_anonymous_visitors_are_sent_to_login(client, db):
    response = client.get(LIST_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_staff_without_the_permission_get_403(client_as):
    assert client_as("staff").get(LIST_URL).status_code == 403


def test_a_supervisor_sees_the_list(client_as):
    record = archive_record(action="opinions.post.taken_down", summary="删除涉黄帖子")

    response = client_as("supervisor").get(LIST_URL)

    assert response.status_code == 200
    assert record in response.context["records"]
    assert "删除涉黄帖子" in response.content.decode()


def test_the_list_filters_and_keeps_the_filters_across_pages(client_as):
    ArchiveRecordFactory.create_batch(55, action="opinions.demand.replied")
    other = archive_record(action="publicity.post.approved")

    response = client_as("supervisor").get(LIST_URL, {"action": "opinions.", "page": 1})

    records = list(response.context["records"])
    assert len(records) == 50
    assert other not in records
    assert response.context["page"].has_next  # 55 records: a second page, found without counting them
    assert response.context["query_string"] == "action=opinions."
    assert "?action=opinions.&amp;page=2" in response.content.decode()


def test_pages_are_found_without_a_count(client_as):
    client = client_as("supervisor")  # logging in is archived: one record
    ArchiveRecordFactory.create_batch(55)  # 56 records, 50 a page: page 2 holds the last 6

    with CaptureQueriesContext(connection) as queries:
        second = client.get(LIST_URL, {"page": 2})
    past = client.get(LIST_URL, {"page": 99999})

    assert second.status_code == 200
    assert (second.context["page"].number, len(second.context["records"])) == (2, 6)
    assert not second.context["page"].has_next
    assert not any("COUNT(" in query["sql"].upper() for query in queries.captured_queries)
    # Past the end (the last page a person may ask for is 500): an empty page that links back.
    assert past.status_code == 200
    assert (past.context["page"].number, len(past.context["records"])) == (500, 0)
    assert "page=499" in past.content.decode()


def test_an_invalid_filter_shows_its_error(client_as):
    response = client_as("supervisor").get(LIST_URL, {"date_from": "2025-03-02", "date_to": "2025-03-01"})

    assert response.status_code == 200
    assert response.context["filter_form"].errors["date_to"]


def test_the_list_runs_the_same_queries_for_5_and_60_records(client_as):
    client = client_as("supervisor")
    client.get(LIST_URL)  # first request of the session: settle the session and caches
    ArchiveRecordFactory.create_batch(5)
    with CaptureQueriesContext(connection) as small:
        client.get(LIST_URL, {"q": "处理"})
    ArchiveRecordFactory.create_batch(55)
    with CaptureQueriesContext(connection) as large:
        response = client.get(LIST_URL, {"q": "处理"})

    assert len(response.context["records"]) == 50
    assert len(large) == len(small), [query["sql"] for query in large.captured_queries]


def test_the_detail_page_shows_before_and_after_as_escaped_text(client_as, cast):
    record = archive_record(
        action="opinions.demand.replied",
        actor=cast["staff"].user,
        summary="<b>回复</b>",
        before={"state": "received", "reply_text": "<script>alert(1)</script>"},
        after={"state": "replied", "replied_at": "2025-03-01T10:00:00+08:00"},
    )

    response = client_as("supervisor").get(reverse("archive:record-detail", args=[record.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;回复&lt;/b&gt;" in page
    assert ("state", '"received"', '"replied"') in record.changes
    assert ("replied_at", None, '"2025-03-01T10:00:00+08:00"') in record.changes
    assert record.record_hash in page


def test_the_detail_page_needs_the_permission(client_as):
    record = archive_record(action="a.b.c")

    assert client_as("staff").get(reverse("archive:record-detail", args=[record.pk])).status_code == 403
    assert client_as("supervisor").get(reverse("archive:record-detail", args=[record.pk + 1000])).status_code == 404


def test_the_chain_check_page_reports_an_intact_chain_and_stores_it(client_as, cast):
    ArchiveRecordFactory.create_batch(3)
    client = client_as("leader")

    assert client.get(reverse("archive:verify")).status_code == 200
    total = ArchiveRecord.objects.count()  # the three, and the leader's login
    response = client.post(reverse("archive:verify"), follow=True, HTTP_ACCEPT_LANGUAGE="en")

    check = ArchiveCheck.objects.get()
    assert (check.source, check.checked_by, check.is_ok) == ("page", cast["leader"].user, True)
    assert check.records_checked == total
    assert response.context["result"] == check
    assert list(response.context["history"]) == [check]
    assert 'data-ok="true"' in response.content.decode()


def test_the_chain_check_page_names_the_broken_record(client_as, tamper):
    records = ArchiveRecordFactory.create_batch(3)
    tamper(f'UPDATE "{TABLE}" SET summary = %s WHERE id = %s', ["篡改", records[1].pk])

    response = client_as("admin").post(reverse("archive:verify"), follow=True)

    assert response.context["result"].broken_record_id == records[1].pk
    page = response.content.decode()
    assert 'data-ok="false"' in page
    assert reverse("archive:record-detail", args=[records[1].pk]) in page


def test_the_chain_check_needs_its_permission(client_as):
    # Supervisors may read the archive but not run the check.
    assert client_as("supervisor").post(reverse("archive:verify")).status_code == 403


def test_the_history_partial_lists_records(db):
    department = DepartmentFactory()
    record = archive_record(action="bureau.department.renamed", target=department, summary="<i>改名</i>")

    html = render_to_string("archive/_history.html", {"history": archive_history_for(target=department)})

    assert "bureau.department.renamed" in html
    assert "&lt;i&gt;改名&lt;/i&gt;" in html
    assert record.created_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") in html

"""The archive's xlsx export: the filtered range, opened back and read cell by cell."""

from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from archive.models import ArchiveRecord
from archive.services import archive_record
from tests.archive.factories import ArchiveRecordFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
EXPORT_URL = reverse("archive:record-export")


def _sheet(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return workbook.worksheets[0]


def test_the_export_writes_the_filtered_records_cell_by_cell(client_as, cast):
    formula = archive_record(
        action="opinions.demand.replied",
        actor=cast["staff"].user,
        summary='=HYPERLINK("http://evil.example","点我")',
        target_type="opinions.demand",
        target_id="17",
        target_text="+1 投诉网吧",
        ip_address="10.1.2.3",
        now=datetime(2025, 3, 1, 0, 30, tzinfo=SHANGHAI),  # 2025-02-28 16:30 UTC
    )
    archive_record(action="publicity.post.approved", summary="不在筛选范围")
    day_before = datetime(2025, 2, 28, 23, 0, tzinfo=SHANGHAI)
    archive_record(action="opinions.post.taken_down", summary="前一天", now=day_before)

    response = client_as("supervisor").get(
        EXPORT_URL,
        {"action": "opinions.", "date_from": "2025-03-01", "date_to": "2025-03-01"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    sheet = _sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Record", "Time", "By", "IP address", "Action", "Object type", "Object id", "Object", "Summary")
    assert len(rows) == 2
    record_id, time, by, ip, action, target_type, target_id, target_text, summary = rows[1]
    assert record_id == formula.pk
    assert time == datetime(2025, 3, 1, 0, 30)  # local time, no zone
    assert (by, ip, action) == (cast["staff"].name, "10.1.2.3", "Replied")  # named, not the code
    assert (target_type, target_id) == ("Demand", "17")
    assert target_text == "'+1 投诉网吧"
    assert summary == '\'=HYPERLINK("http://evil.example","点我")'
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["I"].width == 60
    assert sheet["B2"].number_format.startswith("yyyy-mm-dd")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_export_has_chinese_headings(client_as):
    archive_record(action="opinions.post.taken_down", target_type="opinions.post", target_id="5")

    with translation.override("zh-hans"):
        sheet = _sheet(
            client_as("supervisor").get(
                EXPORT_URL, {"action": "opinions.post.taken_down"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
            )
        )

    assert sheet.max_row == 2
    assert sheet.title == "档案"
    assert [cell.value for cell in sheet[1]][:6] == ["档案编号", "时间", "操作人", "IP 地址", "操作", "对象类型"]
    assert (sheet["E2"].value, sheet["F2"].value) == ("删除违禁帖子", "帖子")


def test_the_list_page_export_button_keeps_the_filters(client_as):
    archive_record(action="opinions.demand.replied")

    page = client_as("supervisor").get(reverse("archive:record-list"), {"action": "opinions.", "q": "网吧"})

    assert f"{EXPORT_URL}?action=opinions.&amp;q=%E7%BD%91%E5%90%A7" in page.content.decode()


def test_the_export_is_archived_with_its_filters(client_as, cast):
    ArchiveRecordFactory.create_batch(3, action="opinions.demand.replied")

    _sheet(client_as("supervisor").get(EXPORT_URL, {"action": "opinions.", "page": "2", "junk": "x"}))

    record = ArchiveRecord.objects.order_by("-pk").first()
    assert record.action == "archive.record.exported"
    assert record.actor == cast["supervisor"].user
    assert record.after == {"filters": {"action": "opinions."}, "rows": 3, "format": "xlsx"}
    assert record.ip_address == "127.0.0.1"


def test_the_export_needs_the_archive_permission(client, client_as, db):
    assert client_as("staff").get(EXPORT_URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 302
    assert not ArchiveRecord.objects.filter(action="archive.record.exported").exists()


def test_the_export_runs_the_same_queries_for_few_and_many_records(client_as):
    client = client_as("supervisor")
    ArchiveRecordFactory.create_batch(3)
    _sheet(client.get(EXPORT_URL, {"q": "处理"}))
    with CaptureQueriesContext(connection) as small:
        _sheet(client.get(EXPORT_URL, {"q": "处理"}))
    ArchiveRecordFactory.create_batch(40)
    with CaptureQueriesContext(connection) as large:
        sheet = _sheet(client.get(EXPORT_URL, {"q": "处理"}))

    assert sheet.max_row == 44
    assert len(large) == len(small), [query["sql"] for query in large.captured_queries]

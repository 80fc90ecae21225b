"""The task sheet, the report upward and the week and month rosters: print pages, Word documents
(opened with python-docx) and the rosters' xlsx (opened with openpyxl)."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.assignments.factories import (
    CountyTaskFactory,
    IncidentReportFactory,
    NightShiftTypeFactory,
    ShiftAssignmentFactory,
    ShiftFactory,
    ShiftTypeFactory,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
EAST_ASIA = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _docx(response):
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    return Document(io.BytesIO(response.content))


def _text(document) -> str:
    """Every paragraph and every cell's text, one string (merged cells appear more than once)."""
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _is_a4_portrait(document) -> bool:
    section = document.sections[0]
    # 210 x 297 mm (Word stores twentieths of a point, so compare whole millimetres); GB/T 9704's
    # left margin 28 mm; portrait.
    sizes = (section.page_width.mm, section.page_height.mm, section.left_margin.mm)
    return tuple(round(size) for size in sizes) == (210, 297, 28) and section.orientation == 0


@pytest.fixture
def task(cast):
    return CountyTaskFactory(
        handler=cast["staff"],
        reference="县网宣交〔2026〕7号",
        title="关于某网吧接纳未成年人的舆情交办单",
        feedback="已会同执法大队现场核查，责令整改。",
    )


def test_task_sheet_prints_and_downloads_as_word(client_as, task):
    client = client_as("supervisor")
    page = client.get(reverse("assignments:task-print", args=[task.pk])).content.decode()
    assert 'data-testid="print-button">打印</button>' in page  # 打印, not the outlet kind 纸媒
    assert 'data-testid="shortened"' not in page  # short texts print whole
    assert reverse("assignments:task-word", args=[task.pk]) in page
    # Its stylesheet link was written rel=\"stylesheet\" (backslashes in the HTML), so no style loaded.
    assert '<link rel="stylesheet" href="/static/css/print.css">' in page
    document = _docx(client.get(reverse("assignments:task-word", args=[task.pk])))
    assert _is_a4_portrait(document)
    text = _text(document)
    assert "关于某网吧接纳未成年人的舆情交办单" in text
    assert "县网宣交〔2026〕7号" in text
    assert "已会同执法大队现场核查，责令整改。" in text
    assert cast_name(task.handler) in text
    # The sheet's title in 小标宋 (w:eastAsia), as the official format wants.
    # Cells in 仿宋 (w:eastAsia), digits and Latin letters in Times New Roman.
    run = document.tables[0].rows[0].cells[1].paragraphs[0].runs[0]
    assert run.font.name == "Times New Roman"
    assert run._element.rPr.rFonts.get(EAST_ASIA) == "仿宋_GB2312"
    title = document.paragraphs[0]
    assert title.text == "交办任务办理反馈单"
    assert (
        title.runs[0]._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "方正小标宋简体"
    )


def cast_name(person) -> str:
    return person.name


def test_task_word_is_checked_like_the_task(client_as, cast, task):
    url = reverse("assignments:task-word", args=[task.pk])
    assert client_as("staff").get(url).status_code == 200  # the handler
    outsider = client_as("outsider")
    assert outsider.get(url).status_code == 403
    assert outsider.get(reverse("assignments:task-print", args=[task.pk])).status_code == 403


def test_a_task_another_handler_has_is_a_404(client, task):
    other = PersonFactory(user__username="other-staff")
    client.force_login(other.user)
    assert client.get(reverse("assignments:task-word", args=[task.pk])).status_code == 404
    assert client.get(reverse("assignments:task-print", args=[task.pk])).status_code == 404


def test_task_page_links_print_and_word(client_as, task):
    page = client_as("supervisor").get(reverse("assignments:task-detail", args=[task.pk])).content.decode()
    assert reverse("assignments:task-print", args=[task.pk]) in page
    assert reverse("assignments:task-word", args=[task.pk]) in page


def test_report_upward_prints_and_downloads_as_word(client_as, cast):
    report = IncidentReportFactory(title="景区门票价格舆情", reported_by=cast["supervisor"])
    client = client_as("supervisor")
    detail = client.get(reverse("assignments:report-detail", args=[report.pk])).content.decode()
    assert reverse("assignments:report-word", args=[report.pk]) in detail
    page = client.get(reverse("assignments:report-print", args=[report.pk])).content.decode()
    assert 'data-testid="print-button">打印</button>' in page
    assert '<link rel="stylesheet" href="/static/css/print.css">' in page
    document = _docx(client.get(reverse("assignments:report-word", args=[report.pk])))
    assert _is_a4_portrait(document)
    text = _text(document)
    assert "景区门票价格舆情" in text
    assert "网民集中反映景区门票价格问题，转发量较大。" in text
    assert "已核实情况并在官方网站发布说明。" in text
    assert "县委宣传部" in text
    assert client_as("outsider").get(reverse("assignments:report-word", args=[report.pk])).status_code == 403


@pytest.fixture
def week(db):
    """Week of Monday 2026-03-02: a day and a night shift on Monday (two on the day shift), a day
    shift on Wednesday with nobody on it. Three shifts, four rows in the xlsx (2 + 1 + 1 'nobody')."""
    day, night = ShiftTypeFactory(), NightShiftTypeFactory()
    wang = PersonFactory(name="王值班", phone="13900000001", office_phone="0871-1234567", user__password=None)
    li = PersonFactory(name="李值班", phone="13900000002", user__password=None)
    zhao = PersonFactory(name="赵夜班", phone="13900000003", user__password=None)
    monday_day = ShiftFactory(shift_type=day, on=date(2026, 3, 2))
    ShiftAssignmentFactory(shift=monday_day, person=wang)
    ShiftAssignmentFactory(shift=monday_day, person=li)
    ShiftAssignmentFactory(shift=ShiftFactory(shift_type=night, on=date(2026, 3, 2)), person=zhao)
    ShiftFactory(shift_type=day, on=date(2026, 3, 4))
    ShiftAssignmentFactory(shift=ShiftFactory(shift_type=day, on=date(2026, 3, 9)), person=zhao)  # next week
    return {"wang": wang, "li": li, "zhao": zhao}


def test_week_roster_xlsx_has_chinese_headings_and_one_row_per_person_on_a_shift(client_as, week):
    response = client_as("staff").get(reverse("assignments:week-export") + "?start=2026-03-04")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("日期", "星期", "班次", "开始时间", "结束时间", "姓名", "科室", "手机", "办公电话", "签到时间")
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 12
    assert sheet.column_dimensions["H"].width == 16
    # Monday day: 王 and 李; Monday night: 赵; Wednesday day: nobody — 4 rows; next week's not here.
    assert [(row[0].date(), row[2], row[5], row[7]) for row in rows[1:]] == [
        (date(2026, 3, 2), "白班", "李值班", "13900000002"),
        (date(2026, 3, 2), "白班", "王值班", "13900000001"),
        (date(2026, 3, 2), "夜班", "赵夜班", "13900000003"),
        (date(2026, 3, 4), "白班", "无人值班", None),
    ]
    # The night shift starts 17:30 local and ends 08:30 the next morning (local times in cells).
    assert rows[3][3] == datetime(2026, 3, 2, 17, 30)
    assert rows[3][4] == datetime(2026, 3, 3, 8, 30)


def test_month_roster_xlsx_holds_the_whole_month(client_as, week):
    response = client_as("staff").get(reverse("assignments:month-export") + "?month=2026-03")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    # The 4 rows of the week above, and 赵 on Monday 9 March: 5.
    assert len(rows) - 1 == 5
    assert rows[-1][5] == "赵夜班"


def test_week_roster_prints_with_phones_and_downloads_as_word(client_as, week):
    client = client_as("staff")
    page = client.get(reverse("assignments:week-print") + "?start=2026-03-02").content.decode()
    assert page.count('data-testid="roster-day"') == 7
    assert "王值班 13900000001" in page
    assert "0871-1234567" in page
    assert 'data-testid="print-button"' in page
    document = _docx(client.get(reverse("assignments:week-word") + "?start=2026-03-02"))
    assert _is_a4_portrait(document)
    grid, phones = document.tables
    # A header row and one row per day of the week; a column for the day and one per kind of shift.
    assert len(grid.rows) == 1 + 7
    assert [cell.text for cell in grid.rows[0].cells] == ["日期", "白班 08:30–17:30", "夜班 17:30–08:30"]
    # People in a cell by sort order, then name (李 before 王 by code point, as PostgreSQL's C order).
    assert grid.rows[1].cells[1].text == "李值班 13900000002\n王值班 13900000001"
    assert grid.rows[3].cells[1].text == "无人值班"
    # 王, 李 and 赵 with their phones (赵's shift next week is not in this week).
    assert {row.cells[0].text: row.cells[2].text for row in phones.rows[1:]} == {
        "王值班": "13900000001",
        "李值班": "13900000002",
        "赵夜班": "13900000003",
    }


def test_month_roster_print_and_word(client_as, week):
    client = client_as("staff")
    page = client.get(reverse("assignments:month-print") + "?month=2026-03").content.decode()
    assert page.count('data-testid="roster-day"') == 31
    assert page.count('data-testid="roster-contact"') == 3
    document = _docx(client.get(reverse("assignments:month-word") + "?month=2026-03"))
    assert len(document.tables[0].rows) == 1 + 31


def test_roster_pages_link_print_word_and_xlsx(client_as, week):
    client = client_as("staff")
    page = client.get(reverse("assignments:week") + "?start=2026-03-02").content.decode()
    for name in ("week-print", "week-word", "week-export"):
        assert f"{reverse(f'assignments:{name}')}?start=2026-03-02" in page
    page = client.get(reverse("assignments:month") + "?month=2026-03").content.decode()
    for name in ("month-print", "month-word", "month-export"):
        assert f"{reverse(f'assignments:{name}')}?month=2026-03" in page


def test_roster_sheets_need_the_duty_permission(client_as):
    outsider = client_as("outsider")
    for name in ("week-print", "week-word", "week-export", "month-print", "month-word", "month-export"):
        assert outsider.get(reverse(f"assignments:{name}")).status_code == 403


def test_roster_sheets_queries_do_not_grow_with_the_shifts(client_as, week):
    client = client_as("staff")
    urls = [reverse(f"assignments:{name}") + "?month=2026-03" for name in ("month-print", "month-word", "month-export")]
    small = []
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        small.append(len(queries))
    day = ShiftTypeFactory()
    for n in range(10, 28):
        ShiftAssignmentFactory(shift=ShiftFactory(shift_type=day, on=date(2026, 3, n)))
    for url, before in zip(urls, small, strict=True):
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) == before, url

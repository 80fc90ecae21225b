"""The handling form's Word document (python-docx) and Print button, and the demand list's xlsx
(openpyxl): Chinese headings, widths, frozen header, one row per demand, as the list's filter."""

import io

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from opinions.models import DemandKind
from tests.opinions.factories import DemandFactory
from tests.opinions.handling_case import LONG_REPLY, LONG_SUBJECT, REVIEW_OPINION, build_three_round_case

pytestmark = pytest.mark.django_db
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _text(document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_handling_form_word_has_the_whole_case_on_a4(client_as, cast, travel):
    demand = build_three_round_case(cast, travel)
    response = client_as("supervisor").get(reverse("opinions:demand-word", args=[demand.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    document = Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.orientation == 0  # portrait
    assert document.paragraphs[0].text == "网络舆情处理单"
    text = _text(document)
    # The paper form clamps long texts; the Word document holds them whole.
    assert LONG_SUBJECT in text
    assert LONG_REPLY in text
    assert REVIEW_OPINION in text
    assert demand.number in text
    assert cast["staff"].name in text  # the handler
    rounds = document.tables[1]
    # A header row and the case's three rounds: the first handling and two redos.
    assert [row.cells[0].text for row in rounds.rows] == ["轮次", "首次办理", "第1次重办", "第2次重办"]


def test_handling_form_page_has_print_and_word(client_as, cast):
    demand = DemandFactory()
    client = client_as("supervisor")
    page = client.get(reverse("opinions:demand-print", args=[demand.pk])).content.decode()
    assert 'data-testid="print-button">打印</button>' in page
    assert "js/print.js" in page
    assert reverse("opinions:demand-word", args=[demand.pk]) in page
    detail = client.get(demand.get_absolute_url()).content.decode()
    assert reverse("opinions:demand-word", args=[demand.pk]) in detail


def test_handling_form_word_is_checked_like_the_demand(client_as, cast):
    other = DemandFactory(subject="别人的诉求")
    url = reverse("opinions:demand-word", args=[other.pk])
    assert client_as("staff").get(url).status_code == 404  # not in the staff member's sections
    assert client_as("outsider").get(url).status_code == 403
    assert client_as("supervisor").get(url).status_code == 200


def test_demand_list_xlsx_as_filtered(client_as):
    DemandFactory.create_batch(3, kind=DemandKind.COMPLAINT)
    DemandFactory.create_batch(2, kind=DemandKind.CONSULTATION)
    client = client_as("supervisor")
    response = client.get(reverse("opinions:demand-export", args=["xlsx"]) + "?kind=consultation")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == (
        "编号",
        "类别",
        "渠道",
        "标题",
        "状态",
        "承办人",
        "科室",
        "接收时间",
        "答复截止时间",
        "答复时间",
        "办结时间",
        "已逾期",
    )
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["D"].width == 40  # the subject
    assert sheet.column_dimensions["H"].width == 17
    # The filter asked for consultations: the 2 of them, not the 3 complaints.
    assert len(rows) - 1 == 2
    assert {row[1] for row in rows[1:]} == {"咨询"}
    # The list page's export link carries the current filter.
    page = client.get(reverse("opinions:demand-list") + "?kind=consultation").content.decode()
    assert reverse("opinions:demand-export", args=["xlsx"]) + "?kind=consultation" in page

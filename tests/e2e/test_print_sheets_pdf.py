"""Every printable sheet prints on one A4 portrait page with nothing cut at the right edge:
Chromium renders each page to PDF and the pages are counted (as the handling form's test does),
each filled with long texts or a full roster — the worst an office is likely to print."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from assignments.models import IncidentFollowUp, TaskNote
from bureau import clock
from publicity.models import PublicityPost
from tests.assignments.factories import (
    CountyTaskFactory,
    IncidentReportFactory,
    NightShiftTypeFactory,
    ShiftAssignmentFactory,
    ShiftFactory,
    ShiftTypeFactory,
    people,
)
from tests.publicity.factories import PublicityPostFactory

pytestmark = [pytest.mark.browser]

CSS = Path(settings.BASE_DIR) / "static" / "css" / "print.css"
PRINTABLE_PX = 180 / 25.4 * 96  # A4's 210 mm less the two 15 mm @page margins, in CSS px
LONG = "网民反映某网吧违规接纳未成年人上网，夜间营业噪音扰民，周边群众多次投诉未见整改，请核查处置并按期反馈。"
URL = "https://bbs.example.gov.cn/forum/thread-" + "8" * 120 + ".html?from=search&page=1"


def _page_count(pdf: bytes) -> int:
    # Chromium writes each page as an uncompressed "/Type /Page" dictionary ("/Pages" is the tree).
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


def _assert_one_page_within_width(browser, html: str, tmp_path, name: str) -> None:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        page = context.new_page()
        # The page alone, without a live server: its one stylesheet is added from the file.
        page.set_content(html.replace('<link rel="stylesheet"', '<link rel="x-ignored"'))
        page.add_style_tag(path=str(CSS))
        pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        assert _page_count(pdf) == 1, name
        page.emulate_media(media="print")
        page.set_viewport_size({"width": round(PRINTABLE_PX), "height": 1000})
        widest = page.evaluate(
            "Math.max(...[...document.querySelectorAll('table')].map(t => t.getBoundingClientRect().right))"
        )
        assert widest <= PRINTABLE_PX, name
        assert page.evaluate("document.documentElement.scrollWidth") <= round(PRINTABLE_PX), name
    finally:
        context.close()


def test_task_sheet_with_long_texts_prints_on_one_page(browser, client_as, cast, tmp_path):
    task = CountyTaskFactory(
        handler=cast["staff"],
        title=LONG * 3,
        content=LONG * 20,
        feedback=LONG * 20,
        feedback_approved_by=cast["leader"],
        feedback_approved_at=clock.now(),
    )
    for n in range(15):
        TaskNote.objects.create(task=task, author=cast["staff"], body=LONG * 3, created_at=clock.now() + timedelta(n))
    html = client_as("supervisor").get(reverse("assignments:task-print", args=[task.pk])).content.decode()
    assert 'data-testid="shortened"' in html  # the sheet says the Word document holds the rest
    _assert_one_page_within_width(browser, html, tmp_path, "task")


def test_report_upward_with_long_texts_prints_on_one_page(browser, client_as, cast, tmp_path):
    report = IncidentReportFactory(title=LONG * 3, summary=LONG * 20, measures=LONG * 20, reported_by=cast["staff"])
    for n in range(15):
        IncidentFollowUp.objects.create(
            report=report, body=LONG * 3, reported_by=cast["staff"], reported_at=clock.now() + timedelta(hours=n)
        )
    html = client_as("supervisor").get(reverse("assignments:report-print", args=[report.pk])).content.decode()
    assert 'data-testid="shortened"' in html
    _assert_one_page_within_width(browser, html, tmp_path, "report")


def test_publicity_approval_form_with_long_texts_prints_on_one_page(browser, client_as, cast, tmp_path):
    post = PublicityPostFactory(
        title=LONG * 3,
        body=LONG * 40,
        author=cast["staff"],
        state=PublicityPost.State.PUBLISHED,
        submitted_at=clock.now(),
        reviewer=cast["leader"],
        reviewed_at=clock.now(),
        review_comment=LONG * 10,
        published_on=clock.today(),
        link=URL,
    )
    html = client_as("leader").get(reverse("publicity:post-print", args=[post.pk])).content.decode()
    assert 'data-testid="shortened"' in html
    _assert_one_page_within_width(browser, html, tmp_path, "publicity")


@pytest.fixture
def full_month(db):
    """March 2026, every day a day shift and a night shift, each with two of twelve people (long
    department names, every phone filled): 62 shifts, 124 assignments, 12 contacts."""
    day, night = ShiftTypeFactory(people_needed=2), NightShiftTypeFactory(people_needed=2)
    staff = people(12, department__name="县文化广电和旅游局网络舆情工作办公室", office_phone="0871-12345678")
    for n in range(31):
        on = date(2026, 3, 1) + timedelta(days=n)
        for index, kind in enumerate((day, night)):
            shift = ShiftFactory(shift_type=kind, on=on)
            for person in (staff[(2 * n + index) % 12], staff[(2 * n + index + 5) % 12]):
                ShiftAssignmentFactory(shift=shift, person=person)


def test_week_roster_prints_on_one_page(browser, client_as, full_month, tmp_path):
    html = client_as("staff").get(reverse("assignments:week-print") + "?start=2026-03-09").content.decode()
    assert html.count('data-testid="roster-day"') == 7
    _assert_one_page_within_width(browser, html, tmp_path, "week")


def test_month_roster_prints_on_one_page(browser, client_as, full_month, tmp_path):
    html = client_as("staff").get(reverse("assignments:month-print") + "?month=2026-03").content.decode()
    assert html.count('data-testid="roster-day"') == 31
    assert html.count('data-testid="roster-contact"') == 12
    _assert_one_page_within_width(browser, html, tmp_path, "month")

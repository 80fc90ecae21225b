"""One figure, one number, on every surface: a crafted year (2025) counted by hand, read on the
dashboard page, the assessment page and its xlsx, the stored annual summary, the workbook's cells
and the draft text. The test clock stands at 09:00 on 2 March 2026 (``travel``): 2025 is over.

The crafted year, built with the fields demands have today:

- 综合科 (A) receives 80 demands in June 2025: 77 are first replied 2 hours after receipt (on
  time, deadline 24 hours) and completed; 3 are first replied 30 hours after receipt (late) and not
  completed. 40 of the completed ones were called back and reached, 37 of them satisfied.
  So: received 80, replied 80, on time 77, completed 77, overdue 0, reached 40, satisfied 37;
  reply rate 80/80 = 100%, on-time rate 77/80 = 96.25 → 96.3%, completion rate 77/80 = 96.3%,
  satisfaction 37/40 = 92.5%.
- Publicity: the bureau's quota is 60, 综合科's 30; 综合科 publishes 29 posts, 宣传科 (B, no quota)
  29. Bureau progress 58/60 = 96.67 → 96.7%; 综合科 29/30 = 96.7%; 宣传科 29 published, no progress.
- Duty: 综合科's 张三 works 7 shifts in February 2025: 5 signed in on time, 1 late, 1 never (missed).
  Sign-in rate 5/7 = 71.43 → 71.4%, late 1, missed 1.
- Tasks handed down to 张三: 3, feedback approved for 2 by the deadline and 1 after it:
  on-time rate 2/3 = 66.7%.
- Posts found in 2025: 4; one filed (handled), three with prohibited content taken down 10, 20
  and 45 minutes after they were found: share handled 1/4 = 25%, median time to takedown 20 min.
- Scoring for 2025: on-time rate weight 10 (full ≥ 95.0, half ≥ 90.0), sign-in rate weight 5 (full
  ≥ 90.0, half ≥ 70.0). 综合科: 96.3 → 10, 71.4 → 2.5; 12.5 of 15 = 83.3% → Good. 宣传科: no
  demands and no sign-ins: nothing scored, no score, no tier."""

import copy
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments.models import CountyTask
from opinions.models import Demand, Post
from opinions.services.daily_figures import daily_figures_rebuild
from reports.annual.draft import write_annual_draft
from reports.annual.services import annual_summary_compile
from reports.annual.workbook import write_annual_workbook
from reports.dashboard.selectors import Period, dashboard
from reports.indicators import indicator
from reports.models import ScoringRule
from tests.assignments.factories import CountyTaskFactory, ShiftAssignmentFactory, ShiftFactory
from tests.factories import DepartmentFactory, PersonFactory
from tests.opinions.factories import ChannelFactory, DemandFactory, PostFactory
from tests.publicity.factories import PublicityPostFactory, QuotaFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2025
pytestmark = pytest.mark.usefixtures("travel")


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def _crafted(module_rows):
    """The crafted year, built once for the module's tests (``module_rows``)."""
    return module_rows.build(_build_crafted)


@pytest.fixture
def crafted(_crafted, db, travel):
    return copy.deepcopy(_crafted)


def _build_crafted() -> dict:
    a = DepartmentFactory(name="综合科", sort_order=1)
    b = DepartmentFactory(name="宣传科", sort_order=2)
    hotline = ChannelFactory(name="12345热线")
    for number in range(80):
        received = local(2025, 6, 1, 8) + timedelta(hours=number)
        on_time = number < 77
        replied = received + timedelta(hours=2 if on_time else 30)
        DemandFactory(
            channel=hotline,
            department=a,
            received_at=received,
            due_at=received + timedelta(hours=24),
            state=Demand.State.COMPLETED if on_time else Demand.State.REPLIED,
            replied_at=replied,
            first_replied_at=replied,
            completed_at=replied + timedelta(hours=1) if on_time else None,
            # the first 40 completed are reached: 37 satisfied, 3 not
            satisfaction=(Demand.Satisfaction.SATISFIED if number < 37 else Demand.Satisfaction.UNSATISFIED)
            if number < 40
            else "",
        )
    QuotaFactory(year=YEAR, minimum=60)
    QuotaFactory(year=YEAR, minimum=30, department=a)
    author_a = PersonFactory(department=a, user__password=None)
    author_b = PersonFactory(department=b, user__password=None)
    for number in range(29):
        published = date(2025, 3, 1) + timedelta(days=number)
        PublicityPostFactory(published=published, author=author_a, department=a)
        PublicityPostFactory(published=published, author=author_b, department=b)
    zhang = PersonFactory(name="张三", department=a, user__password=None)
    for day in range(1, 8):
        assignment = ShiftAssignmentFactory(shift=ShiftFactory(on=date(2025, 2, day)), person=zhang)
        due = assignment.shift.sign_in_due_at
        if day <= 5:
            assignment.signed_in_at = due - timedelta(minutes=5)  # on time
        elif day == 6:
            assignment.signed_in_at = due + timedelta(minutes=20)  # late
        assignment.save()  # day 7: never signed in, the shift is long over: missed
    for number, approved_after in enumerate((timedelta(days=1), timedelta(days=1), timedelta(days=3))):
        received = local(2025, 4, 1 + number, 9)
        CountyTaskFactory(
            handler=zhang,
            received_at=received,
            due_at=received + timedelta(days=2),
            state=CountyTask.State.FEEDBACK_APPROVED,
            feedback_approved_at=received + approved_after,
        )
    PostFactory(found_at=local(2025, 2, 1, 10), status=Post.Status.FILED)
    for number, minutes in enumerate((45, 10, 20)):
        found = local(2025, 4, 1 + number, 10)
        PostFactory(
            found_at=found,
            posted_at=found,
            status=Post.Status.TAKEN_DOWN,
            decided_at=found + timedelta(minutes=minutes),
        )
    ScoringRule.objects.create(year=YEAR, indicator="on_time_rate", weight=10, full_at=95, half_at=90)
    ScoringRule.objects.create(year=YEAR, indicator="sign_in_rate", weight=5, full_at=90, half_at=70)
    return {"a": a, "b": b, "zhang": zhang}


def _assessment(client, year=YEAR) -> dict:
    response = client.get(reverse("dashboard:assessment"), {"year": year}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return {item["row"].department.name: item for item in response.context["rows"]}


def _cells(item) -> dict:
    return {cell["key"]: cell["text"] for cell in item["cells"]}


def test_dashboard_page_shows_the_hand_counts(crafted, client_as):
    response = client_as("leader").get(
        "/dashboard/", {"period": "range", "from": "2025-01-01", "to": "2025-12-31"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    cards = {card["key"]: card["value"] for card in response.context["demand_cards"]}
    assert (cards["received"], cards["replied_on_time"], cards["completed"], cards["overdue"]) == (
        "80",
        "77",
        "77",
        "0",
    )
    assert cards["reply_rate"] == "100.0%"
    assert cards["on_time_rate"] == cards["completion_rate"] == "96.3%"  # 77 of 80
    assert cards["satisfaction"] == "92.5%"  # 37 of 40
    by_department = {row["label"]: row for row in response.context["by_department"]}
    assert by_department["综合科"]["on_time_rate"] == "96.3%"
    html = response.content.decode()
    assert "2025: 58 published of a quota of 60 (96.7%)." in html  # 58 of 60
    assert response.context["duty_rate"] == "71.4%"  # 5 of 7 due
    posts = {card["key"]: card["value"] for card in response.context["post_cards"]}
    assert (posts["found"], posts["taken_down"]) == (4, 3)
    assert (posts["posts_handled_rate"], posts["posts_takedown_median"]) == ("25.0%", "20 min")


def test_assessment_page_shows_the_same_figures_score_and_tier(crafted, client_as):
    rows = _assessment(client_as("leader"))
    a, b = _cells(rows["综合科"]), _cells(rows["宣传科"])
    assert (a["received"], a["replied_on_time"], a["on_time_rate"], a["completion_rate"]) == (
        "80",
        "77",
        "96.3%",
        "96.3%",
    )
    assert a["satisfaction"] == "92.5%"
    assert (a["publicity_published"], a["publicity_quota"], a["quota_progress"]) == ("29", "30", "96.7%")
    # A department without a quota still shows what it published.
    assert (b["publicity_published"], b["publicity_quota"], b["quota_progress"]) == ("29", "—", "—")
    # The sign-in rate, with late and missed beside it: the dashboard's 71.4%.
    assert (a["sign_ins_on_time"], a["sign_ins_late"], a["sign_ins_missed"], a["sign_in_rate"]) == (
        "5",
        "1",
        "1",
        "71.4%",
    )
    assert (a["tasks_received"], a["tasks_on_time"], a["tasks_on_time_rate"]) == ("3", "2", "66.7%")
    # No case of the crafted year was handed back or redone: 0 of 80 received.
    assert (a["handed_back"], a["hand_back_rate"], a["redone"], a["redo_rate"]) == ("0", "0.0%", "0", "0.0%")
    assert (rows["综合科"]["score"], rows["综合科"]["maximum"], rows["综合科"]["tier"]) == ("12.5", "15", "Good")
    assert (rows["宣传科"]["score"], rows["宣传科"]["tier"]) == ("—", "—")


def test_sign_in_rate_is_the_same_on_dashboard_and_assessment(crafted, client_as):
    client = client_as("supervisor")
    board = client.get("/dashboard/", {"period": "range", "from": "2025-01-01", "to": "2025-12-31"})
    assert board.context["duty_rate"] == _cells(_assessment(client)["综合科"])["sign_in_rate"] == "71.4%"


def test_assessment_export_holds_the_rounded_values_formula_safe(crafted, client_as):
    DepartmentFactory(name='=HYPERLINK("http://evil.example")', sort_order=3)
    response = client_as("leader").get(
        reverse("dashboard:assessment-export"), {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith("assessment-2025.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    header = [cell.value for cell in rows[0]]
    by_name = {row[0].value: row for row in rows[1:]}
    a = {title: cell for title, cell in zip(header, by_name["综合科"], strict=True)}
    assert a["Demands received"].value == 80
    assert a["On-time rate"].value == 0.963  # the rounded 96.3%, not 0.9625
    assert a["On-time rate"].number_format == "0.0%"
    assert a["Quota progress"].value == 0.967  # 29 of 30
    assert a["Sign-in rate"].value == 0.714  # 5 of 7
    assert (a["Score"].value, a["Maximum"].value, a["Tier"].value) == (12.5, 15, "Good")
    b = {title: cell.value for title, cell in zip(header, by_name["宣传科"], strict=True)}
    assert (b["Publicity published"], b["Publicity quota"], b["Quota progress"]) == (29, None, None)
    assert '\'=HYPERLINK("http://evil.example")' in by_name  # written as text, not a formula


def _workbook(figures) -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_annual_workbook(year=YEAR, figures=figures, stream=buffer, language="en")
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def _row(sheet, label) -> list:
    return next(list(row) for row in sheet.iter_rows() if row and row[0].value == label)


def test_stored_summary_workbook_and_draft_give_the_same_numbers(crafted):
    stored = annual_summary_compile(year=YEAR, schedule_workbook=False).figures
    total = stored["demands"]["total"]
    assert (total["received"], total["replied_on_time"], total["completed"]) == (80, 77, 77)
    assert (total["reply_rate"], total["on_time_rate"], total["completion_rate"]) == (100.0, 96.3, 96.3)
    assert total["satisfaction"] == 92.5
    assert stored["publicity"]["quota"]["percent"] == 96.7  # 58 of 60
    departments = {row["department"]: row for row in stored["publicity"]["by_department"]}
    assert departments["综合科"] == {"department": "综合科", "published": 29, "minimum": 30, "progress": 96.7}
    assert departments["宣传科"] == {"department": "宣传科", "published": 29, "minimum": None, "progress": None}
    duty = stored["duty"]["total"]
    assert (duty["due"], duty["on_time"], duty["late"], duty["missed"], duty["sign_in_rate"]) == (7, 5, 1, 1, 71.4)

    assert (stored["posts"]["total"]["handled_rate"], stored["posts"]["total"]["takedown_median_minutes"]) == (
        25.0,
        20.0,
    )

    book = _workbook(stored)
    overview = book["Overview"]
    assert _row(overview, "Median time from finding to takedown")[1].value == 20
    assert _row(overview, "Share of posts handled")[1].value == 0.25
    on_time = _row(overview, "On-time rate")
    assert (on_time[1].value, on_time[1].number_format) == (0.963, "0.0%")
    assert _row(overview, "Quota progress")[1].value == 0.967
    assert _row(overview, "Sign-in rate")[1].value == 0.714
    department = next(row for row in overview.iter_rows(values_only=True) if row and row[0] == "综合科")
    assert department[1] == 80
    assert department[7] == 0.963  # the "Demands by department" table's on-time rate
    publicity = book["Publicity"]
    assert [cell.value for cell in _row(publicity, "The whole bureau")[:4]] == ["The whole bureau", 60, 58, 0.967]
    assert [cell.value for cell in _row(publicity, "综合科")[:4]] == ["综合科", 30, 29, 0.967]
    assert [cell.value for cell in _row(publicity, "宣传科")[:4]] == ["宣传科", None, 29, None]
    assert _row(book["Duty"], "Year 2025")[7].value == 0.714
    # The assessment as compiled: the page's figures, score and tier (12.5 of 15, Good).
    sheet = book["Assessment"]
    header = [cell.value for cell in next(sheet.iter_rows())]
    a = dict(zip(header, [cell.value for cell in _row(sheet, "综合科")], strict=True))
    assert (a["On-time rate"], a["Quota progress"], a["Sign-in rate"]) == (0.963, 0.967, 0.714)
    assert (a["Score"], a["Maximum"], a["Tier"]) == (12.5, 15, "Good")
    b = dict(zip(header, [cell.value for cell in _row(sheet, "宣传科")], strict=True))
    assert (b["Publicity published"], b["Quota progress"], b["Score"], b["Tier"]) == (29, None, None, "—")
    stored_a = next(row for row in stored["assessment"] if row["department"] == "综合科")
    assert (stored_a["score"], stored_a["maximum"], stored_a["tier"]) == (12.5, 15.0, "good")

    buffer = io.BytesIO()
    write_annual_draft(figures=stored, stream=buffer, language="en")
    buffer.seek(0)
    text = "\n".join(paragraph.text for paragraph in docx.Document(buffer).paragraphs)
    assert "80 demands were replied to, a reply rate of 100.0%; 77 were replied to within the time limit" in text
    assert "an on-time rate of 96.3%. 77 cases were completed, a completion rate of 96.3%." in text
    assert (
        "Of the 40 people reached on call-back, 37 were satisfied or fairly satisfied, a satisfaction of 92.5%." in text
    )
    assert "the bureau published 58, 96.7% of the quota." in text
    assert "The median time from finding a post with prohibited content to taking it down was 20 min." in text
    assert "Of 7 sign-ins due, 5 were made on time, 1 late and 1 were missed." in text


def test_summary_page_shows_the_rates_as_the_other_surfaces(crafted, client_as):
    annual_summary_compile(year=YEAR, schedule_workbook=False)
    response = client_as("leader").get(reverse("annual:summary-detail", args=[YEAR]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["rates"]["on_time_rate"] == "96.3%"
    assert response.context["rates"]["satisfaction"] == "92.5%"
    overview = {row[0]["text"]: row for row in response.context["overview"]["rows"] if row}
    assert overview["On-time rate"][1]["text"] == "96.3%"
    assert overview["Quota progress"][1]["text"] == "96.7%"


def test_a_person_moved_in_january_does_not_rewrite_last_year(crafted, client_as):
    """张三 moves from 综合科 to 宣传科 on 10 January 2026: the 2025 assessment still counts his 7
    sign-ins and 3 tasks for 综合科 (before the department was kept, they followed him)."""
    zhang = crafted["zhang"]
    zhang.department = crafted["b"]
    zhang.save(update_fields=["department"])
    rows = _assessment(client_as("leader"))
    a, b = _cells(rows["综合科"]), _cells(rows["宣传科"])
    assert (a["sign_ins_on_time"], a["sign_ins_late"], a["sign_ins_missed"], a["sign_in_rate"]) == (
        "5",
        "1",
        "1",
        "71.4%",
    )
    assert (a["tasks_received"], a["tasks_on_time"]) == ("3", "2")
    assert (b["sign_ins_on_time"], b["sign_in_rate"], b["tasks_received"]) == ("0", "—", "0")
    assert rows["综合科"]["score"] == "12.5"  # unchanged


def test_quota_progress_is_a_rate_on_the_publicity_pages(crafted, client_as):
    response = client_as("leader").get(reverse("publicity:progress"), {"year": YEAR}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    progress = {p.quota.department_id: p for p in response.context["progress_list"]}
    assert progress[crafted["a"].pk].percent == Decimal("96.7")  # 29 of 30, not a floored 96
    assert "29 of 30 published (96.7%)" in response.content.decode()


def test_a_summary_stored_before_the_registry_shows_the_same_rates(crafted):
    """A summary compiled before: rates stored as fractions rounded to four places (0.9625), no
    "reached", "due", department publicity or assessment. The surfaces recompute every rate from the
    stored counts, so it reads as a new one: 96.3%, not 96.25% or 0.9625."""
    stored = annual_summary_compile(year=YEAR, schedule_workbook=False).figures
    old = {**stored, "demands": {**stored["demands"]}, "duty": {**stored["duty"]}}
    del old["assessment"]
    old["publicity"] = {key: value for key, value in stored["publicity"].items() if key != "by_department"}
    total = {key: value for key, value in stored["demands"]["total"].items() if key != "reached"}
    old["demands"]["total"] = {**total, "on_time_rate": 0.9625, "satisfaction": 0.925, "reply_rate": 1.0}
    old["duty"]["total"] = {key: value for key, value in stored["duty"]["total"].items() if key != "due"}
    overview = _workbook(old)["Overview"]
    assert _row(overview, "On-time rate")[1].value == 0.963
    assert _row(overview, "Satisfaction")[1].value == 0.925  # reached read from the old called_back (40)
    assert _row(overview, "Sign-in rate")[1].value == 0.714  # due = on time + late + missed
    buffer = io.BytesIO()
    write_annual_draft(figures=old, stream=buffer, language="en")
    buffer.seek(0)
    text = "\n".join(paragraph.text for paragraph in docx.Document(buffer).paragraphs)
    assert "an on-time rate of 96.3%" in text
    assert "Of 7 sign-ins due" in text


def test_assessment_queries_do_not_grow_with_departments(crafted, client_as):
    client, url = client_as("leader"), reverse("dashboard:assessment")
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"year": YEAR})
    for number in range(8):
        department = DepartmentFactory(name=f"新科室{number}")
        QuotaFactory(year=YEAR, minimum=5, department=department)
        DemandFactory(department=department, received_at=local(2025, 7, 1 + number, 9))
    with CaptureQueriesContext(connection) as large:
        client.get(url, {"year": YEAR})
    assert len(large) == len(small), [query["sql"] for query in large.captured_queries]


def test_each_month_and_quarter_agree_between_dashboard_and_stored_summary(crafted):
    """All 80 demands were received in June: June and the second quarter read 96.3% on time on the
    dashboard (daily aggregates and live days) and in the stored summary; the other periods "—"."""
    daily_figures_rebuild()
    stored = annual_summary_compile(year=YEAR, schedule_workbook=False).figures
    on_time = indicator("on_time_rate")
    expected = {f"2025-{month:02d}": "—" for month in range(1, 13)} | {f"Q{q}": "—" for q in range(1, 5)}
    expected |= {"2025-06": "96.3%", "Q2": "96.3%"}
    for row in stored["demands"]["by_period"]:
        if row["period"] == "month":
            month = int(row["key"][5:])
            first = date(YEAR, month, 1)
            last = (date(YEAR + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
        else:
            quarter = int(row["key"][1:])
            first = date(YEAR, 3 * quarter - 2, 1)
            last = date(YEAR + (quarter == 4), (3 * quarter) % 12 + 1, 1) - timedelta(days=1)
        board = dashboard(period=Period("range", first, last))
        assert on_time.text(board.demands.total) == on_time.text(row) == expected[row["key"]], row["key"]

"""The annual summary: a crafted year (2025) whose figures are known by hand. The stored figures,
the workbook read back cell by cell and the draft's text agree with the hand counts and with
``demand_figures``; the export command's errors; the compile and workbook services.

The test clock stands at 09:00 on 2 March 2026 (``travel``), so 2025 is a finished year."""

import copy
import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import docx
import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from archive.models import ArchiveRecord
from archive.services import archive_record
from assignments.models import CountyTask
from bureau.models import AnnualSummary
from opinions.models import Demand, DemandKind, Post
from opinions.selectors.figures import demand_figures, office_demand_figures
from reports.annual.draft import write_annual_draft
from reports.annual.figures import annual_figures
from reports.annual.services import (
    annual_summary_compile,
    annual_summary_compile_final,
    annual_summary_write_workbook,
)
from reports.annual.workbook import write_annual_workbook
from tests.assignments.factories import CountyTaskFactory, IncidentReportFactory, ShiftAssignmentFactory, ShiftFactory
from tests.opinions.factories import ChannelFactory, DemandFactory, PostFactory, ScreeningCategoryFactory
from tests.publicity.factories import CoverageFactory, OutletFactory, PublicityPostFactory, QuotaFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2025
FORMULA_SUBJECT = '=HYPERLINK("http://evil.example","点我")'
FORMULA_TITLE = "@SUM(1+1)*cmd|' /C calc'!A0"


def local(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def build_year() -> dict:
    """The crafted year 2025, plus rows just outside it that must not count."""
    hotline, forum = ChannelFactory(name="12345热线"), ChannelFactory(name="本局论坛")

    def demand(kind, channel, received, *, replied_after=None, completed=False, satisfaction="", **extra):
        replied = received + replied_after if replied_after is not None else None
        if completed:
            state = Demand.State.COMPLETED
        elif replied:
            state = Demand.State.REPLIED
        else:
            state = Demand.State.ASSIGNED
        return DemandFactory(
            kind=kind,
            channel=channel,
            received_at=received,
            due_at=received + timedelta(hours=24),
            state=state,
            replied_at=replied,
            first_replied_at=replied,
            completed_at=replied + timedelta(hours=2) if completed else None,
            satisfaction=satisfaction,
            **extra,
        )

    rows = {
        # 00:30 on 1 January local time is 16:30 UTC on 31 December: it belongs to 2025.
        "new_year": demand(
            DemandKind.COMPLAINT,
            hotline,
            local(2025, 1, 1, 0, 30),
            replied_after=timedelta(hours=2),
            completed=True,
            satisfaction=Demand.Satisfaction.SATISFIED,
        ),
        "late": demand(
            DemandKind.SUGGESTION,
            hotline,
            local(2025, 3, 10, 10),
            replied_after=timedelta(hours=30),
            completed=True,
            satisfaction=Demand.Satisfaction.UNSATISFIED,
            subject=FORMULA_SUBJECT,
        ),
        "replied": demand(
            DemandKind.CONSULTATION,
            forum,
            local(2025, 6, 15, 9),
            replied_after=timedelta(hours=5),
            satisfaction=Demand.Satisfaction.FAIRLY,
        ),
        "overdue": demand(DemandKind.COMPLAINT, forum, local(2025, 12, 31, 20)),
        # 23:30 on 31 December 2024 local time is 15:30 UTC: it belongs to 2024.
        "old_year": demand(
            DemandKind.COMPLAINT, hotline, local(2024, 12, 31, 23, 30), replied_after=timedelta(hours=1)
        ),
    }
    rows["merged"] = DemandFactory(
        channel=hotline, received_at=local(2025, 5, 1, 9), state=Demand.State.MERGED, duplicate_of=rows["late"]
    )

    gambling = ScreeningCategoryFactory(code="gambling", name="赌博")
    porn = ScreeningCategoryFactory(code="porn", name="色情")
    PostFactory(found_at=local(2025, 2, 1, 10), status=Post.Status.FILED, is_relevant=True)
    for found, category, title in (
        (local(2025, 4, 1, 10), gambling, "网上赌场广告"),
        (local(2025, 4, 2, 10), gambling, "赌球群招募"),
        (local(2025, 8, 1, 10), porn, FORMULA_TITLE),
    ):
        PostFactory(
            found_at=found,
            posted_at=found,
            status=Post.Status.TAKEN_DOWN,
            category=category,
            title=title,
            decided_at=found + timedelta(minutes=10),
        )
    PostFactory(found_at=local(2024, 12, 31, 23, 30), status=Post.Status.TAKEN_DOWN, category=gambling)

    QuotaFactory(year=YEAR, minimum=3)
    for published in (date(2025, 2, 1), date(2025, 5, 1), date(2025, 9, 1), date(2025, 11, 1)):
        PublicityPostFactory(published=published)
    PublicityPostFactory()  # a draft: not published
    outlet = OutletFactory(name="县融媒体中心")
    CoverageFactory(outlet=outlet, reported_on=date(2025, 3, 1))
    CoverageFactory(outlet=outlet, reported_on=date(2025, 6, 1))
    CoverageFactory(outlet=outlet, reported_on=date(2024, 6, 1))

    on_time = ShiftAssignmentFactory(shift=ShiftFactory(on=date(2025, 1, 1)))
    on_time.signed_in_at = on_time.shift.sign_in_due_at - timedelta(minutes=5)
    on_time.save()
    late = ShiftAssignmentFactory(shift=ShiftFactory(on=date(2025, 5, 1)))
    late.signed_in_at = late.shift.sign_in_due_at + timedelta(minutes=20)
    late.save()
    ShiftAssignmentFactory(shift=ShiftFactory(on=date(2025, 7, 1)))  # never signed in: missed

    CountyTaskFactory(
        kind=CountyTask.Kind.SPECIAL_REPORT,
        received_at=local(2025, 2, 1, 9),
        feedback_approved_at=local(2025, 2, 2, 9),
        state=CountyTask.State.FEEDBACK_APPROVED,
    )
    CountyTaskFactory(
        received_at=local(2025, 10, 1, 9),
        feedback_approved_at=local(2025, 10, 4, 9),
        state=CountyTask.State.FEEDBACK_APPROVED,
    )
    CountyTaskFactory(received_at=local(2025, 12, 30, 9))  # due 1 January 2026, no feedback: overdue
    IncidentReportFactory(reported_at=local(2025, 5, 5, 9))

    archive_record(action="opinions.post.taken_down", summary="a", now=local(2025, 4, 1, 10, 10))
    archive_record(action="opinions.post.taken_down", summary="b", now=local(2025, 4, 2, 10, 10))
    archive_record(action="publicity.post.published", summary="c", now=local(2025, 9, 1, 10))
    return rows


# The hand counts of 2025.
DEMANDS = {
    "received": 4,
    "replied": 3,
    "replied_on_time": 2,
    "completed": 2,
    "overdue": 1,
    "called_back": 3,
    "satisfied": 2,
    # Rates as stored: the number of percent, rounded once from the counts (2 of 3 is 66.7).
    "reply_rate": 75.0,
    "on_time_rate": 50.0,
    "completion_rate": 50.0,
    "satisfaction": 66.7,
}
COUNTS = ("received", "replied", "replied_on_time", "completed", "overdue", "called_back", "satisfied")


def _stored(row: dict) -> dict:
    """The hand-counted keys of a stored demand row (it also holds the contract's newer counts)."""
    return {name: row[name] for name in DEMANDS}


RECEIVED_BY_QUARTER = [2, 1, 0, 1]
RECEIVED_BY_MONTH = [1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1]


def _build_year_and_figures() -> tuple[dict, dict]:
    return build_year(), annual_figures(year=YEAR)


@pytest.fixture(scope="module")
def _year_2025_and_figures(module_rows):
    """The crafted year and its figures, built once for the module's tests (``module_rows``)."""
    return module_rows.build(_build_year_and_figures)


@pytest.fixture
def year_2025(_year_2025_and_figures, db, travel):
    return copy.deepcopy(_year_2025_and_figures[0])


@pytest.fixture
def figures(_year_2025_and_figures, year_2025):
    return copy.deepcopy(_year_2025_and_figures[1])


def test_figures_match_the_hand_counts(figures):
    assert figures["is_final"] is True
    assert _stored(figures["demands"]["total"]) == DEMANDS
    quarters = [row for row in figures["demands"]["by_period"] if row["period"] == "quarter"]
    months = [row for row in figures["demands"]["by_period"] if row["period"] == "month"]
    assert [row["received"] for row in quarters] == RECEIVED_BY_QUARTER
    assert [row["received"] for row in months] == RECEIVED_BY_MONTH
    assert {row["key"]: row["received"] for row in figures["demands"]["by_kind"]} == {
        "complaint": 2,
        "suggestion": 1,
        "consultation": 1,
    }
    assert {row["key"]: row["received"] for row in figures["demands"]["by_channel"]} == {"12345热线": 2, "本局论坛": 2}
    assert figures["posts"]["total"] == {
        "found": 4,
        "relevant": 1,
        "handled": 1,
        "taken_down": 3,
        "handled_rate": 25.0,  # 1 of 4
        "takedown_median_minutes": 10.0,  # each of the three was taken down 10 minutes after it was found
    }
    assert figures["posts"]["taken_down_by_category"] == [{"name": "赌博", "count": 2}, {"name": "色情", "count": 1}]
    publicity = figures["publicity"]
    assert publicity["published"] == 4
    assert publicity["quota"] == {
        "scope": "",
        "minimum": 3,
        "published": 4,
        "percent": 133.3,  # 4 of 3, one decimal
        "met_on": "2025-09-01",
        "is_met_early": True,
    }
    assert publicity["outlets"] == [{"name": "县融媒体中心", "level": "city", "kind": "web", "reports": 2}]
    assert publicity["published_by_month"] == [0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0]
    duty = figures["duty"]["total"]
    assert (duty["shifts"], duty["assignments"], duty["on_time"], duty["late"], duty["missed"]) == (3, 3, 1, 1, 1)
    tasks = figures["tasks"]["total"]
    assert tasks == {
        "received": 3,
        "special_reports": 1,
        "assignments": 2,
        "other": 0,
        "handled": 2,
        "on_time": 1,
        "overdue": 1,
        "on_time_rate": 33.3,  # 1 of 3
    }
    assert figures["tasks"]["incidents"] == 1
    assert figures["archive"]["total"] == 3
    assert figures["archive"]["by_action"] == [
        {"action": "opinions.post.taken_down", "count": 2},
        {"action": "publicity.post.published", "count": 1},
    ]
    assert figures["archive"]["by_month"] == [0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0, 0]


def test_figures_are_the_figures_selector_s_and_the_year_is_cut_on_local_time(figures, cast):
    from bureau import clock

    start, end = clock.year_span(YEAR)
    for total, _rows in (
        office_demand_figures(start=start, end=end),
        demand_figures(user=cast["supervisor"].user, start=start, end=end),
    ):
        assert {name: getattr(total, name) for name in COUNTS} == {
            name: figures["demands"]["total"][name] for name in COUNTS
        }
    total_2024, _rows = office_demand_figures(start=clock.year_span(2024)[0], end=start)
    assert total_2024.received == 1  # 23:30 on 31 December 2024
    assert annual_figures(year=2024)["demands"]["total"]["received"] == 1


def _workbook(figures, language="en") -> openpyxl.Workbook:
    buffer = io.BytesIO()
    write_annual_workbook(year=YEAR, figures=figures, stream=buffer, language=language)
    buffer.seek(0)
    return openpyxl.load_workbook(buffer)


def _find_row(sheet, label):
    for row in sheet.iter_rows(values_only=True):
        if row and row[0] == label:
            return list(row)
    raise AssertionError(f"no row {label!r} in {sheet.title}")


def test_workbook_read_back_cell_by_cell(figures):
    book = _workbook(figures)
    assert book.sheetnames == [
        "Overview",
        "Demands",
        "Posts",
        "Publicity",
        "Duty",
        "Tasks handed down",
        "Archive",
        "Assessment",
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.column_dimensions["A"].width > 8

    overview = book["Overview"]
    assert [cell.value for cell in overview[1]][:7] == [
        "Figure",
        "Year 2025",
        "Quarter 1",
        "Quarter 2",
        "Quarter 3",
        "Quarter 4",
        "2025-01",
    ]
    assert _find_row(overview, "Demands received") == ["Demands received", 4, *RECEIVED_BY_QUARTER, *RECEIVED_BY_MONTH]
    assert _find_row(overview, "Demands replied")[:2] == ["Demands replied", 3]
    assert _find_row(overview, "Demands replied on time")[:2] == ["Demands replied on time", 2]
    assert _find_row(overview, "Demands completed")[:2] == ["Demands completed", 2]
    assert _find_row(overview, "Demands overdue")[:2] == ["Demands overdue", 1]
    assert _find_row(overview, "Reply rate")[:2] == ["Reply rate", 0.75]
    assert _find_row(overview, "On-time rate")[:2] == ["On-time rate", 0.5]
    assert _find_row(overview, "Completion rate")[:2] == ["Completion rate", 0.5]
    assert _find_row(overview, "Satisfaction")[:2] == ["Satisfaction", 0.667]  # 2 of 3: 66.7%, the rounded value
    rate_cell = next(row for row in overview.iter_rows() if row[0].value == "Reply rate")[1]
    assert rate_cell.number_format == "0.0%"
    assert _find_row(overview, "Posts taken down")[:2] == ["Posts taken down", 3]
    assert _find_row(overview, "Publicity published")[:6] == ["Publicity published", 4, 1, 1, 1, 1]
    assert _find_row(overview, "Tasks handed down received")[:2] == ["Tasks handed down received", 3]
    assert _find_row(overview, "Archive records")[:2] == ["Archive records", 3]
    assert _find_row(overview, "Complaint")[:2] == ["Complaint", 2]

    demands = list(book["Demands"].iter_rows(values_only=True))
    assert len(demands) - 1 == figures["demands"]["total"]["received"] == 4
    first = demands[1]
    assert first[1] == datetime(2025, 1, 1, 0, 30)  # written in local time
    assert first[2] == "Complaint"
    assert first[10] == "yes"  # replied on time
    assert demands[2][4] == "'" + FORMULA_SUBJECT  # user text never becomes a formula
    assert demands[2][10] == "no"  # replied 30 hours later
    assert [row[13] for row in demands[1:]] == ["no", "no", "no", "yes"]  # overdue now
    assert sum(row[10] == "yes" for row in demands[1:]) == DEMANDS["replied_on_time"]

    posts = book["Posts"]
    assert _find_row(posts, "Year 2025")[:5] == ["Year 2025", 4, 1, 1, 3]
    assert _find_row(posts, "赌博")[:2] == ["赌博", 2]
    titles = [row[2] for row in posts.iter_rows(values_only=True)]
    assert "'" + FORMULA_TITLE in titles
    assert all(cell.data_type != "f" for row in book["Demands"].iter_rows() for cell in row)
    assert all(cell.data_type != "f" for row in posts.iter_rows() for cell in row)

    publicity = book["Publicity"]
    assert _find_row(publicity, "The whole bureau") == ["The whole bureau", 3, 4, 1.333, "2025-09-01", "yes"]  # 133.3%
    assert _find_row(publicity, "县融媒体中心")[:4] == ["县融媒体中心", "City", "Web", 2]

    duty = book["Duty"]
    assert _find_row(duty, "Year 2025")[:7] == ["Year 2025", 3, 0, 3, 1, 1, 1]
    statuses = [row[6] for row in duty.iter_rows(min_row=1, values_only=True) if isinstance(row[0], datetime)]
    assert statuses == ["on time", "late", "missed"]

    tasks = list(book["Tasks handed down"].iter_rows(values_only=True))
    assert [row[9] for row in tasks[1:4]] == ["yes", "no", "no"]

    archive = book["Archive"]
    assert _find_row(archive, "Post taken down") == ["Post taken down", 2, 0, 0, 0, 2] + [0] * 8  # named, not the code
    assert _find_row(archive, "All records")[:2] == ["All records", 3]


def test_workbook_is_chinese_by_default(figures):
    book = _workbook(figures, language="zh-hans")
    assert book.sheetnames == ["概况", "诉求", "帖子", "宣传", "值班", "交办", "档案", "考核"]
    assert _find_row(book["概况"], "接收诉求数")[1] == 4


def _draft_text(figures, language="en") -> str:
    buffer = io.BytesIO()
    write_annual_draft(figures=figures, stream=buffer, language=language)
    buffer.seek(0)
    return "\n".join(paragraph.text for paragraph in docx.Document(buffer).paragraphs)


def test_draft_states_the_year_s_figures_in_sentences(figures):
    text = _draft_text(figures)
    assert "2025 Annual Summary of Online Opinion and Publicity Work" in text
    for heading in (
        "1. Responsibility and resources",
        "2. Handling of online opinions",
        "3. Online publicity",
        "4. Archive",
        "5. Tasks handed down",
        "6. Work points for next year",
    ):
        assert heading in text
    # Every kind is named, in DemandKind's order, 0 where none was received (其他 included).
    assert (
        "The office received 4 demands from the public. By kind: Complaint: 2, Suggestion: 1, Consultation: 1, "
        "Criticism: 0, Praise: 0, Other: 0." in text
    )
    assert (
        "3 demands were replied to, a reply rate of 75.0%; 2 were replied to within the time limit, an on-time rate "
        "of 50.0%. 2 cases were completed, a completion rate of 50.0%." in text
    )
    assert "Of the 3 people reached on call-back, 2 were satisfied or fairly satisfied, a satisfaction of 66.7%." in (
        text
    )
    assert "1 demands were still unanswered past their deadline" in text
    assert "The office found 4 posts on the channels it watches, 1 of them concerning the bureau" in text
    assert "3 posts with prohibited content were taken down" in text
    assert "By category, the posts taken down were: 赌博: 2, 色情: 1." in text
    assert "the bureau published 4, 133.3% of the quota." in text
    assert "ahead of the year's end" in text
    assert "The bureau's work was reported 2 times by 1 outlets: 县融媒体中心 (2)." in text
    assert "3 records were written in the year" in text
    assert "Of these, 2 concern posts, 0 demands, 1 publicity, 0 duty and tasks handed down, and 0 other work." in text
    assert "handed down 3 tasks: 1 opinion special reports, 2 opinion assignments and 0 other tasks" in text
    assert "handled 2 of them and reported back, 1 by the deadline" in text
    assert "1 opinion incidents were reported upward" in text
    assert "(3) To be written by the office." in text


def test_the_three_agree_on_each_figure(figures):
    """The page's stored figures, the workbook and the draft read the same numbers."""
    summary = annual_summary_compile(year=YEAR, schedule_workbook=False)
    book = _workbook(summary.figures)
    text = _draft_text(summary.figures)
    received = summary.figures["demands"]["total"]["received"]
    assert _find_row(book["Overview"], "Demands received")[1] == received == figures["demands"]["total"]["received"]
    assert f"The office received {received} demands" in text


# --- The command -----------------------------------------------------------------------------------


def test_command_writes_the_workbook_and_the_draft(year_2025, tmp_path):
    target = tmp_path / "summary.xlsx"
    out = io.StringIO()
    call_command("export_annual_summary", "--year", "2025", "--output", str(target), "--language", "en", stdout=out)
    assert "4 demands" in out.getvalue()
    book = openpyxl.load_workbook(target)
    assert _find_row(book["Overview"], "Demands received")[1] == 4
    draft = tmp_path / "summary.docx"
    call_command(
        "export_annual_summary", "--year", "2025", "-o", str(draft), "--format", "docx", "--language", "en", stdout=out
    )
    assert "The office received 4 demands" in "\n".join(p.text for p in docx.Document(draft).paragraphs)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["summary.docx", "summary.xlsx"]  # no leftovers


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("twenty", "twenty is not a year."),
        ("1999", "The year must be between 2000 and 2026."),
        ("2027", "The year must be between 2000 and 2026."),  # the future (the clock stands in 2026)
        ("2019", "Nothing was recorded in 2019: there is no summary to write."),
    ],
)
def test_command_refuses_a_bad_or_empty_year(year_2025, tmp_path, year, message):
    with translation.override("en"), pytest.raises(CommandError, match=message):
        call_command("export_annual_summary", "--year", year, "--output", str(tmp_path / "x.xlsx"))
    assert list(tmp_path.iterdir()) == []


def test_command_refuses_an_unwritable_path(year_2025, tmp_path):
    with translation.override("en"):
        with pytest.raises(CommandError, match="does not exist"):
            call_command("export_annual_summary", "--year", "2025", "--output", str(tmp_path / "missing" / "x.xlsx"))
        with pytest.raises(CommandError, match="is a folder"):
            call_command("export_annual_summary", "--year", "2025", "--output", str(tmp_path))


def test_command_exits_non_zero_on_error(year_2025, tmp_path, capsys):
    from django.core.management import ManagementUtility

    utility = ManagementUtility(["manage.py", "export_annual_summary", "--year", "1999", "-o", str(tmp_path / "x")])
    with pytest.raises(SystemExit) as exit_info:
        utility.execute()
    assert exit_info.value.code != 0
    assert "CommandError" in capsys.readouterr().err


def test_progress_bar_draws_in_place():
    from reports.management.commands.export_annual_summary import ProgressBar

    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar("诉求", 50, 100)
    bar("诉求", 100, 100)
    bar("帖子", 7, None)
    bar.finish()
    assert stream.getvalue() == (
        "\r诉求 [###############               ] 50/100\r诉求 [##############################] 100/100\n\r帖子: 7\n"
    )


# --- Services ------------------------------------------------------------------------------------------


def test_compile_stores_one_row_per_year_and_archives_each_compilation(year_2025, cast):
    leader = cast["leader"].user
    summary = annual_summary_compile(year=YEAR, actor=leader, schedule_workbook=False)
    assert (summary.is_final, summary.compiled_by, _stored(summary.figures["demands"]["total"])) == (
        True,
        leader,
        DEMANDS,
    )
    again = annual_summary_compile(year=YEAR, schedule_workbook=False)
    assert AnnualSummary.objects.count() == 1
    assert again.pk == summary.pk
    assert again.compiled_by is None
    records = ArchiveRecord.objects.filter(action="reports.annualsummary.compiled").order_by("pk")
    assert [(record.actor, record.after["demands.received"]) for record in records] == [(leader, 4), (None, 4)]


def test_compiling_the_current_year_is_not_final(year_2025):
    assert annual_summary_compile(year=2026, schedule_workbook=False).is_final is False


def test_workbook_is_written_once_per_compilation(year_2025):
    summary = annual_summary_compile(year=YEAR, schedule_workbook=False)
    assert not summary.has_current_workbook
    assert annual_summary_write_workbook(summary_id=summary.pk) is True
    assert annual_summary_write_workbook(summary_id=summary.pk) is False  # a second run finds it written
    summary.refresh_from_db()
    assert summary.has_current_workbook
    first_name = summary.workbook.name
    with summary.workbook.open("rb") as stream:
        assert _find_row(openpyxl.load_workbook(stream).worksheets[0], _overview_label())[1] == 4

    recompiled = annual_summary_compile(year=YEAR, schedule_workbook=False)
    assert not recompiled.has_current_workbook
    assert annual_summary_write_workbook(summary_id=summary.pk) is True
    recompiled.refresh_from_db()
    assert recompiled.has_current_workbook
    assert recompiled.workbook.name != first_name


def _overview_label() -> str:
    with translation.override("zh-hans"):
        return translation.gettext("Demands received")


def test_final_compile_on_new_year_runs_once(year_2025, travel):
    travel.move_to(local(2026, 1, 1, 0, 30))
    assert annual_summary_compile_final() == YEAR
    summary = AnnualSummary.objects.get(year=YEAR)
    assert summary.is_final
    assert summary.has_current_workbook
    assert annual_summary_compile_final() is None
    assert ArchiveRecord.objects.filter(action="reports.annualsummary.compiled").count() == 1

"""A year that is finished and then corrected: the final summary compiled on 1 January, a late
change touching that year marks it as changed, the nightly compile makes revision 2, and revision 1
stays readable with its own figures.

The crafted 2025 (hand-counted; complaints, 24-hour rule, nobody reviews complaints):
- A: received 10 June 10:00, replied 12:00 the same day (on time);
- B: received 11 June 10:00, replied 11:00 (on time);
- C: received 30 December 10:00, due 31 December 10:00, assigned to the staff member, unreplied.
At the final compile (1 January 2026 00:30): received 3, replied 2 (A, B), on time 2, overdue 1 (C).
C is replied on 5 January 2026: replied 3, on time still 2, overdue 0."""

import copy
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from archive.models import ArchiveRecord
from assignments.services.swaps_leave import shift_unassign
from bureau.models import AnnualSummary
from opinions.models import Demand
from opinions.services.demands import demand_reply
from opinions.services.posts import posts_import
from publicity.services.posts import post_correct_publication
from reports.annual.changes import years_touched
from reports.annual.services import (
    annual_summaries_note_changes,
    annual_summary_compile,
    annual_summary_compile_current,
    annual_summary_compile_final,
)
from reports.models import AnnualSummaryRevision
from tests.assignments.factories import ShiftAssignmentFactory, ShiftFactory
from tests.factories import make_cast
from tests.opinions.factories import ChannelFactory, DemandFactory
from tests.publicity.factories import PublicityPostFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


NEW_YEAR_JOB = at(2026, 1, 1, 0, 30)  # the 1 January beat job; the tests start there


@pytest.fixture(scope="module")
def _year_2025(module_rows):
    """The cast and the year, compiled final, built once for the module's tests (``module_rows``)."""
    return module_rows.build(_build_year_2025)


@pytest.fixture
def cast(_year_2025, db):
    return copy.deepcopy(_year_2025["cast"])


@pytest.fixture
def year_2025(_year_2025, cast, travel):
    travel.move_to(NEW_YEAR_JOB)
    return copy.deepcopy({"channel": _year_2025["channel"], "late": _year_2025["late"]})


def _build_year_2025() -> dict:
    cast = make_cast()
    channel = ChannelFactory()
    DemandFactory(
        channel=channel,
        received_at=at(2025, 6, 10, 10),
        state=Demand.State.REPLIED,
        replied_at=at(2025, 6, 10, 12),
        first_replied_at=at(2025, 6, 10, 12),
    )
    DemandFactory(
        channel=channel,
        received_at=at(2025, 6, 11, 10),
        state=Demand.State.REPLIED,
        replied_at=at(2025, 6, 11, 11),
        first_replied_at=at(2025, 6, 11, 11),
    )
    late = DemandFactory(
        channel=channel,
        received_at=at(2025, 12, 30, 10),
        due_at=at(2025, 12, 31, 10),
        state=Demand.State.ASSIGNED,
        handler=cast["staff"],
    )
    with time_machine.travel(NEW_YEAR_JOB, tick=False):
        assert annual_summary_compile_final() == 2025
    return {"cast": cast, "channel": channel, "late": late}


def _total(figures: dict) -> tuple[int, int, int, int]:
    total = figures["demands"]["total"]
    return total["received"], total["replied"], total["replied_on_time"], total["overdue"]


def _late_reply(year_2025, cast, travel) -> None:
    travel.move_to(at(2026, 1, 5, 10))
    demand_reply(demand=year_2025["late"], actor=cast["staff"].user, reply_text="路灯已修复，已电话告知市民。")


def test_the_final_compile_is_revision_1(year_2025):
    summary = AnnualSummary.objects.get(year=2025)
    revision = AnnualSummaryRevision.objects.get(summary=summary)
    assert (summary.is_final, revision.number, revision.changes, revision.changed_at) == (True, 1, [], None)
    assert _total(revision.figures) == (3, 2, 2, 1)


def test_a_late_reply_after_the_final_compile_marks_it_changed(year_2025, cast, travel):
    _late_reply(year_2025, cast, travel)
    travel.move_to(at(2026, 1, 5, 10, 10))  # the ten-minute job
    assert annual_summaries_note_changes() == [2025]
    revision = AnnualSummaryRevision.objects.get(summary__year=2025)
    assert revision.changed_at == at(2026, 1, 5, 10)  # the moment the reply was recorded
    assert annual_summaries_note_changes() == []  # a second run finds it already marked


def test_a_change_touching_only_the_new_year_leaves_the_final_year_alone(year_2025, cast, travel):
    travel.move_to(at(2026, 1, 3, 9))
    # A demand received in 2026, replied; and posts imported (found) in 2026.
    fresh = DemandFactory(
        channel=year_2025["channel"], received_at=at(2026, 1, 3, 8), state=Demand.State.ASSIGNED, handler=cast["staff"]
    )
    demand_reply(demand=fresh, actor=cast["staff"].user, reply_text="已答复。")
    rows = [{"channel_id": year_2025["channel"].pk, "title": "新年第一帖", "posted_at": "2025-12-31T23:00:00+08:00"}]
    posts_import(rows=rows, actor=cast["staff"].user)
    assert annual_summaries_note_changes() == []
    assert AnnualSummaryRevision.objects.get(summary__year=2025).changed_at is None


def test_the_nightly_compile_makes_revision_2_and_revision_1_stays_readable(year_2025, cast, travel):
    _late_reply(year_2025, cast, travel)
    travel.move_to(at(2026, 1, 6, 1, 30))  # the nightly job (the ten-minute job has not run yet)
    assert annual_summary_compile_current() == 2026

    first, second = AnnualSummaryRevision.objects.filter(summary__year=2025).order_by("number")
    assert _total(first.figures) == (3, 2, 2, 1)  # revision 1 as it was compiled on 1 January
    assert _total(second.figures) == (3, 3, 2, 0)  # C replied late: replied 3, on time 2, overdue 0
    assert (second.number, second.changed_at, second.compiled_by) == (2, None, None)
    changed = {change["figure"]: (change["old"], change["new"]) for change in second.changes}
    assert changed["demands.total.replied"] == (2, 3)
    assert changed["demands.total.overdue"] == (1, 0)
    assert "demands.total.received" not in changed
    assert "demands.total.replied_on_time" not in changed
    assert "as_of" not in changed
    summary = AnnualSummary.objects.get(year=2025)
    assert _total(summary.figures) == (3, 3, 2, 0)  # the current figures are revision 2's
    record = ArchiveRecord.objects.filter(action="reports.annualsummary.compiled", target_id=str(summary.pk)).first()
    assert (record.after["revision"], record.after["demands.replied"]) == (2, 3)

    # The next night nothing touched 2025: no revision 3.
    travel.move_to(at(2026, 1, 7, 1, 30))
    annual_summary_compile_current()
    assert AnnualSummaryRevision.objects.filter(summary__year=2025).count() == 2


def test_a_click_with_nothing_changed_keeps_the_revision(year_2025, cast, travel):
    travel.move_to(at(2026, 1, 2, 9))
    annual_summary_compile(year=2025, actor=cast["leader"].user, schedule_workbook=False)
    assert list(AnnualSummaryRevision.objects.filter(summary__year=2025).values_list("number", flat=True)) == [1]


def test_the_page_says_which_revision_and_opens_the_earlier_one(year_2025, cast, travel, client_as):
    _late_reply(year_2025, cast, travel)
    travel.move_to(at(2026, 1, 5, 10, 10))
    annual_summaries_note_changes()
    client = client_as("leader")
    with translation.override("zh-hans"):
        page = client.get(reverse("annual:summary-detail", args=[2025]), HTTP_ACCEPT_LANGUAGE="zh-hans")
        text = page.content.decode()
        assert "第1版" in text
        assert "data-changed-since-final" in text  # changed since revision 1

        response = client.post(reverse("annual:summary-compile"), {"year": 2025}, follow=True)
        text = response.content.decode()
        assert "第2版" in text
        assert "data-changed-since-final" not in text
        assert 'data-revision="2"' in text

        earlier = client.get(reverse("annual:summary-revision", args=[2025, 1]))
        text = earlier.content.decode()
        assert 'data-revision="1"' in text
        # Revision 1's figure card: 3 received; and the link to the current one, revision 2.
        assert reverse("annual:summary-detail", args=[2025]) in text
        assert "第2版" in text

        second = client.get(reverse("annual:summary-revision", args=[2025, 2]))
        assert "data-revision-changes" in second.content.decode()  # what changed, old → new
        assert client.get(reverse("annual:summary-revision", args=[2025, 3])).status_code == 404
        draft = client.get(reverse("annual:summary-revision-draft", args=[2025, 1]))
        assert draft.status_code == 200


def test_years_touched_maps_targets_to_their_year(year_2025, cast, travel):
    watermark = ArchiveRecord.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    _late_reply(year_2025, cast, travel)
    touches = years_touched(after_record=watermark)
    assert set(touches.by_year) == {2025}  # the reply names a demand received in 2025


def test_a_publication_date_corrected_out_of_the_final_year_marks_it(year_2025, cast, travel):
    """Published 30 December 2025, corrected in January to 2 January 2026: 2025 loses a post (the
    old date is in the record's ``before``), so 2025 is marked."""
    post = PublicityPostFactory(author=cast["staff"], published=date(2025, 12, 30))  # no record written
    travel.move_to(at(2026, 1, 8, 9))
    post_correct_publication(
        post=post, actor=cast["staff"].user, published_on=date(2026, 1, 2), link="", reason="登记日期有误"
    )
    assert annual_summaries_note_changes() == [2025]


def test_a_shift_of_the_final_year_taken_away_later_marks_it(year_2025, cast, travel):
    """A correction of the December roster made in January: the assignment row is deleted, and
    its record names the shift (29 December 2025)."""
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(on=date(2025, 12, 29)))  # no record written
    travel.move_to(at(2026, 1, 8, 9))
    shift_unassign(assignment=assignment, actor=cast["supervisor"].user)
    assert annual_summaries_note_changes() == [2025]


def test_the_admin_shows_revisions_read_only(year_2025, client_as):
    client = client_as("admin")
    assert client.get(reverse("admin:reports_annualsummaryrevision_changelist")).status_code == 200
    revision = AnnualSummaryRevision.objects.get(summary__year=2025)
    detail = client.get(reverse("admin:reports_annualsummaryrevision_change", args=[revision.pk]))
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()
    assert client.get(reverse("admin:reports_annualsummaryrevision_add")).status_code == 403

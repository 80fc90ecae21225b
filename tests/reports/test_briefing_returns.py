"""退回修改: a leader returns a submitted briefing only with a reason; the return is archived with it
and kept (open until the briefing is submitted again, then as history); whoever drafted or edited
the briefing is told; the page and the list show the return and its reason. The page refuses an
empty reason in Chinese and keeps what the leader typed."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from archive.models import ArchiveRecord
from bureau.models import Notification
from reports.briefings import services
from reports.models import Briefing, BriefingReturn

pytestmark = pytest.mark.usefixtures("travel")  # now: Monday 2026-03-02 09:00 in Shanghai
DAY = date(2026, 3, 1)
REASON = "请补充城关镇停水的处置进度。"


def _submitted(cast, *, day=DAY, editor="supervisor") -> Briefing:
    """Drafted by the staff member, edited by ``editor``, submitted by the staff member."""
    briefing, _drafted = services.briefing_draft(actor=cast["staff"].user, kind=Briefing.Kind.DAILY, day=day)
    services.briefing_edit(actor=cast[editor].user, briefing=briefing, sections={"next_steps": "继续关注。"})
    return services.briefing_submit(actor=cast["staff"].user, briefing=briefing)


@pytest.mark.parametrize("reason", ["", "  \n "])
def test_a_return_without_a_reason_is_refused_and_changes_nothing(cast, reason):
    briefing = _submitted(cast)
    with translation.override("en"), pytest.raises(ValidationError, match="say what must change"):
        services.briefing_return(actor=cast["director"].user, briefing=briefing, reason=reason)
    assert Briefing.objects.get(pk=briefing.pk).state == Briefing.State.SUBMITTED
    assert not BriefingReturn.objects.exists()
    assert not ArchiveRecord.objects.filter(action="reports.briefing.returned").exists()


def test_a_return_is_kept_archived_with_its_reason_and_the_writers_are_told(cast, travel):
    briefing = _submitted(cast)
    travel.shift(timedelta(minutes=30))
    returned = services.briefing_return(actor=cast["director"].user, briefing=briefing, reason=f"  {REASON} ")
    assert (returned.state, returned.submitted_at) == (Briefing.State.DRAFT, None)
    entry = BriefingReturn.objects.get()
    assert (entry.briefing_id, entry.returned_by, entry.reason, entry.resubmitted_at) == (
        briefing.pk,
        cast["director"].user,
        REASON,
        None,
    )
    record = ArchiveRecord.objects.get(action="reports.briefing.returned", target_id=str(briefing.pk))
    assert record.summary == REASON
    assert record.before == {"state": "submitted"}
    assert record.after == {"state": "draft", "reason": REASON}
    notices = Notification.objects.filter(kind=services.RETURNED_NOTICE_KIND)
    # The drafter (staff) and the editor (office head); not the leader who returned it.
    assert {notice.recipient for notice in notices} == {cast["staff"].user, cast["supervisor"].user}
    assert {(notice.body, notice.link) for notice in notices} == {(REASON, briefing.get_absolute_url())}


def test_the_returning_leader_is_not_told_of_their_own_return(cast):
    briefing = _submitted(cast, editor="leader")
    services.briefing_return(actor=cast["leader"].user, briefing=briefing, reason=REASON)
    told = Notification.objects.filter(kind=services.RETURNED_NOTICE_KIND).values_list("recipient", flat=True)
    assert list(told) == [cast["staff"].user.pk]


def test_submitting_again_closes_the_return_and_keeps_it_as_history(cast, travel):
    briefing = _submitted(cast)
    services.briefing_return(actor=cast["director"].user, briefing=briefing, reason=REASON)
    travel.shift(timedelta(hours=1))
    services.briefing_edit(actor=cast["staff"].user, briefing=briefing, sections={"next_steps": "已补充。"})
    resubmitted = services.briefing_submit(actor=cast["staff"].user, briefing=briefing)
    first = BriefingReturn.objects.get()
    assert first.resubmitted_at == resubmitted.submitted_at
    assert not first.is_open
    services.briefing_return(actor=cast["leader"].user, briefing=briefing, reason="数据口径再核对一下。")
    reasons = list(BriefingReturn.objects.filter(briefing=briefing).values_list("reason", "resubmitted_at"))
    assert reasons == [("数据口径再核对一下。", None), (REASON, resubmitted.submitted_at)]  # newest first


def test_the_database_holds_one_open_return_and_a_reason(cast):
    briefing = _submitted(cast)
    services.briefing_return(actor=cast["director"].user, briefing=briefing, reason=REASON)
    entry = BriefingReturn.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        BriefingReturn.objects.create(
            briefing=briefing, returned_at=entry.returned_at, returned_by=entry.returned_by, reason="再退一次"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        BriefingReturn.objects.filter(pk=entry.pk).update(reason="")


# --- Pages -----------------------------------------------------------------------------------------


def test_an_empty_reason_is_refused_in_chinese_on_the_briefings_page(client_as, cast):
    briefing = _submitted(cast)
    response = client_as("director").post(f"/briefings/{briefing.pk}/return/", {"reason": "   "})
    assert response.status_code == 200
    body = response.content.decode()
    assert "请填写退回理由，说明需要修改什么。" in body
    assert 'open data-testid="return-box"' in body  # the reason box stays open beside the error
    assert Briefing.objects.get(pk=briefing.pk).state == Briefing.State.SUBMITTED


def test_a_refused_return_keeps_what_the_leader_typed(client_as, cast):
    briefing = _submitted(cast)
    services.briefing_return(actor=cast["leader"].user, briefing=briefing, reason=REASON)
    # A second leader, on the page still open from before, returns it too: refused, text kept.
    response = client_as("director").post(f"/briefings/{briefing.pk}/return/", {"reason": "第二位领导的意见"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "只有已提交的简报可以退回。" in body
    assert "第二位领导的意见</textarea>" in body
    assert BriefingReturn.objects.count() == 1


def test_staff_see_the_return_and_its_reason_on_the_page_and_in_the_list(client_as, cast, travel):
    briefing = _submitted(cast)
    leader = client_as("director")
    response = leader.post(f"/briefings/{briefing.pk}/return/", {"reason": REASON})
    assert response.status_code == 302
    staff = client_as("staff")
    page = staff.get(briefing.get_absolute_url()).content.decode()
    assert 'data-testid="returned-badge">已退回<' in page
    assert f'data-testid="open-return-reason">{REASON}<' in page
    assert "尚未重新提交" in page  # the history's entry
    edit = staff.get(f"/briefings/{briefing.pk}/edit/").content.decode()
    assert REASON in edit  # what must change, beside the text to change
    listing = staff.get("/briefings/").content.decode()
    assert listing.count('data-testid="returned-badge"') == 1
    assert f'data-testid="returned-reason" title="{REASON}">{REASON}<' in listing
    assert staff.get("/briefings/?state=returned").content.decode().count('data-testid="briefing-row"') == 1

    travel.shift(timedelta(hours=1))
    staff = client_as("staff")  # an hour idle ends a session
    staff.post(f"/briefings/{briefing.pk}/edit/", {"next_steps": "已补充处置进度。"})
    assert staff.post(f"/briefings/{briefing.pk}/submit/").status_code == 302
    response = staff.get(briefing.get_absolute_url())
    assert response.status_code == 200, response
    page = response.content.decode()
    assert 'data-testid="returned-badge"' not in page
    assert 'data-testid="open-return"' not in page
    assert page.count('data-testid="return-entry"') == 1
    assert "于 2026-03-02 10:00 重新提交" in page
    assert 'data-testid="returned-badge"' not in staff.get("/briefings/").content.decode()
    assert staff.get("/briefings/?state=returned").content.decode().count('data-testid="briefing-row"') == 0


def test_the_list_reads_returns_in_the_same_number_of_queries(client_as, cast):
    staff = client_as("staff")
    for day in (1, 2):
        services.briefing_return(
            actor=cast["director"].user, briefing=_submitted(cast, day=date(2026, 2, day)), reason=REASON
        )
    with CaptureQueriesContext(connection) as small:
        staff.get("/briefings/")
    for day in range(3, 13):
        services.briefing_return(
            actor=cast["director"].user, briefing=_submitted(cast, day=date(2026, 2, day)), reason=REASON
        )
    with CaptureQueriesContext(connection) as large:
        body = staff.get("/briefings/").content.decode()
    assert body.count('data-testid="returned-badge"') == 12
    assert len(large) == len(small), [query["sql"] for query in large.captured_queries]

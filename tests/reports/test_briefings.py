"""Briefings: the overview figures equal the dashboard's for the same period (hand-counted, across
the local-midnight boundary, live and from the stored days); four eyes; a signed briefing never
changes (the service, the model and the PostgreSQL trigger); the Word document reads back; the
morning job drafts once however often it runs; the distribution list; the pages and refusals."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import translation
from docx import Document

from archive.models import ArchiveRecord
from bureau.models import Notification
from events.models import Event, EventPost, EventResponse, Level
from opinions.models import Demand, Post
from opinions.services.daily_figures import daily_figures_rebuild
from reports.briefings import services
from reports.briefings.document import write_briefing
from reports.briefings.selectors import briefing_figures, briefing_period
from reports.dashboard.selectors import Period, dashboard
from reports.models import Briefing, BriefingDelivery, BriefingRecipient, SignedBriefingChanged
from reports.tasks import briefings_draft_scheduled_task
from reports.todo import todo_counts
from tests.alerts.factories import ChatRobotFactory
from tests.assignments.factories import IncidentReportFactory
from tests.opinions.factories import ChannelFactory, DemandFactory, PostFactory, ScreeningCategoryFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.usefixtures("travel")  # now: Monday 2026-03-02 09:00 in Shanghai
DAY = date(2026, 3, 1)  # yesterday, a Sunday


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


@pytest.fixture
def crafted(cast):
    """Around 1 March 2026 (Shanghai), one second either side of each midnight.

    Posts: 28 Feb 23:59:59 (out); 1 Mar 00:00:00 relevant, taken down as 赌博; 1 Mar 12:00 relevant;
    1 Mar 23:59:59 taken down as 色情; 2 Mar 00:00:00 (out). → found 3, relevant 2, taken down 2.
    Demands: 28 Feb 23:59:59 (out); 1 Mar 00:00 unanswered, due 2 Mar 00:00 (overdue now); 1 Mar
    10:00 replied; 1 Mar 23:59:59 unanswered, due tonight; 2 Mar 00:00 (out). → received 3,
    replied 1, overdue 1. Events first seen: 1 Mar 00:00 level II, 1 Mar 08:00 not graded, 28 Feb
    23:59 level I (out). Reports upward: 1 Mar 09:00, 2 Mar 00:00 (out)."""
    forum = ChannelFactory(name="县论坛")
    gambling = ScreeningCategoryFactory(name="赌博", code="gambling")
    porn = ScreeningCategoryFactory(name="色情", code="porn")
    posts = [
        PostFactory(channel=forum, found_at=at(2026, 2, 28, 23, 59, 59), is_relevant=True),
        PostFactory(
            channel=forum,
            found_at=at(2026, 3, 1, 0, 0, 0),
            is_relevant=True,
            status=Post.Status.TAKEN_DOWN,
            category=gambling,
            title="城关镇停水",
        ),
        PostFactory(channel=forum, found_at=at(2026, 3, 1, 12), is_relevant=True, title="城关镇停水第二天"),
        PostFactory(channel=forum, found_at=at(2026, 3, 1, 23, 59, 59), status=Post.Status.TAKEN_DOWN, category=porn),
        PostFactory(channel=forum, found_at=at(2026, 3, 2, 0, 0, 0), is_relevant=True),
    ]
    DemandFactory(received_at=at(2026, 2, 28, 23, 59, 59), state=Demand.State.ASSIGNED)
    DemandFactory(received_at=at(2026, 3, 1, 0, 0), state=Demand.State.ASSIGNED)
    DemandFactory(
        received_at=at(2026, 3, 1, 10),
        state=Demand.State.REPLIED,
        first_replied_at=at(2026, 3, 1, 11),
        replied_at=at(2026, 3, 1, 11),
    )
    DemandFactory(received_at=at(2026, 3, 1, 23, 59, 59), state=Demand.State.ASSIGNED)
    DemandFactory(received_at=at(2026, 3, 2, 0, 0), state=Demand.State.ASSIGNED)
    creator = cast["supervisor"].user
    water = Event.objects.create(
        title="城关镇停水", level=Level.II, first_seen_at=at(2026, 3, 1), created_at=at(2026, 3, 1), created_by=creator
    )
    for post in posts[1:3]:
        EventPost.objects.create(event=water, post=post, added_at=at(2026, 3, 1, 13))
    EventResponse.objects.create(
        event=water,
        kind="first_response",
        responded_at=at(2026, 3, 1, 14),
        text="已在论坛回复，说明抢修进度。",
        recorded_by=creator,
        recorded_at=at(2026, 3, 1, 14),
    )
    Event.objects.create(
        title="图书馆开放", first_seen_at=at(2026, 3, 1, 8), created_at=at(2026, 3, 1, 8), created_by=creator
    )
    Event.objects.create(
        title="旧事件",
        level=Level.I,
        first_seen_at=at(2026, 2, 28, 23, 59),
        created_at=at(2026, 2, 28, 23, 59),
        created_by=creator,
    )
    IncidentReportFactory(title="停水上报", reported_at=at(2026, 3, 1, 9))
    IncidentReportFactory(title="今日上报", reported_at=at(2026, 3, 2, 0, 0))
    return {"water": water}


def _board(period: Period) -> tuple:
    board = dashboard(period=period)
    return (
        board.posts.found,
        board.posts.relevant,
        board.posts.taken_down,
        [(name, count) for _pk, name, count in board.posts.by_category],
        board.demands.total.received,
        board.demands.total.replied,
        board.demands.total.overdue,
    )


def _briefing(period: Period) -> tuple:
    figures = briefing_figures(period=period)
    return (
        figures.posts_found,
        figures.posts_relevant,
        figures.posts_taken_down,
        figures.taken_down_by_category,
        figures.demands_received,
        figures.demands_replied,
        figures.demands_overdue,
    )


EXPECTED_DAY = (3, 2, 2, [("色情", 1), ("赌博", 1)], 3, 1, 1)


@pytest.mark.parametrize("stored", [False, True], ids=["live", "stored-days"])
def test_a_days_figures_are_the_dashboards_counted_by_hand(crafted, stored):
    if stored:
        daily_figures_rebuild()
    period = briefing_period(kind=Briefing.Kind.DAILY, day=DAY)
    assert (period.first, period.last) == (DAY, DAY)
    assert _briefing(period) == EXPECTED_DAY
    assert _board(period) == EXPECTED_DAY
    figures = briefing_figures(period=period)
    assert figures.events_by_level == {"I": 0, "II": 1, "III": 0, "": 1}
    assert (figures.events_total, figures.reports_upward) == (2, 1)


def test_a_weeks_figures_are_the_dashboards(crafted):
    period = briefing_period(kind=Briefing.Kind.WEEKLY, day=DAY)
    assert (period.first, period.last) == (date(2026, 2, 23), DAY)
    # The week adds the 28 February post and demand (23:59:59) and the level I event.
    assert _briefing(period) == (4, 3, 2, [("色情", 1), ("赌博", 1)], 4, 1, 2)
    assert _board(period) == _briefing(period)
    assert briefing_figures(period=period).events_by_level == {"I": 1, "II": 1, "III": 0, "": 1}


def test_the_draft_holds_the_figures_events_and_reports(crafted, cast):
    briefing, _drafted = services.briefing_draft(actor=cast["staff"].user, kind=Briefing.Kind.DAILY, day=DAY)
    assert briefing.figures["posts_found"] == 3
    assert briefing.figures["demands_overdue"] == 1
    assert "城关镇停水" in briefing.sections["events"]
    assert "已在论坛回复" in briefing.sections["events"]
    assert "停水上报" in briefing.sections["reports"]
    assert "今日上报" not in briefing.sections["reports"]
    assert briefing.sections["next_steps"] == ""
    assert ArchiveRecord.objects.filter(action="reports.briefing.drafted", target_id=str(briefing.pk)).count() == 1


def _ready(cast, *, drafter="staff") -> Briefing:
    briefing, _drafted = services.briefing_draft(actor=cast[drafter].user, kind=Briefing.Kind.DAILY, day=DAY)
    briefing = services.briefing_edit(
        actor=cast[drafter].user, briefing=briefing, sections={"next_steps": "继续关注城关镇供水。"}
    )
    return services.briefing_submit(actor=cast[drafter].user, briefing=briefing)


def test_four_eyes_the_drafter_or_an_editor_cannot_sign(cast):
    own = _ready(cast, drafter="leader")
    with pytest.raises(PermissionDenied):
        services.briefing_sign(actor=cast["leader"].user, briefing=own)
    edited, _drafted = services.briefing_draft(
        actor=cast["staff"].user, kind=Briefing.Kind.DAILY, day=date(2026, 2, 28)
    )
    services.briefing_edit(actor=cast["leader"].user, briefing=edited, sections={"next_steps": "领导补充。"})
    services.briefing_submit(actor=cast["staff"].user, briefing=edited)
    with pytest.raises(PermissionDenied):
        services.briefing_sign(actor=cast["leader"].user, briefing=edited)
    with pytest.raises(PermissionDenied):  # not a leader
        services.briefing_sign(actor=cast["supervisor"].user, briefing=own)
    signed = services.briefing_sign(actor=cast["director"].user, briefing=own)
    assert signed.state == Briefing.State.SIGNED


def test_submit_needs_the_next_steps_and_sign_needs_a_submission(cast):
    briefing, _drafted = services.briefing_draft(actor=cast["staff"].user, kind=Briefing.Kind.DAILY, day=DAY)
    with translation.override("en"), pytest.raises(ValidationError, match="next steps"):
        services.briefing_submit(actor=cast["staff"].user, briefing=briefing)
    with translation.override("en"), pytest.raises(ValidationError, match="Submit"):
        services.briefing_sign(actor=cast["leader"].user, briefing=briefing)


def test_a_signed_briefing_cannot_change(cast):
    briefing = services.briefing_sign(actor=cast["leader"].user, briefing=_ready(cast))
    assert len(briefing.signed_sha256) == 64
    record = ArchiveRecord.objects.get(action="reports.briefing.signed", target_id=str(briefing.pk))
    assert record.after["sha256"] == briefing.signed_sha256
    assert "继续关注城关镇供水。" in briefing.signed_text
    with pytest.raises(ValidationError):  # the service
        services.briefing_edit(actor=cast["staff"].user, briefing=briefing, sections={"next_steps": "改"})
    with pytest.raises(ValidationError):
        services.briefing_return(actor=cast["director"].user, briefing=briefing, reason="再改")
    stored = Briefing.objects.get(pk=briefing.pk)
    stored.title = "改过的标题"
    with pytest.raises(SignedBriefingChanged):  # the model
        stored.save()
    with pytest.raises(SignedBriefingChanged):
        stored.delete()
    with pytest.raises(DatabaseError), transaction.atomic():  # the database, past the ORM's checks
        Briefing.objects.filter(pk=briefing.pk).update(title="改过的标题")
    with pytest.raises(DatabaseError), transaction.atomic():
        Briefing.objects.filter(pk=briefing.pk).delete()
    assert Briefing.objects.get(pk=briefing.pk).title == briefing.title


def test_the_signed_briefing_goes_to_the_distribution_list(cast, monkeypatch, django_capture_on_commit_callbacks):
    robot = ChatRobotFactory(name="舆情群")
    BriefingRecipient.objects.create(user=cast["supervisor"].user)
    BriefingRecipient.objects.create(robot=robot)
    BriefingRecipient.objects.create(user=cast["admin"].user, is_active=False)
    sent = []
    monkeypatch.setattr(services, "robot_send", lambda **kwargs: sent.append(kwargs))
    with django_capture_on_commit_callbacks(execute=False):
        briefing = services.briefing_sign(actor=cast["leader"].user, briefing=_ready(cast))
    notices = Notification.objects.filter(kind=services.NOTICE_KIND, link=briefing.get_absolute_url())
    assert [notice.recipient for notice in notices] == [cast["supervisor"].user]
    assert BriefingDelivery.objects.filter(briefing=briefing, robot=robot, sent_at__isnull=True).count() == 1
    assert services.briefing_deliveries_send() == 1
    assert services.briefing_deliveries_send() == 0  # sent once
    assert len(sent) == 1
    assert briefing.title in sent[0]["body"]


def test_the_word_document_reads_back_with_its_headings(crafted, cast):
    briefing = services.briefing_sign(actor=cast["leader"].user, briefing=_ready(cast))
    stream = io.BytesIO()
    write_briefing(briefing=briefing, stream=stream)
    stream.seek(0)
    texts = [paragraph.text for paragraph in Document(stream).paragraphs]
    assert texts[0] == "网络舆情日报（2026年3月1日）"
    for heading in ("一、总体情况", "二、主要舆情事件及处置情况", "三、上报情况", "四、下一步工作"):
        assert heading in texts
    assert "继续关注城关镇供水。" in texts
    section = Document(io.BytesIO(stream.getvalue())).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_a_special_report_has_the_four_parts(crafted, cast):
    briefing, _drafted = services.briefing_draft_special(actor=cast["staff"].user, event=crafted["water"])
    assert briefing.kind == Briefing.Kind.SPECIAL
    assert briefing.event == crafted["water"]
    assert set(briefing.sections) == {"situation", "spread", "handling", "next_steps"}
    assert "2" in briefing.sections["situation"]  # two posts
    assert "县论坛" in briefing.sections["spread"]
    assert "已在论坛回复" in briefing.sections["handling"]
    stream = io.BytesIO()
    write_briefing(briefing=briefing, stream=stream)
    texts = [paragraph.text for paragraph in Document(io.BytesIO(stream.getvalue())).paragraphs]
    for heading in ("一、事件概况", "二、传播态势", "三、处置情况", "四、下一步工作"):
        assert heading in texts


def test_the_morning_job_drafts_once_and_tells_the_office_head(cast):
    assert briefings_draft_scheduled_task() is not None
    assert briefings_draft_scheduled_task() is None  # the (job, day) row is taken
    assert services.briefings_draft_scheduled() == []  # and each period's draft exists already
    drafts = Briefing.objects.filter(by_schedule=True).order_by("kind")
    assert [(b.kind, b.first, b.last) for b in drafts] == [
        ("daily", DAY, DAY),
        ("weekly", date(2026, 2, 23), DAY),
    ]
    told = Notification.objects.filter(kind=services.NOTICE_KIND, recipient=cast["supervisor"].user)
    assert told.count() == 2


def test_on_a_tuesday_the_job_drafts_only_the_daily(cast, travel):
    travel.shift(timedelta(days=1))
    services.briefings_draft_scheduled()
    assert list(Briefing.objects.values_list("kind", "first")) == [("daily", date(2026, 3, 2))]


# --- Pages -----------------------------------------------------------------------------------------


def test_pages_refuse_those_without_the_permission(client_as, cast):
    briefing = _ready(cast)
    outsider = client_as("outsider")
    for url in ("/briefings/", "/briefings/draft/", f"/briefings/{briefing.pk}/", f"/briefings/{briefing.pk}/print/"):
        assert outsider.get(url).status_code == 403, url
    staff = client_as("staff")
    assert staff.post(f"/briefings/{briefing.pk}/sign/").status_code == 403
    assert Briefing.objects.get(pk=briefing.pk).state == Briefing.State.SUBMITTED


def test_draft_edit_submit_and_sign_through_the_pages(client_as, cast, django_assert_max_num_queries):
    staff = client_as("staff")
    response = staff.post("/briefings/draft/", {"kind": "daily", "day": "2026-03-05"})
    assert response.status_code == 200
    assert "2026-03-05" in response.content.decode()
    response = staff.post("/briefings/draft/", {"kind": "daily", "day": "2026-03-01"})
    briefing = Briefing.objects.get()
    assert response.status_code == 302
    assert response["Location"] == briefing.get_absolute_url()
    edit_url = f"/briefings/{briefing.pk}/edit/"
    assert staff.get(edit_url).status_code == 200
    fields = {"overview": "概况", "events": "事件", "reports": "上报", "next_steps": "下一步继续关注。"}
    assert staff.post(edit_url, fields).status_code == 302
    assert staff.post(f"/briefings/{briefing.pk}/submit/").status_code == 302
    leader = client_as("leader")
    assert briefing.get_absolute_url() in leader.get("/todo/").content.decode()  # waits on the leader's to-do
    with django_assert_max_num_queries(17):  # 16, and one for the returns for changes
        detail = leader.get(briefing.get_absolute_url())
    assert 'data-testid="sign"' in detail.content.decode()
    assert 'data-testid="sign"' not in staff.get(briefing.get_absolute_url()).content.decode()
    assert leader.post(f"/briefings/{briefing.pk}/sign/").status_code == 302
    briefing.refresh_from_db()
    assert briefing.state == Briefing.State.SIGNED
    assert briefing.sections["next_steps"] == "下一步继续关注。"
    refused = staff.get(edit_url)
    assert refused.status_code == 302
    assert refused["Location"] == briefing.get_absolute_url()
    assert "下一步继续关注。" in staff.get(f"/briefings/{briefing.pk}/print/").content.decode()
    word = staff.get(f"/briefings/{briefing.pk}/briefing.docx")
    assert word.status_code == 200
    assert word.content[:2] == b"PK"
    for day in range(2, 6):
        services.briefing_draft(actor=cast["staff"].user, kind=Briefing.Kind.DAILY, day=date(2026, 2, day))
    with django_assert_max_num_queries(12):
        page = staff.get("/briefings/?kind=daily")
    assert page.content.decode().count('data-testid="briefing-row"') == 5
    assert staff.get("/briefings/?state=signed").content.decode().count('data-testid="briefing-row"') == 1


def test_the_leaders_todo_lists_what_waits_for_sign_off(cast):
    briefing = _ready(cast)
    assert todo_counts(user=cast["leader"].user, person=cast["leader"])["briefings_sign"] == 1
    # Not for the leader who edited it (four eyes), nor for staff, who sign nothing.
    assert todo_counts(user=cast["director"].user, person=cast["director"])["briefings_sign"] == 1
    assert "briefings_sign" not in todo_counts(user=cast["staff"].user, person=cast["staff"])
    services.briefing_sign(actor=cast["leader"].user, briefing=briefing)
    assert todo_counts(user=cast["leader"].user, person=cast["leader"])["briefings_sign"] == 0


def test_the_event_page_offers_the_special_report(crafted, client_as):
    staff = client_as("staff")
    event = crafted["water"]
    assert 'data-testid="special-report"' in staff.get(event.get_absolute_url()).content.decode()
    response = staff.post(f"/briefings/event/{event.pk}/")
    briefing = Briefing.objects.get(kind=Briefing.Kind.SPECIAL)
    assert response["Location"] == briefing.get_absolute_url()


def test_an_editing_leader_does_not_see_it_on_the_to_do_list(cast):
    briefing, _drafted = services.briefing_draft(actor=cast["staff"].user, kind=Briefing.Kind.DAILY, day=DAY)
    services.briefing_edit(actor=cast["leader"].user, briefing=briefing, sections={"next_steps": "领导补充。"})
    services.briefing_submit(actor=cast["staff"].user, briefing=briefing)
    assert todo_counts(user=cast["leader"].user, person=cast["leader"])["briefings_sign"] == 0
    assert todo_counts(user=cast["director"].user, person=cast["director"])["briefings_sign"] == 1


def test_the_distribution_list_is_kept_in_the_admin(client_as):
    admin = client_as("admin")
    assert admin.get("/admin/reports/briefingrecipient/").status_code == 200
    assert admin.get("/admin/reports/briefingrecipient/add/").status_code == 200
    assert client_as("supervisor").get("/admin/reports/briefingrecipient/").status_code in (302, 403)


def test_a_refused_robot_message_is_retried_later_not_lost(cast, monkeypatch, travel):
    robot = ChatRobotFactory(name="舆情群")
    BriefingRecipient.objects.create(robot=robot)
    briefing = services.briefing_sign(actor=cast["leader"].user, briefing=_ready(cast))

    def refuse(**kwargs):
        raise services.SendFailed("429")

    monkeypatch.setattr(services, "robot_send", refuse)
    assert services.briefing_deliveries_send() == 0
    delivery = BriefingDelivery.objects.get(briefing=briefing)
    assert (delivery.attempts, delivery.sent_at, delivery.last_error) == (1, None, "429")
    assert services.briefing_deliveries_send() == 0  # not due for 10 s
    monkeypatch.setattr(services, "robot_send", lambda **kwargs: None)
    travel.shift(timedelta(seconds=10))
    assert services.briefing_deliveries_send() == 1
    assert BriefingDelivery.objects.get(pk=delivery.pk).attempts == 2


def test_the_list_filters_fold_on_a_phone(client_as, cast):
    _ready(cast)
    body = client_as("staff").get("/briefings/?state=submitted").content.decode()
    assert 'data-testid="filters-toggle"' in body
    assert 'data-testid="filters-active">1<' in body
    assert body.count('data-testid="briefing-row"') == 1

"""The demand lifecycle: every transition, every refused transition, deadlines and the calendar."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError

from archive.models import ArchiveRecord
from bureau import clock
from bureau.models import Notification, Role
from opinions.models import CalendarDay, Demand, DemandKind, DemandPress, Post, ReplyWindow
from opinions.policies import demand_can
from opinions.services import demands as s
from opinions.services.calendar import reply_deadline, working_days_after
from tests.factories import PersonFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.usefixtures("travel")


def actions(demand):
    return list(
        ArchiveRecord.objects.filter(target_type="opinions.demand", target_id=str(demand.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


@pytest.fixture
def staff(cast):
    return cast["staff"]


@pytest.fixture
def demand(cast, channel_factory):
    channel = channel_factory(section__owner=cast["staff"])
    return s.demand_create(
        actor=cast["supervisor"].user,
        kind=DemandKind.COMPLAINT,
        channel=channel,
        subject="路灯不亮",
        content="小区门口",
    )


def test_default_window_is_24_hours(demand):
    assert demand.due_at == clock.now() + timedelta(hours=24)
    assert demand.section.owner.role == Role.STAFF
    assert actions(demand) == ["opinions.demand.received"]


def test_working_days_follow_the_calendar(db):
    # Friday 2026-05-01 is a holiday; Saturday 2026-05-09 is a make-up workday.
    CalendarDay.objects.create(day=date(2026, 5, 1), is_working_day=False, note="劳动节")
    CalendarDay.objects.create(day=date(2026, 5, 9), is_working_day=True, note="调休")
    assert working_days_after(date(2026, 4, 30), 1) == date(2026, 5, 4)
    assert working_days_after(date(2026, 5, 7), 2) == date(2026, 5, 9)
    ReplyWindow.objects.create(kind=DemandKind.CONSULTATION, amount=3, unit=ReplyWindow.Unit.WORKING_DAYS)
    received = datetime(2026, 4, 30, 15, 0, tzinfo=SHANGHAI)
    # Working days after Thu 30 April: Mon 4, Tue 5, Wed 6 → due at the end of Wednesday.
    assert reply_deadline(kind=DemandKind.CONSULTATION, received_at=received) == datetime(
        2026, 5, 7, 0, 0, tzinfo=SHANGHAI
    )


def test_hour_window_configured(db):
    ReplyWindow.objects.create(kind=DemandKind.SUGGESTION, amount=48)
    received = clock.now()
    assert reply_deadline(kind=DemandKind.SUGGESTION, received_at=received) == received + timedelta(hours=48)


def test_full_lifecycle(cast, demand, staff):
    user = staff.user
    s.demand_claim(demand=demand, actor=user)
    s.demand_reply(demand=demand, actor=user, reply_text="已联系供电所维修", notes="电话沟通")
    s.demand_complete(demand=demand, actor=user, resolution="路灯已修好", measures="联系供电所")
    s.demand_call_back(demand=demand, actor=user, satisfaction=Demand.Satisfaction.SATISFIED)
    demand.refresh_from_db()
    assert demand.state == Demand.State.COMPLETED
    assert demand.handler == staff
    assert demand.first_replied_at == clock.now()
    assert demand.satisfaction == "satisfied"
    assert actions(demand) == [
        "opinions.demand.received",
        "opinions.demand.claimed",
        "opinions.demand.replied",
        "opinions.demand.completed",
        "opinions.demand.called_back",
    ]


def test_completed_demand_cannot_be_replied_again(demand, staff):
    s.demand_claim(demand=demand, actor=staff.user)
    s.demand_reply(demand=demand, actor=staff.user, reply_text="答复")
    with pytest.raises(ValidationError, match="already been answered"):
        s.demand_reply(demand=demand, actor=staff.user, reply_text="再次答复")
    s.demand_complete(demand=demand, actor=staff.user, resolution="办结")
    with pytest.raises(ValidationError):
        s.demand_reply(demand=demand, actor=staff.user, reply_text="再次答复")
    assert actions(demand).count("opinions.demand.replied") == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda d, u: s.demand_reply(demand=d, actor=u, reply_text="x"), "Sign for this demand"),
        (lambda d, u: s.demand_complete(demand=d, actor=u, resolution="x"), "Only a replied demand"),
        (lambda d, u: s.demand_call_back(demand=d, actor=u, satisfaction="satisfied"), "Only a completed"),
        (lambda d, u: s.demand_hand_back(demand=d, actor=u, reason="x"), "Only a demand you have signed for"),
    ],
)
def test_refused_before_claim(demand, staff, call, message):
    with pytest.raises(ValidationError, match=message):
        call(demand, staff.user)
    assert actions(demand) == ["opinions.demand.received"]


def test_claim_twice_says_who(demand, staff, cast):
    s.demand_claim(demand=demand, actor=staff.user)
    other = PersonFactory(role=Role.STAFF)
    with pytest.raises(ValidationError, match=staff.name):
        s.demand_claim(demand=demand, actor=other.user)


def test_only_handler_replies(demand, staff):
    s.demand_claim(demand=demand, actor=staff.user)
    other = PersonFactory(role=Role.STAFF)
    with pytest.raises(PermissionDenied):
        s.demand_reply(demand=demand, actor=other.user, reply_text="x")


def test_leader_cannot_claim(demand, cast):
    with pytest.raises(PermissionDenied):
        s.demand_claim(demand=demand, actor=cast["leader"].user)


def test_assign_and_reassign_notify(demand, cast, staff):
    s.demand_assign(demand=demand, actor=cast["supervisor"].user, handler=staff)
    other = PersonFactory(role=Role.STAFF)
    s.demand_assign(demand=demand, actor=cast["supervisor"].user, handler=other)
    with pytest.raises(PermissionDenied):
        s.demand_assign(demand=demand, actor=staff.user, handler=staff)
    assert actions(demand)[-2:] == ["opinions.demand.assigned", "opinions.demand.reassigned"]
    assert Notification.objects.filter(recipient=other.user, kind="opinions.demand.assigned").count() == 1


def test_review_before_reply_counts(demand, cast, staff):
    ReplyWindow.objects.create(kind=DemandKind.COMPLAINT, amount=24, needs_review=True)
    s.demand_claim(demand=demand, actor=staff.user)
    s.demand_reply(demand=demand, actor=staff.user, reply_text="初稿")
    demand.refresh_from_db()
    assert demand.state == Demand.State.IN_REVIEW
    assert demand.replied_at is None
    with pytest.raises(PermissionDenied):
        s.demand_review(demand=demand, actor=staff.user, approve=True)
    with pytest.raises(ValidationError, match="Say why"):
        s.demand_review(demand=demand, actor=cast["leader"].user, approve=False)
    s.demand_review(demand=demand, actor=cast["leader"].user, approve=False, opinion="措辞不妥")
    demand.refresh_from_db()
    assert demand.state == Demand.State.ASSIGNED
    s.demand_reply(demand=demand, actor=staff.user, reply_text="修改稿")
    s.demand_review(demand=demand, actor=cast["leader"].user, approve=True)
    demand.refresh_from_db()
    assert demand.state == Demand.State.REPLIED
    assert demand.replied_at == clock.now()


def test_criticism_needs_sign_off(demand, cast, staff):
    Demand.objects.filter(pk=demand.pk).update(kind=DemandKind.CRITICISM)
    demand.refresh_from_db()
    s.demand_claim(demand=demand, actor=staff.user)
    s.demand_reply(demand=demand, actor=staff.user, reply_text="答复")
    with pytest.raises(ValidationError, match="sign this demand off"):
        s.demand_complete(demand=demand, actor=staff.user, resolution="办结")
    with pytest.raises(PermissionDenied):
        s.demand_sign_off(demand=demand, actor=cast["supervisor"].user)
    s.demand_sign_off(demand=demand, actor=cast["leader"].user)
    with pytest.raises(ValidationError, match="already been signed off"):
        s.demand_sign_off(demand=demand, actor=cast["leader"].user)
    s.demand_complete(demand=demand, actor=staff.user, resolution="办结")
    assert "opinions.demand.signed_off" in actions(demand)


def test_nobody_reviews_their_own_reply(demand, cast):
    """Four eyes: a spokesperson (who may review replies) handles a case and writes its reply; the
    review must be someone else's."""
    ReplyWindow.objects.create(kind=DemandKind.COMPLAINT, amount=24, needs_review=True)
    spokesperson = cast["staff"]
    spokesperson.is_spokesperson = True
    spokesperson.save(update_fields=["is_spokesperson"])
    s.demand_claim(demand=demand, actor=spokesperson.user)
    s.demand_reply(demand=demand, actor=spokesperson.user, reply_text="答复稿")

    with pytest.raises(PermissionDenied, match="their own work"):
        s.demand_review(demand=demand, actor=spokesperson.user, approve=True)
    demand.refresh_from_db()
    assert (demand.state, demand.reviewed_by_id) == (Demand.State.IN_REVIEW, None)
    assert demand_can(spokesperson.user, demand, "review") is False

    s.demand_review(demand=demand, actor=cast["leader"].user, approve=True)
    demand.refresh_from_db()
    assert demand.reviewed_by == cast["leader"]
    assert demand.reviewed_by != demand.reply_submitted_by


def test_a_leader_who_handles_a_criticism_does_not_sign_it_off(demand, cast):
    """A leader who also handles cases (given the handling permission) replies to a criticism: the
    sign-off is another leader's."""
    Demand.objects.filter(pk=demand.pk).update(kind=DemandKind.CRITICISM)
    demand.refresh_from_db()
    leader = cast["leader"].user
    leader.user_permissions.add(Permission.objects.get(codename="handle_demand"))
    cast["leader"].user = leader = type(leader).objects.get(pk=leader.pk)  # a fresh permission cache
    s.demand_assign(demand=demand, actor=cast["supervisor"].user, handler=cast["leader"])
    s.demand_reply(demand=demand, actor=leader, reply_text="答复")

    with pytest.raises(PermissionDenied, match="their own work"):
        s.demand_sign_off(demand=demand, actor=leader)
    s.demand_sign_off(demand=demand, actor=cast["director"].user)
    demand.refresh_from_db()
    assert demand.signed_off_by == cast["director"]


def test_unsatisfied_call_back_reopens(demand, staff, travel):
    user = staff.user
    s.demand_claim(demand=demand, actor=user)
    s.demand_reply(demand=demand, actor=user, reply_text="答复")
    s.demand_complete(demand=demand, actor=user, resolution="办结")
    travel.shift(timedelta(days=2))
    s.demand_call_back(demand=demand, actor=user, satisfaction=Demand.Satisfaction.UNSATISFIED)
    demand.refresh_from_db()
    assert demand.state == Demand.State.ASSIGNED
    assert demand.redo_count == 1
    assert demand.due_at == clock.now() + timedelta(hours=24)
    assert demand.first_replied_at is not None
    assert demand.replied_at is None
    with pytest.raises(ValidationError):
        s.demand_call_back(demand=demand, actor=user, satisfaction="satisfied")
    s.demand_reply(demand=demand, actor=user, reply_text="重新答复")
    s.demand_complete(demand=demand, actor=user, resolution="再次办结")
    s.demand_call_back(demand=demand, actor=user, satisfaction=Demand.Satisfaction.FAIRLY)
    assert actions(demand).count("opinions.demand.reopened") == 1


def test_hand_back_accepted_and_refused(demand, cast, staff):
    sup = cast["supervisor"].user
    s.demand_claim(demand=demand, actor=staff.user)
    with pytest.raises(ValidationError, match="reason"):
        s.demand_hand_back(demand=demand, actor=staff.user, reason=" ")
    s.demand_hand_back(demand=demand, actor=staff.user, reason="不属于本单位职责")
    with pytest.raises(ValidationError):
        s.demand_reply(demand=demand, actor=staff.user, reply_text="x")
    s.demand_decide_hand_back(demand=demand, actor=sup, accept=False, note="请继续办理")
    demand.refresh_from_db()
    assert demand.state == Demand.State.ASSIGNED
    assert demand.handler == staff
    s.demand_hand_back(demand=demand, actor=staff.user, reason="确属他单位")
    s.demand_decide_hand_back(demand=demand, actor=sup, accept=True)
    demand.refresh_from_db()
    assert demand.state == Demand.State.RECEIVED
    assert demand.handler is None
    with pytest.raises(ValidationError):
        s.demand_decide_hand_back(demand=demand, actor=sup, accept=True)


def test_extension(demand, cast, staff, travel):
    sup = cast["supervisor"].user
    s.demand_claim(demand=demand, actor=staff.user)
    until = demand.due_at + timedelta(days=2)
    with pytest.raises(ValidationError, match="later"):
        s.demand_request_extension(demand=demand, actor=staff.user, until=demand.due_at, reason="x")
    s.demand_request_extension(demand=demand, actor=staff.user, until=until, reason="需现场核查")
    with pytest.raises(ValidationError, match="already been asked"):
        s.demand_request_extension(demand=demand, actor=staff.user, until=until, reason="x")
    with pytest.raises(PermissionDenied):
        s.demand_decide_extension(demand=demand, actor=staff.user, approve=True)
    s.demand_decide_extension(demand=demand, actor=sup, approve=True)
    demand.refresh_from_db()
    assert demand.due_at == until
    assert demand.extension_until is None
    travel.shift(timedelta(days=4))
    with pytest.raises(ValidationError, match="before the deadline"):
        s.demand_request_extension(demand=demand, actor=staff.user, until=until + timedelta(days=9), reason="x")


def test_extension_refused_keeps_deadline(demand, cast, staff):
    s.demand_claim(demand=demand, actor=staff.user)
    due = demand.due_at
    s.demand_request_extension(demand=demand, actor=staff.user, until=due + timedelta(days=1), reason="需要时间")
    s.demand_decide_extension(demand=demand, actor=cast["supervisor"].user, approve=False)
    demand.refresh_from_db()
    assert demand.due_at == due
    assert "opinions.demand.extension_refused" in actions(demand)


def test_merge(demand, cast, demand_factory):
    sup = cast["supervisor"].user
    original = demand_factory()
    with pytest.raises(ValidationError):
        s.demand_merge(demand=demand, actor=sup, into=demand)
    s.demand_merge(demand=demand, actor=sup, into=original)
    demand.refresh_from_db()
    assert demand.state == Demand.State.MERGED
    assert demand.duplicate_of == original
    with pytest.raises(ValidationError, match="itself been merged"):
        s.demand_merge(demand=demand_factory(), actor=sup, into=demand)


def test_press_notifies_and_records(demand, cast, staff):
    s.demand_assign(demand=demand, actor=cast["supervisor"].user, handler=staff)
    s.demand_press(demand=demand, actor=cast["supervisor"].user, note="请尽快答复")
    s.demand_press(demand=demand, actor=cast["supervisor"].user, note="再次督办")
    assert DemandPress.objects.filter(demand=demand, step="pressed").count() == 2
    assert Notification.objects.filter(recipient=staff.user, kind="opinions.demand.pressed").count() == 2


def test_create_from_post_marks_it_followed_up(cast, post_factory):
    post = post_factory(author="网友甲", body="反映内容")
    demand = s.demand_create_from_post(post=post, actor=cast["staff"].user, kind=DemandKind.CONSULTATION)
    post.refresh_from_db()
    assert post.status == Post.Status.FOLLOWED_UP
    assert (demand.subject, demand.citizen_name, demand.section_id) == (post.title, "网友甲", post.section_id)
    with pytest.raises(ValidationError, match="already been created"):
        s.demand_create_from_post(post=post, actor=cast["staff"].user, kind=DemandKind.CONSULTATION)


def test_faq_from_replied_consultation(cast, demand_factory, staff):
    demand = demand_factory(kind=DemandKind.CONSULTATION, handler=staff, state=Demand.State.ASSIGNED)
    sup = cast["supervisor"].user
    with pytest.raises(ValidationError):
        s.faq_entry_create_from_demand(demand=demand, actor=sup, question="", answer="")
    s.demand_reply(demand=demand, actor=staff.user, reply_text="可在政务服务网办理")
    entry = s.faq_entry_create_from_demand(demand=demand, actor=sup, question="如何办理？", answer="")
    assert entry.answer == "可在政务服务网办理"
    later = demand_factory(kind=DemandKind.CONSULTATION)
    s.demand_link_faq(demand=later, actor=staff.user, entry=entry)
    assert entry.demands.count() == 2


def test_notices_about_demands_with_one_subject_carry_their_case_numbers(demand, cast, staff):
    """Two demands share the subject 路灯不亮: each notice names its case by number as well, so the
    office head's list shows two different notices, not two identical ones."""
    sup, leader = cast["supervisor"].user, cast["leader"].user
    second = s.demand_create(
        actor=sup, kind=DemandKind.COMPLAINT, channel=demand.channel, subject="路灯不亮", content="另一个小区"
    )
    ReplyWindow.objects.create(kind=DemandKind.COMPLAINT, amount=24, needs_review=True)
    # The first: handed back and accepted, claimed again, an extension approved, pressed.
    s.demand_claim(demand=demand, actor=staff.user)
    s.demand_hand_back(demand=demand, actor=staff.user, reason="确属他单位")
    s.demand_decide_hand_back(demand=demand, actor=sup, accept=True)
    s.demand_claim(demand=demand, actor=staff.user)
    s.demand_request_extension(demand=demand, actor=staff.user, until=demand.due_at + timedelta(days=2), reason="核查")
    s.demand_decide_extension(demand=demand, actor=sup, approve=True)
    s.demand_press(demand=demand, actor=sup, note="请尽快答复")
    # The second: dispatched to the staff member, its reply sent back by the reviewer.
    s.demand_assign(demand=second, actor=sup, handler=staff)
    s.demand_reply(demand=second, actor=staff.user, reply_text="初稿")
    s.demand_review(demand=second, actor=leader, approve=False, opinion="措辞不妥")
    titles = list(Notification.objects.order_by("pk").values_list("recipient__username", "title"))
    assert titles == [
        ("cast-staff", "A new demand in your section waits to be signed for: 2026-0001 路灯不亮"),
        ("cast-staff", "A new demand in your section waits to be signed for: 2026-0002 路灯不亮"),
        ("cast-supervisor", "A hand-back waits for your decision: 2026-0001 路灯不亮"),
        ("cast-staff", "Hand-back accepted: 2026-0001 路灯不亮"),
        ("cast-supervisor", "An extension request waits for your decision: 2026-0001 路灯不亮"),
        ("cast-staff", "Extension approved: 2026-0001 路灯不亮"),
        ("cast-staff", "Pressed by the office: 2026-0001 路灯不亮"),
        ("cast-staff", "A demand was assigned to you: 2026-0002 路灯不亮"),
        ("cast-director", "A reply waits for your review: 2026-0002 路灯不亮"),
        ("cast-leader", "A reply waits for your review: 2026-0002 路灯不亮"),
        ("cast-staff", "Your reply was sent back: 2026-0002 路灯不亮"),
    ]

"""The duty desk (值班台, /duty/desk/): the person on duty's one screen — whom to call on the next
shift, sign-in, the to-do count, new posts in their sections, the handover note — and the ways back."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments.models import HandoverNote
from bureau import clock
from opinions.models import Demand
from tests.assignments.factories import ShiftAssignmentFactory, ShiftFactory, ShiftTypeFactory
from tests.factories import PersonFactory, SectionFactory
from tests.opinions.factories import DemandFactory, PostFactory

DESK = reverse("duty-desk")


@pytest.fixture
def shifts(cast, travel):
    """The clock stands at 09:00 on 2 March 2026: staff is on the day shift (08:30–17:30), and the
    night shift (17:30–08:30) that starts next has two people, one of them without a phone."""
    day = ShiftFactory(shift_type=ShiftTypeFactory(name="白班", starts=time(8, 30), ends=time(17, 30)))
    night = ShiftFactory(
        shift_type=ShiftTypeFactory(name="夜班", starts=time(17, 30), ends=time(8, 30), is_night=True, sort_order=2)
    )
    mine = ShiftAssignmentFactory(shift=day, person=cast["staff"])
    ShiftAssignmentFactory(shift=night, person=PersonFactory(name="夜班甲", phone="13900000001"))
    ShiftAssignmentFactory(shift=night, person=PersonFactory(name="夜班乙", phone=""))
    return {"day": day, "night": night, "mine": mine}


def test_the_desk_shows_whom_to_call_sign_in_todo_posts_and_the_handover_form(client_as, cast, shifts):
    mine = SectionFactory(owner=cast["staff"], name="民生诉求")
    PostFactory(title="我版块的新帖", section=mine, channel__section=mine)
    PostFactory(title="别人版块的新帖")
    DemandFactory(handler=cast["staff"], state=Demand.State.ASSIGNED, section=mine)  # one to reply to
    body = client_as("staff").get(DESK).content.decode()
    assert 'href="tel:13900000001"' in body  # the next shift's first person, callable
    assert "夜班甲" in body
    assert "夜班乙" in body
    assert "未登记电话" in body  # the second has no number: said so, in Chinese
    assert f'action="{reverse("assignments:sign-in", args=[shifts["mine"].pk])}"' in body
    assert 'name="next" value="desk"' in body
    assert "我版块的新帖" in body
    assert "别人版块的新帖" not in body
    assert 'data-testid="desk-todo-count">1<' in body  # the one demand to reply to, as the menu badge counts
    assert 'data-testid="desk-todo-reply"' in body
    assert 'data-testid="desk-handover"' in body  # staff is on the shift that runs now
    assert "值班台" in body


def test_signing_in_and_the_handover_from_the_desk_come_back_to_it(client_as, cast, shifts):
    client = client_as("staff")
    response = client.post(reverse("assignments:sign-in", args=[shifts["mine"].pk]), {"next": "desk"})
    assert response.status_code == 302
    assert response["Location"] == DESK
    shifts["mine"].refresh_from_db()
    assert shifts["mine"].signed_in_at is not None
    handover = reverse("assignments:handover-create", args=[shifts["day"].pk])
    response = client.post(handover, {"body": "请夜班跟进噪音投诉。", "next": "desk"})
    assert response.status_code == 302
    assert response["Location"] == DESK
    assert HandoverNote.objects.get(shift=shifts["day"]).body == "请夜班跟进噪音投诉。"
    # Without next=desk the duty views go where they went before.
    assert client.get(DESK).status_code == 200


def test_the_desk_says_when_no_shift_follows_and_when_the_next_has_nobody(client_as, cast, travel):
    body = client_as("staff").get(DESK).content.decode()
    assert "之后还没有排班。" in body
    assert "您近期没有班次。" in body
    ShiftFactory(on=clock.today() + timedelta(days=1))  # tomorrow's day shift, nobody on it
    body = client_as("staff").get(DESK).content.decode()
    assert 'data-testid="desk-next-shift"' in body
    assert "本班次无人员。" in body


@pytest.mark.parametrize(("role", "status"), [("staff", 200), ("supervisor", 200), ("leader", 200), ("outsider", 403)])
def test_the_desk_needs_the_duty_permission(client_as, role, status):
    assert client_as(role).get(DESK).status_code == status


def test_the_desk_is_in_the_duty_menu(client_as):
    assert f'href="{DESK}" data-testid="menu-duty-desk"' in client_as("staff").get(reverse("home")).content.decode()


def test_the_desk_query_count_does_not_grow(client_as, cast, shifts):
    client = client_as("staff")
    mine = SectionFactory(owner=cast["staff"])
    PostFactory.create_batch(2, section=mine, channel__section=mine)
    with CaptureQueriesContext(connection) as small:
        assert client.get(DESK).status_code == 200
    PostFactory.create_batch(15, section=mine, channel__section=mine)
    for _ in range(4):
        ShiftAssignmentFactory(shift=shifts["night"])
    with CaptureQueriesContext(connection) as large:
        assert client.get(DESK).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]

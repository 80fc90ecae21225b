"""The rounds crafted year, shared by the tests that read it: every case driven through the
services at its own moment, each expectation counted by hand from the story below (not from the
code under test).

The year 2025, Asia/Shanghai; departments 综合科 (A: a1, m) and 城管科 (B: b1); complaints have the
default 24-hour window, consultations 3 working days from the calendar. Sign-for limit 2 hours.

D1  complaint 03-03 09:00, a1 signs 09:30, replies 03-04 09:00:00 (the deadline second: on time),
    completed, called back satisfied.
D2  complaint 03-03 10:00, a1 signs 12:00:01 (2 h + 1 s: late sign-for), replies 03-04 10:00:01
    (1 s late), completed, called back unreachable, then fairly satisfied.
D3  complaint 04-01 09:00 (due 04-02 09:00), extension asked 04-02 08:00 until 04-03 18:00, approved
    04-02 15:00 (after the deadline passed), replied 04-03 12:00: on time.
D4  complaint 04-10 09:00, extension asked 04-11 08:00, refused 04-11 10:00, replied 04-11 20:00: late.
D5  complaint 04-20 09:00, extension asked 04-21 09:00:01 (after the deadline): refused by the
    service; replied 04-21 10:00: late.
D6  complaint 05-06 09:00, b1 (B) replies 15:00 (on time), completed, unsatisfied call-back 05-08
    10:00 → redo due 05-09 10:00, replied 11:00 (重办超期), completed, satisfied.
D7  complaint 05-12 09:00, b1 replies 05-13 10:00 (late), completed, unsatisfied call-back 05-14
    09:00 → redo replied 12:00 (on time: the first reply stays late), completed.
D8  complaint 06-02 09:00, a1 (A) signs, hands back 10:00, accepted 10:30, assigned to b1 (B)
    11:00, replied 16:00: counts for B; the hand-back counts for A.
D9  complaint 06-03 09:00, a1 signs, hands back, refused, replies 18:00: stays A's.
D10 complaint 06-03 09:30, merged into D9: a duplicate (重复件), not received.
C1  consultation Tue 09-30 10:00: National Day 10-01..10-08 off, Sat 10-11 a make-up workday, so
    the 3rd working day is 10-11 and the deadline 10-12 00:00; a1 replies 10-11 23:59:59 (on time).
C2  the same, replied 10-12 00:00:01 (late; without the 调休 it would have been on time).
D11 complaint 11-03 09:00, a1 replies 12:00, completed, unsatisfied call-back 11-04 09:00, the redo
    never answered: overdue now in its redo round (重办超期), not a first-round overdue.
D12 complaint 12-30 09:00, a1 signs, never replies, pressed 12-31 10:00: overdue now.
D13 complaint 12-15 09:00, m (A) replies, completed; m moves to B on 2026-01-10, and on 2026-01-12
    D11's redo is reassigned to b1 (B): both cases stay A's in 2025 (a case counts under the
    department of its first round).
Now: 2026-03-02 09:00.

Counted: received 14 (D1–D9, D11–D13, C1, C2; D10 merged = 1); replied 13 (all but D12); on time
8 (D1 D3 D6 D8 D9 D11 C1 D13); late 5 (D2 D4 D5 D7 C2); completed 5 (D1 D2 D6 D7 D13); overdue 1
(D12); 重办超期 2 (D6's redo replied late, D11's redo overdue now); signed for 14, on time 13 (not
D2); handed back 1 (D8, under A); redone 3 (D6 D7 D11); extensions requested 2 (D3 D4), approved 1
(D3); presses 1 (D12); called back 5 (D1 D2 D6 D7 D11); latest call-back reached 5, satisfied 3
(D1 D2 D6); first call-back reached 4 (not D2: unreachable), satisfied 1 (D1); completed and
called back 4 (D1 D2 D6 D7: D13 was never called back, D11 is reopened).
By department: A received 11 (D1–D5 D9 D11 D12 C1 C2 D13), B 3 (D6 D7 D8)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from bureau.models import Role
from opinions.models import CalendarDay, DemandKind, ReplyWindow
from opinions.services import demands as s
from tests.factories import DepartmentFactory, PersonFactory
from tests.opinions.factories import ChannelFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)
YEAR = (datetime(2025, 1, 1, tzinfo=SHANGHAI), datetime(2026, 1, 1, tzinfo=SHANGHAI))

EXPECTED = {
    "received": 14,
    "replied": 13,
    "replied_on_time": 8,
    "replied_late": 5,
    "completed": 5,
    "overdue": 1,
    "redo_overdue": 2,
    "signed_for": 14,
    "signed_for_on_time": 13,
    "handed_back": 1,
    "redone": 3,
    "extensions_requested": 2,
    "extensions_approved": 1,
    "presses": 1,
    "called_back": 5,
    "reached": 5,
    "satisfied": 3,
    "first_reached": 4,
    "first_satisfied": 1,
    "merged": 1,
    "completed_called_back": 4,  # D1 D2 D6 D7 (D13 completed, never called back; D11 reopened)
}
# A: D1 D2 D3 D4 D5 D9 D11 D12 C1 C2 D13 and D8's hand-back; B: D6 D7 D8; D10 (merged) has none.
EXPECTED_A = {
    "received": 11,
    "replied": 10,  # all but D12
    "replied_on_time": 6,  # D1 D3 D9 D11 C1 D13
    "replied_late": 4,  # D2 D4 D5 C2
    "completed": 3,  # D1 D2 D13
    "overdue": 1,  # D12
    "redo_overdue": 1,  # D11
    "signed_for": 11,
    "signed_for_on_time": 10,  # not D2
    "handed_back": 1,  # D8, handed back by a1
    "redone": 1,  # D11
    "extensions_requested": 2,  # D3 D4
    "extensions_approved": 1,  # D3
    "presses": 1,  # D12
    "called_back": 3,  # D1 D2 D11
    "reached": 3,
    "satisfied": 2,  # D1 D2
    "first_reached": 2,  # D1 D11
    "first_satisfied": 1,  # D1
    "merged": 0,
    "completed_called_back": 2,  # D1 D2
}
EXPECTED_B = {
    "received": 3,
    "replied": 3,
    "replied_on_time": 2,  # D6 D8
    "replied_late": 1,  # D7
    "completed": 2,  # D6 D7
    "overdue": 0,
    "redo_overdue": 1,  # D6
    "signed_for": 3,
    "signed_for_on_time": 3,
    "handed_back": 0,
    "redone": 2,  # D6 D7
    "extensions_requested": 0,
    "extensions_approved": 0,
    "presses": 0,
    "called_back": 2,  # D6 D7
    "reached": 2,
    "satisfied": 1,  # D6
    "first_reached": 2,
    "first_satisfied": 0,
    "merged": 0,
    "completed_called_back": 2,  # D6 D7
}


def at(month, day, hour, minute=0, second=0, year=2025) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def counts(figures) -> dict:
    return {name: getattr(figures, name) for name in EXPECTED}


def build_crafted_year(cast) -> dict:
    """Drive every case of the story through the services at its own moment; returns the cases
    (by name), the two departments and the supervisor who decided."""
    a, b = DepartmentFactory(name="综合科"), DepartmentFactory(name="城管科")
    a1 = PersonFactory(department=a, role=Role.STAFF, name="甲一")
    m = PersonFactory(department=a, role=Role.STAFF, name="调动人")
    b1 = PersonFactory(department=b, role=Role.STAFF, name="乙一")
    sup = cast["supervisor"].user
    hotline, forum = ChannelFactory(name="12345热线"), ChannelFactory(name="本局论坛")
    ReplyWindow.objects.create(kind=DemandKind.CONSULTATION, amount=3, unit=ReplyWindow.Unit.WORKING_DAYS)
    for day in (1, 2, 3, 6, 7, 8):  # the weekdays of National Day 2025
        CalendarDay.objects.create(day=date(2025, 10, day), is_working_day=False, note="国庆节")
    for month, day in ((9, 28), (10, 11)):  # the make-up workdays (调休)
        CalendarDay.objects.create(day=date(2025, month, day), is_working_day=True, note="调休")

    def new(received, *, kind=DemandKind.COMPLAINT, channel=hotline):
        return s.demand_create(
            actor=sup, kind=kind, channel=channel, subject="诉求", content="内容", received_at=received, now=received
        )

    def lifecycle(demand, who, *, signed, replied, completed=None, call_backs=()):
        s.demand_claim(demand=demand, actor=who.user, now=signed)
        s.demand_reply(demand=demand, actor=who.user, reply_text="答复", now=replied)
        if completed:
            s.demand_complete(demand=demand, actor=who.user, resolution="办结", now=completed)
        for moment, result in call_backs:
            s.demand_call_back(demand=demand, actor=who.user, satisfaction=result, now=moment)
        return demand

    cases = {}
    cases["D1"] = lifecycle(
        new(at(3, 3, 9)),
        a1,
        signed=at(3, 3, 9, 30),
        replied=at(3, 4, 9),
        completed=at(3, 5, 9),
        call_backs=[(at(3, 6, 9), "satisfied")],
    )
    cases["D2"] = lifecycle(
        new(at(3, 3, 10)),
        a1,
        signed=at(3, 3, 12, 0, 1),
        replied=at(3, 4, 10, 0, 1),
        completed=at(3, 5, 10),
        call_backs=[(at(3, 6, 10), "unreachable"), (at(3, 7, 10), "fairly")],
    )

    d3 = cases["D3"] = new(at(4, 1, 9))
    s.demand_claim(demand=d3, actor=a1.user, now=at(4, 1, 9, 10))
    s.demand_request_extension(demand=d3, actor=a1.user, until=at(4, 3, 18), reason="需现场核查", now=at(4, 2, 8))
    s.demand_decide_extension(demand=d3, actor=sup, approve=True, now=at(4, 2, 15))
    s.demand_reply(demand=d3, actor=a1.user, reply_text="答复", now=at(4, 3, 12))

    d4 = cases["D4"] = new(at(4, 10, 9))
    s.demand_claim(demand=d4, actor=a1.user, now=at(4, 10, 9, 10))
    s.demand_request_extension(demand=d4, actor=a1.user, until=at(4, 12, 9), reason="需要时间", now=at(4, 11, 8))
    s.demand_decide_extension(demand=d4, actor=sup, approve=False, now=at(4, 11, 10))
    s.demand_reply(demand=d4, actor=a1.user, reply_text="答复", now=at(4, 11, 20))

    d5 = cases["D5"] = new(at(4, 20, 9))
    s.demand_claim(demand=d5, actor=a1.user, now=at(4, 20, 9, 10))
    with translation.override("en"), pytest.raises(ValidationError, match="before the deadline"):
        s.demand_request_extension(demand=d5, actor=a1.user, until=at(4, 23, 9), reason="晚了", now=at(4, 21, 9, 0, 1))
    s.demand_reply(demand=d5, actor=a1.user, reply_text="答复", now=at(4, 21, 10))

    d6 = cases["D6"] = lifecycle(
        new(at(5, 6, 9)),
        b1,
        signed=at(5, 6, 9, 5),
        replied=at(5, 6, 15),
        completed=at(5, 7, 9),
        call_backs=[(at(5, 8, 10), "unsatisfied")],
    )
    s.demand_reply(demand=d6, actor=b1.user, reply_text="重办答复", now=at(5, 9, 11))
    s.demand_complete(demand=d6, actor=b1.user, resolution="再次办结", now=at(5, 10, 9))
    s.demand_call_back(demand=d6, actor=b1.user, satisfaction="satisfied", now=at(5, 11, 9))

    d7 = cases["D7"] = lifecycle(
        new(at(5, 12, 9)),
        b1,
        signed=at(5, 12, 9, 5),
        replied=at(5, 13, 10),
        completed=at(5, 13, 12),
        call_backs=[(at(5, 14, 9), "unsatisfied")],
    )
    s.demand_reply(demand=d7, actor=b1.user, reply_text="重办答复", now=at(5, 14, 12))
    s.demand_complete(demand=d7, actor=b1.user, resolution="再次办结", now=at(5, 14, 13))

    d8 = cases["D8"] = new(at(6, 2, 9))
    s.demand_claim(demand=d8, actor=a1.user, now=at(6, 2, 9, 20))
    s.demand_hand_back(demand=d8, actor=a1.user, reason="不属于本科室职责", now=at(6, 2, 10))
    s.demand_decide_hand_back(demand=d8, actor=sup, accept=True, now=at(6, 2, 10, 30))
    s.demand_assign(demand=d8, actor=sup, handler=b1, now=at(6, 2, 11))
    s.demand_reply(demand=d8, actor=b1.user, reply_text="答复", now=at(6, 2, 16))

    d9 = cases["D9"] = new(at(6, 3, 9))
    s.demand_claim(demand=d9, actor=a1.user, now=at(6, 3, 9, 20))
    s.demand_hand_back(demand=d9, actor=a1.user, reason="不属于本科室职责", now=at(6, 3, 10))
    s.demand_decide_hand_back(demand=d9, actor=sup, accept=False, now=at(6, 3, 10, 30))
    d10 = cases["D10"] = new(at(6, 3, 9, 30))
    s.demand_merge(demand=d10, actor=sup, into=d9, now=at(6, 3, 10, 40))
    s.demand_reply(demand=d9, actor=a1.user, reply_text="答复", now=at(6, 3, 18))

    for name, replied in (("C1", at(10, 11, 23, 59, 59)), ("C2", at(10, 12, 0, 0, 1))):
        cases[name] = lifecycle(
            new(at(9, 30, 10), kind=DemandKind.CONSULTATION, channel=forum),
            a1,
            signed=at(9, 30, 10, 30),
            replied=replied,
        )

    cases["D11"] = lifecycle(
        new(at(11, 3, 9)),
        a1,
        signed=at(11, 3, 9, 10),
        replied=at(11, 3, 12),
        completed=at(11, 3, 15),
        call_backs=[(at(11, 4, 9), "unsatisfied")],
    )

    cases["D13"] = lifecycle(
        new(at(12, 15, 9)), m, signed=at(12, 15, 9, 10), replied=at(12, 15, 12), completed=at(12, 15, 15)
    )

    d12 = cases["D12"] = new(at(12, 30, 9))
    s.demand_claim(demand=d12, actor=a1.user, now=at(12, 30, 9, 10))
    s.demand_press(demand=d12, actor=sup, note="请尽快答复", now=at(12, 31, 10))

    # January: m moves to B; a case m signs for in 2026 is B's, last year's stay A's.
    m.department = b
    m.save(update_fields=["department"])
    cases["2026"] = new(at(1, 12, 9, year=2026))
    s.demand_claim(demand=cases["2026"], actor=m.user, now=at(1, 12, 9, 10, year=2026))
    # ... and D11's unanswered redo is given to b1 (B): the case stays A's in 2025's figures.
    s.demand_assign(demand=cases["D11"], actor=sup, handler=b1, now=at(1, 12, 10, year=2026))
    return {"cases": cases, "a": a, "b": b, "sup": sup}

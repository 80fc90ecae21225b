"""Drafting once: a period (kind and days) or an event holds one briefing not yet signed off. Drafting
it again, a double click, two requests at once or the morning job after staff drafted the day opens
the one there is; the database backs it (partial unique constraints). Also: the draft form starts
on the kind's usual day, and a leader who wrote a briefing is told why it has no 签发 button."""

import importlib
import threading
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import translation

from archive.models import ArchiveRecord
from bureau.models import Role
from events.models import Event
from reports.briefings import services
from reports.briefings.selectors import briefing_default_day
from reports.models import Briefing
from tests.factories import PersonFactory

duplicates = importlib.import_module("reports.migrations.0012_briefing_duplicate_drafts")
pytestmark = pytest.mark.usefixtures("travel")  # now: Monday 2026-03-02 09:00 in Shanghai
DAY = date(2026, 3, 1)  # yesterday, a Sunday


def _draft(cast, kind=Briefing.Kind.DAILY, day=DAY, role="staff"):
    return services.briefing_draft(actor=cast[role].user, kind=kind, day=day)


def _signed(cast, briefing: Briefing) -> Briefing:
    services.briefing_edit(actor=cast["staff"].user, briefing=briefing, sections={"next_steps": "继续关注。"})
    services.briefing_submit(actor=cast["staff"].user, briefing=briefing)
    return services.briefing_sign(actor=cast["leader"].user, briefing=briefing)


def _event(cast, title="城关镇停水") -> Event:
    at = datetime(2026, 3, 1, 8, tzinfo=ZoneInfo("Asia/Shanghai"))
    return Event.objects.create(title=title, first_seen_at=at, created_at=at, created_by=cast["supervisor"].user)


def test_drafting_a_period_again_opens_its_draft(cast):
    first, created = _draft(cast)
    assert created
    again, created = _draft(cast, role="supervisor")
    assert (again.pk, created) == (first.pk, False)
    # The same week from another of its days; and a submitted briefing is opened as well.
    weekly, _created = _draft(cast, kind=Briefing.Kind.WEEKLY, day=date(2026, 2, 24))
    services.briefing_edit(actor=cast["staff"].user, briefing=weekly, sections={"next_steps": "继续关注。"})
    services.briefing_submit(actor=cast["staff"].user, briefing=weekly)
    assert _draft(cast, kind=Briefing.Kind.WEEKLY, day=DAY) == (weekly, False)
    assert Briefing.objects.count() == 2
    assert ArchiveRecord.objects.filter(action="reports.briefing.drafted").count() == 2


def test_other_kinds_and_periods_are_drafted_apart(cast):
    assert _draft(cast)[1]
    assert _draft(cast, day=date(2026, 2, 28))[1]
    assert _draft(cast, kind=Briefing.Kind.MONTHLY, day=DAY)[1]  # March, holding 1 March
    assert _draft(cast, kind=Briefing.Kind.WEEKLY, day=DAY)[1]
    assert Briefing.objects.count() == 4


def test_a_signed_briefing_does_not_stop_a_new_draft_of_its_period(cast):
    signed = _signed(cast, _draft(cast)[0])
    fresh, created = _draft(cast)
    assert created
    assert fresh.pk != signed.pk
    assert _draft(cast) == (fresh, False)


def test_an_events_special_report_is_drafted_once_until_signed(cast):
    water, library = _event(cast), _event(cast, "图书馆开放")
    report, created = services.briefing_draft_special(actor=cast["staff"].user, event=water)
    assert created
    assert services.briefing_draft_special(actor=cast["supervisor"].user, event=water) == (report, False)
    assert services.briefing_draft_special(actor=cast["staff"].user, event=library)[1]
    _signed(cast, report)
    assert services.briefing_draft_special(actor=cast["staff"].user, event=water)[1]
    assert Briefing.objects.filter(kind=Briefing.Kind.SPECIAL).count() == 3


def _copy(briefing: Briefing, **changes) -> Briefing:
    fields = {
        "kind": briefing.kind,
        "first": briefing.first,
        "last": briefing.last,
        "event": briefing.event,
        "title": briefing.title,
        "drafted_at": briefing.drafted_at,
        "updated_at": briefing.updated_at,
    }
    return Briefing(**{**fields, **changes})


def test_the_database_refuses_a_second_unsigned_briefing_with_a_sentence(cast):
    daily, _created = _draft(cast)
    report, _created = services.briefing_draft_special(actor=cast["staff"].user, event=_event(cast))
    with translation.override("en"):
        with pytest.raises(ValidationError, match="This period already has a briefing of this kind"):
            _copy(daily).validate_constraints()
        with pytest.raises(ValidationError, match="This event already has a special report"):
            _copy(report).validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        _copy(daily).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _copy(report, first=date(2026, 2, 1)).save()  # another period, the same event
    _copy(daily, state=Briefing.State.SIGNED, signed_at=daily.drafted_at, signed_sha256="0" * 64).save()
    assert Briefing.objects.filter(kind=Briefing.Kind.DAILY, first=DAY).count() == 2  # signed ones may repeat


@pytest.mark.usefixtures("committed_db")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_requests_at_once_make_one_draft_and_both_open_it():
    """The first drafts and holds its transaction open; on PostgreSQL the second passes the look-up
    (nothing is committed yet), blocks on the unique index, gets IntegrityError when the first
    commits, and opens the first's briefing. On SQLite the second waits to begin, then finds it."""
    staff, office_head = PersonFactory(role=Role.STAFF), PersonFactory(role=Role.OFFICE_HEAD)
    holding, release, outcomes = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                outcomes["first"] = services.briefing_draft(actor=staff.user, kind=Briefing.Kind.DAILY, day=DAY)
                holding.set()
                release.wait(timeout=20)
        finally:
            connections.close_all()

    def second():
        try:
            outcomes["second"] = services.briefing_draft(actor=office_head.user, kind=Briefing.Kind.DAILY, day=DAY)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    threads[0].start()
    assert holding.wait(timeout=20)
    threads[1].start()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # wait until the second is blocked on the first's row
            for _ in range(200):
                cursor.execute(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
                if cursor.fetchone()[0]:
                    break
                threading.Event().wait(0.05)
            else:
                pytest.fail("the second drafting never waited for the first")
    else:
        # SQLite (the embedded office): the first holds the database's write lock (an IMMEDIATE
        # transaction), so the second waits at its own BEGIN for the busy timeout: still waiting.
        threads[1].join(timeout=1)
        assert threads[1].is_alive(), "the second drafting never waited for the first"
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    (made, created), (opened, opened_created) = outcomes["first"], outcomes["second"]
    assert (created, opened_created) == (True, False)
    assert opened.pk == made.pk
    assert Briefing.objects.count() == 1
    assert ArchiveRecord.objects.filter(action="reports.briefing.drafted").count() == 1


def _without_the_constraints() -> None:
    """Drop the unique indexes inside the test's transaction (rolled back with it), to make the
    duplicates there were before migration 0013."""
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX briefing_unsigned_period_once")
        cursor.execute("DROP INDEX briefing_unsigned_event_once")


def test_the_migration_deletes_untouched_duplicates_and_keeps_the_worked_on_one(cast):
    _without_the_constraints()
    daily, _created = _draft(cast)
    daily_copy = _copy(daily)
    daily_copy.save()
    weekly_copy, _created = _draft(cast, kind=Briefing.Kind.WEEKLY)  # drafted first, never touched
    weekly = _copy(weekly_copy)
    weekly.save()
    services.briefing_edit(actor=cast["staff"].user, briefing=weekly, sections={"next_steps": "继续关注。"})
    services.briefing_submit(actor=cast["staff"].user, briefing=weekly)
    signed = _signed(cast, _draft(cast, kind=Briefing.Kind.MONTHLY)[0])
    _copy(signed).save()  # a signed one and a draft of the same month: no duplicate
    duplicates.delete_untouched_duplicates(apps, None)
    kept = set(Briefing.objects.values_list("pk", flat=True))
    assert daily.pk in kept
    assert weekly.pk in kept
    assert signed.pk in kept
    assert len(kept) == 4
    assert not Briefing.objects.filter(pk__in=[daily_copy.pk, weekly_copy.pk]).exists()


def test_the_migration_stops_at_duplicates_someone_worked_on(cast):
    _without_the_constraints()
    first, _created = _draft(cast)
    second = _copy(first)
    second.save()
    for briefing in (first, second):
        services.briefing_edit(actor=cast["staff"].user, briefing=briefing, sections={"next_steps": "继续关注。"})
    with pytest.raises(RuntimeError, match=rf"\[{second.pk}\]"):
        duplicates.delete_untouched_duplicates(apps, None)
    assert Briefing.objects.count() == 2


def test_the_morning_job_drafts_nothing_for_a_day_staff_drafted(cast):
    drafted, _created = _draft(cast)
    weekly = services.briefings_draft_scheduled()  # a Monday: the daily is there, the weekly is not
    assert len(weekly) == 1
    assert services.briefings_draft_scheduled() == []
    assert list(Briefing.objects.order_by("kind").values_list("pk", "kind", "by_schedule")) == [
        (drafted.pk, "daily", False),
        (weekly[0], "weekly", True),
    ]


@pytest.mark.parametrize(
    ("today", "kind", "expected"),
    [
        (date(2026, 3, 2), Briefing.Kind.DAILY, date(2026, 3, 1)),
        (date(2026, 3, 2), Briefing.Kind.WEEKLY, date(2026, 2, 23)),  # Monday of last week
        (date(2026, 3, 4), Briefing.Kind.WEEKLY, date(2026, 2, 25)),  # a Wednesday of last week
        (date(2026, 3, 2), Briefing.Kind.MONTHLY, date(2026, 2, 28)),
        (date(2026, 1, 1), Briefing.Kind.DAILY, date(2025, 12, 31)),
        (date(2026, 1, 31), Briefing.Kind.MONTHLY, date(2025, 12, 31)),
    ],
)
def test_the_usual_day_of_each_kind(today, kind, expected):
    assert briefing_default_day(kind=kind, today=today) == expected


# --- Pages -----------------------------------------------------------------------------------------


def test_drafting_the_same_period_on_the_page_opens_it_with_a_message(client_as):
    staff = client_as("staff")
    first = staff.post("/briefings/draft/", {"kind": "daily", "day": "2026-03-01"})
    briefing = Briefing.objects.get()
    again = staff.post("/briefings/draft/", {"kind": "daily", "day": "2026-03-01"}, follow=True)
    assert first["Location"] == again.redirect_chain[0][0] == briefing.get_absolute_url()
    assert Briefing.objects.count() == 1
    body = again.content.decode()
    assert "《网络舆情日报（2026年3月1日）》已存在且尚未签发（草稿），已为您打开，未再起草新的一份。" in body


def test_a_second_click_on_the_events_button_opens_the_same_special_report(client_as, cast):
    event = _event(cast)
    staff = client_as("staff")
    first = staff.post(f"/briefings/event/{event.pk}/")
    second = staff.post(f"/briefings/event/{event.pk}/", follow=True)
    report = Briefing.objects.get(kind=Briefing.Kind.SPECIAL)
    assert first["Location"] == second.redirect_chain[0][0] == report.get_absolute_url()
    assert "已存在且尚未签发（草稿），已为您打开" in second.content.decode()


def test_the_draft_form_starts_on_the_kinds_usual_day(client_as):
    staff = client_as("staff")
    body = staff.get("/briefings/draft/").content.decode()
    assert 'value="2026-03-01"' in body  # a daily briefing, yesterday
    for kind, day in (("daily", "2026-03-01"), ("weekly", "2026-02-23"), ("monthly", "2026-02-28")):
        assert f'data-default-{kind}="{day}"' in body  # what the page's script switches to
    assert 'value="2026-02-23"' in staff.get("/briefings/draft/?kind=weekly").content.decode()
    assert 'value="2026-02-28"' in staff.get("/briefings/draft/?kind=monthly").content.decode()
    assert 'value="2026-03-01"' in staff.get("/briefings/draft/?kind=nonsense").content.decode()


def test_a_leader_who_edited_it_is_told_why_there_is_no_sign_button(client_as, cast):
    briefing, _created = _draft(cast)
    services.briefing_edit(actor=cast["leader"].user, briefing=briefing, sections={"next_steps": "领导补充。"})
    url = briefing.get_absolute_url()
    draft_page = client_as("leader").get(url).content.decode()
    assert 'data-testid="sign-withheld"' not in draft_page  # nothing to sign yet
    services.briefing_submit(actor=cast["staff"].user, briefing=briefing)
    leader = client_as("leader").get(url).content.decode()
    assert 'data-testid="sign"' not in leader
    withheld = "您起草或编辑过本简报，须由另一位领导签发（双人把关）。"
    assert f'data-testid="sign-withheld">{withheld}</p>' in leader
    director = client_as("director").get(url).content.decode()
    assert 'data-testid="sign-withheld"' not in director
    assert 'data-testid="sign">签发</button>' in director  # the button says 签发, as the state does
    assert "签批" not in director
    assert 'data-testid="sign-withheld"' not in client_as("staff").get(url).content.decode()

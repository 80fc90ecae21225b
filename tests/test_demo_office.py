"""The demo office (``seed_demo``): a realistic bureau with a year of activity, the same after a
second run, and extended (not duplicated) when seeded again on a later day.

Seeding a year through the real services takes half a minute, so these tests read the office the
browser tests read (``seeded_demo_office``, tests/conftest.py: seeded once per run and committed),
each inside its own transaction rolled back at its end, with the clock at the moment of the seed.
They run before the browser tests, which change the office."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import models
from django.db.models import Count
from django.utils import timezone

from archive.models import ArchiveRecord
from archive.services import archive_verify
from assignments.models import (
    CountyTask,
    HandoverNote,
    IncidentFollowUp,
    IncidentReport,
    Leave,
    ResponsePlan,
    Shift,
    ShiftAssignment,
    ShiftType,
    TaskAttachment,
    TaskNote,
)
from assignments.selectors import duty_figures
from bureau import clock
from bureau.models import (
    Department,
    Equipment,
    Notification,
    Person,
    ResponsibilityArea,
    Role,
    Section,
    TrainingRecord,
    User,
)
from demo.organisation import DEMO_PASSWORD
from opinions.models import (
    CalendarDay,
    Channel,
    Demand,
    DemandPress,
    FaqEntry,
    PatrolRecord,
    PatrolRule,
    Post,
    ReplyTemplate,
    ReplyWindow,
    ScreeningCategory,
)
from opinions.selectors.figures import demand_figures
from opinions.selectors.knowledge import faq_hot, similar_cases
from publicity.models import MediaCoverage, PublicityPost
from publicity.selectors import outlet_counts
from reports.models import Briefing, BriefingRecipient

TABLES = [
    User,
    Department,
    Person,
    Section,
    ResponsibilityArea,
    Equipment,
    TrainingRecord,
    Channel,
    Post,
    PatrolRecord,
    PatrolRule,
    ScreeningCategory,
    Demand,
    DemandPress,
    FaqEntry,
    CalendarDay,
    ReplyWindow,
    ReplyTemplate,
    ShiftType,
    Shift,
    ShiftAssignment,
    HandoverNote,
    Leave,
    CountyTask,
    TaskNote,
    TaskAttachment,
    ResponsePlan,
    IncidentReport,
    IncidentFollowUp,
    Briefing,
    BriefingRecipient,
]


@pytest.fixture
def travel(seeded_demo_office, time_machine):
    """The clock at the moment the office was seeded, standing still (move it with ``shift``)."""
    time_machine.move_to(seeded_demo_office, tick=False)
    return time_machine


pytestmark = pytest.mark.usefixtures("seeded_demo_office", "db", "travel")


def snapshot() -> dict:
    data = {}
    for model in TABLES:
        # Timestamps the services stamp with "now" are the seed's own, hence comparable; ids and
        # stored file names are not.
        fields = [f.attname for f in model._meta.concrete_fields if f.name not in ("id", "file", "password")]
        data[model.__name__] = sorted(map(repr, model.objects.values_list(*fields)))
    data["groups"] = sorted(User.objects.values_list("username", "groups__name"))
    data["attendees"] = sorted(TrainingRecord.attendees.through.objects.values_list("trainingrecord_id", "person_id"))
    data["archive"] = ArchiveRecord.objects.count()
    data["notifications"] = Notification.objects.count()
    data["publicity"] = sorted(PublicityPost.objects.values_list("title", "state", "published_on"))
    data["coverage"] = MediaCoverage.objects.count()
    return data


def test_seed_demo_twice_gives_the_same_data():
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


def test_a_realistic_bureau():
    assert Person.objects.count() >= 12
    assert {role for role, _label in Role.choices} <= set(Person.objects.values_list("role", flat=True))
    assert Person.objects.spokespeople().exists()
    assert not Section.objects.filter(owner__isnull=True).exists()
    for username in ("admin", "leader", "supervisor", "staff"):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert User.objects.get(username="leader").has_perm("archive.view_archiverecord")
    assert not User.objects.get(username="staff").has_perm("archive.view_archiverecord")


def test_a_year_of_demands_handled_through_the_services():
    now = clock.now()
    received = Demand.objects.values_list("received_at", flat=True)
    weeks = {timezone.localtime(moment).isocalendar()[:2] for moment in received}
    assert len(weeks) >= 52
    oldest = Demand.objects.order_by("received_at").first().received_at
    assert (Demand.objects.order_by("-received_at").first().received_at - oldest).days >= 360
    supervisor = User.objects.get(username="supervisor")
    figures, _rows = demand_figures(user=supervisor, start=now - timedelta(days=364), end=now)
    assert figures.received > 500
    assert 85 < figures.reply_rate < 100  # rates are percentages (bureau.rates)
    assert 75 < figures.on_time_rate < figures.reply_rate
    assert figures.redone > 0
    assert figures.completed > 0.7 * figures.received
    assert 0 < figures.overdue < 25
    assert Demand.objects.open().filter(overdue_at__isnull=False).exists()
    assert Demand.objects.filter(was_overdue=True, state=Demand.State.COMPLETED).exists()
    assert Demand.objects.filter(satisfaction=Demand.Satisfaction.UNSATISFIED).exists()
    assert Demand.objects.filter(called_back_at__isnull=False).exclude(satisfaction="").exists()
    assert Demand.objects.filter(redo_count=1).exists()
    assert FaqEntry.objects.filter(demands__isnull=False).exists()
    replied = ArchiveRecord.objects.filter(action__in=["opinions.demand.replied", "opinions.demand.reply_approved"])
    assert replied.count() >= Demand.objects.filter(first_replied_at__isnull=False).count()
    assert ArchiveRecord.objects.filter(action="opinions.demand.received").count() == Demand.objects.count()
    assert len(set(Demand.objects.values_list("kind", flat=True))) >= 5
    assert Demand.objects.values("channel").distinct().count() >= 6
    assert Demand.objects.values("department").exclude(department=None).distinct().count() >= 4


def test_the_knowledge_loop_has_something_to_show():
    # The year's replies were built from the templates: each kind's is used, the most used first.
    assert ReplyTemplate.objects.filter(use_count__gt=0).count() >= 5
    assert faq_hot(period="all")
    supervisor = User.objects.get(username="supervisor")
    demand = Demand.objects.open().order_by("-received_at").first()
    assert demand is not None
    assert similar_cases(user=supervisor, demand=demand)


def test_a_year_of_posts_with_takedowns_and_something_to_do():
    assert Post.objects.count() > 1000
    oldest = Post.objects.order_by("found_at").first().found_at
    assert (Post.objects.order_by("-found_at").first().found_at - oldest).days >= 360
    assert Post.objects.filter(screening=Post.Screening.FLAGGED).exists()
    assert Post.objects.filter(status=Post.Status.NEW).exists()
    assert Post.objects.filter(is_relevant=True).exists()
    taken_down = Post.objects.filter(status=Post.Status.TAKEN_DOWN)
    assert taken_down.values("category").distinct().count() >= 3
    assert ArchiveRecord.objects.filter(action="opinions.post.taken_down").count() == taken_down.count()
    # The demo's feeds are the office's own (demo/feeds.py): none failing, no red banner offline.
    assert not Channel.objects.failing().exists()
    assert set(Channel.objects.exclude(feed_url="").values_list("feed_url", flat=True)) == {
        "http://127.0.0.1:8000/demo/feeds/forum.rss",
        "http://127.0.0.1:8000/demo/feeds/news.rss",
        "http://127.0.0.1:8000/demo/feeds/weibo.rss",
    }
    assert PatrolRecord.objects.exists()
    assert set(Channel.objects.values_list("kind", flat=True)) >= {k for k, _ in Channel.Kind.choices} - {"other"}


def test_publicity_through_the_year_against_the_quota():
    today = clock.today()
    published = PublicityPost.objects.filter(state=PublicityPost.State.PUBLISHED, published_on__year=today.year)
    assert published.dates("published_on", "month").count() >= min(today.month, 12) - 1
    assert ArchiveRecord.objects.filter(action="publicity.publicitypost.published").count() >= published.count()
    assert MediaCoverage.objects.filter(post__in=published).exists()
    # The outlets that reported the bureau this year: several, of different levels, with different counts.
    outlets = list(outlet_counts(year=today.year))
    assert len(outlets) >= 4
    assert len({outlet.level for outlet in outlets}) >= 2
    assert len({outlet.reports for outlet in outlets}) >= 2
    recorded = ArchiveRecord.objects.filter(action="publicity.mediacoverage.recorded")
    assert recorded.count() == MediaCoverage.objects.count()


def test_a_year_of_duty_with_gaps_and_overdue_tasks():
    today = clock.today()
    assert Shift.objects.filter(on__lte=today).count() >= 2 * 365
    figures = duty_figures(start=clock.year_span(today.year - 1)[0], end=clock.now())
    assert figures.on_time > figures.late > 0
    assert figures.missed > 0
    assert ShiftAssignment.objects.filter(missed_flagged_at__isnull=False).exists()
    assert Shift.objects.filter(on__gt=today).annotate(n=models.Count("assignments")).filter(n=0).exists()
    assert 1 <= CountyTask.objects.filter(overdue_at__isnull=False, closed_at__isnull=True).count() <= 3
    assert CountyTask.objects.filter(overdue_at__isnull=False, state=CountyTask.State.IN_PROGRESS).exists()
    assert CountyTask.objects.filter(state=CountyTask.State.FEEDBACK_SUBMITTED).exists()
    assert IncidentReport.objects.filter(level=IncidentReport.Level.MAJOR).exists()
    assert HandoverNote.objects.exists()


def test_duty_and_tasks_leave_archive_records():
    """The history went through the services: every change of state left its archive record."""
    actions = dict(
        ArchiveRecord.objects.filter(action__startswith="assignments.").values_list("action").annotate(n=Count("pk"))
    )
    assert actions["assignments.roster.generated"] >= 12  # published month by month
    assert actions["assignments.leave.declared"] == Leave.objects.count()
    signed_in = ShiftAssignment.objects.exclude(signed_in_at=None)
    assert actions["assignments.shiftassignment.signed_in"] == signed_in.count()
    assert actions["assignments.shift.gaps_flagged"] > 0
    assert actions["assignments.shiftassignment.swapped"] > 0
    assert actions["assignments.handovernote.written"] == HandoverNote.objects.count()
    assert actions["assignments.countytask.received"] == CountyTask.objects.count()
    assert actions["assignments.countytask.progressed"] <= TaskNote.objects.count()
    assert actions["assignments.countytask.feedback_submitted"] >= CountyTask.objects.exclude(feedback="").count()
    approved = CountyTask.objects.exclude(feedback_approved_at=None)
    assert actions["assignments.countytask.feedback_approved"] >= approved.count()
    assert actions["assignments.countytask.closed"] == CountyTask.objects.filter(state=CountyTask.State.CLOSED).count()
    assert actions["assignments.countytask.flagged_overdue"] == CountyTask.objects.exclude(overdue_at=None).count()
    assert actions["assignments.taskattachment.uploaded"] == TaskAttachment.objects.count()
    assert actions["assignments.incidentreport.reported"] == IncidentReport.objects.count()
    assert actions["assignments.incidentreport.followed_up"] == IncidentFollowUp.objects.count()
    # Each at the moment it happened, none in the future.
    duty = ArchiveRecord.objects.filter(action__startswith="assignments.")
    assert not duty.filter(created_at__gt=clock.now()).exists()
    assert duty.filter(created_at__lt=clock.now() - timedelta(days=300)).exists()
    signed = ArchiveRecord.objects.filter(action="assignments.shiftassignment.signed_in").order_by("pk").first()
    assert signed.created_at == ShiftAssignment.objects.get(pk=signed.target_id).signed_in_at
    # A late sign-in was flagged by the sweep before the person signed in; a missed one after the shift.
    late = ShiftAssignment.objects.exclude(signed_in_at=None).exclude(late_flagged_at=None).select_related("shift")
    assert late.exists()
    assert all(a.shift.sign_in_due_at < a.late_flagged_at < a.signed_in_at for a in late)
    missed = ShiftAssignment.objects.exclude(missed_flagged_at=None).select_related("shift")
    assert all(a.missed_flagged_at > a.shift.ends_at for a in missed)


def test_a_signed_daily_briefing_and_a_draft_weekly_one(seeded_demo_office):
    seeded_on = timezone.localtime(seeded_demo_office).date()
    daily = Briefing.objects.get(kind=Briefing.Kind.DAILY)
    assert (daily.state, daily.first, daily.signed_by.username) == ("signed", seeded_on - timedelta(days=1), "leader")
    assert daily.drafted_by.username == "staff"
    assert len(daily.signed_sha256) == 64
    # Last week: the Monday to Sunday before the week of the seed.
    this_monday = seeded_on - timedelta(days=seeded_on.weekday())
    weekly = Briefing.objects.get(kind=Briefing.Kind.WEEKLY)
    assert (weekly.state, weekly.first, weekly.last) == (
        "draft",
        this_monday - timedelta(days=7),
        this_monday - timedelta(days=1),
    )
    assert BriefingRecipient.objects.filter(user__username="supervisor").exists()


def test_the_history_is_settled_and_the_chain_holds():
    now = clock.now()
    assert not Notification.objects.filter(created_at__lt=now - timedelta(days=3), emailed_at=None).exists()
    assert archive_verify().ok


def test_seeding_again_on_a_later_day_keeps_the_history_and_adds_the_new_days(travel):
    first_demands = set(Demand.objects.values_list("subject", "received_at"))
    first_posts = set(Post.objects.values_list("external_id", "found_at"))
    leaves = sorted(Leave.objects.values_list("person_id", "reason", "starts_on"))
    publicity = set(PublicityPost.objects.values_list("title", flat=True))
    last_shift = Shift.objects.order_by("-on").first().on
    tasks = set(CountyTask.objects.values_list("title", "reference", "received_at"))
    signed_in = set(ShiftAssignment.objects.exclude(signed_in_at=None).values_list("pk", "signed_in_at"))
    coverage = set(MediaCoverage.objects.values_list("outlet_id", "title", "reported_on"))

    travel.shift(timedelta(days=3))
    call_command("seed_demo", verbosity=0)

    demands = set(Demand.objects.values_list("subject", "received_at"))
    assert first_demands < demands
    assert not Demand.objects.values("subject", "received_at").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert first_posts < set(Post.objects.values_list("external_id", "found_at"))
    assert sorted(Leave.objects.values_list("person_id", "reason", "starts_on")) == leaves
    assert publicity <= set(PublicityPost.objects.values_list("title", flat=True))
    assert PublicityPost.objects.count() - len(publicity) <= 1  # at most one post every eight days
    assert Shift.objects.order_by("-on").first().on == last_shift + timedelta(days=3)
    assert not Shift.objects.values("on", "shift_type").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert set(CountyTask.objects.values_list("title", "reference", "received_at")) == tasks
    assert signed_in < set(ShiftAssignment.objects.exclude(signed_in_at=None).values_list("pk", "signed_in_at"))
    assert coverage <= set(MediaCoverage.objects.values_list("outlet_id", "title", "reported_on"))
    assert archive_verify().ok

from datetime import timedelta

from django.core.management import call_command
from django.db import models
from django.db.models import Count
from django.utils import timezone

from archive.models import ArchiveRecord
from archive.services import archive_verify
from assignments.models import CountyTask, Leave, ShiftAssignment
from bureau import clock
from bureau.demo import DEMO_PASSWORD
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
from opinions.models import Channel, Demand, Post
from opinions.selectors.figures import demand_figures
from publicity.models import MediaCoverage, PublicityPost


def snapshot():
    tables = [User, Department, Person, Section, ResponsibilityArea, Equipment, TrainingRecord]
    data = {}
    for model in tables:
        fields = [f.name for f in model._meta.concrete_fields if not isinstance(f, models.DateTimeField)]
        data[model.__name__] = sorted(map(repr, model.objects.values_list(*fields)))
    data["groups"] = sorted(User.objects.values_list("username", "groups__name"))
    data["attendees"] = sorted(TrainingRecord.attendees.through.objects.values_list("trainingrecord_id", "person_id"))
    data["archive"] = ArchiveRecord.objects.count()
    data["notifications"] = Notification.objects.count()
    data["publicity"] = sorted(PublicityPost.objects.values_list("title", "state", "published_on"))
    data["coverage"] = MediaCoverage.objects.count()
    return data


def test_seed_demo_twice_gives_the_same_data(db, travel):
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


def test_the_demo_office_is_a_realistic_bureau_with_a_year_of_activity(db, travel):
    call_command("seed_demo", verbosity=0)
    now, today = clock.now(), clock.today()
    start = now - timedelta(days=364)

    # A realistic bureau.
    assert Person.objects.count() >= 12
    assert {role for role, _label in Role.choices} <= set(Person.objects.values_list("role", flat=True))
    assert Person.objects.spokespeople().exists()
    assert not Section.objects.filter(owner__isnull=True).exists()
    for username in ("admin", "leader", "supervisor", "staff"):
        assert User.objects.get(username=username).check_password(DEMO_PASSWORD)
    assert User.objects.get(username="leader").has_perm("archive.view_archiverecord")
    assert not User.objects.get(username="staff").has_perm("archive.view_archiverecord")

    # Demands in every week of the year, handled through the services: the archive holds each step.
    received = Demand.objects.values_list("received_at", flat=True)
    weeks = {timezone.localtime(moment).isocalendar()[:2] for moment in received}
    assert len(weeks) >= 52
    figures, _rows = demand_figures(user=User.objects.get(username="supervisor"), start=start, end=now)
    assert figures.received > 500
    assert 0.85 < figures.reply_rate < 1
    assert 0.75 < figures.on_time_rate < figures.reply_rate
    assert figures.completed > 0.7 * figures.received
    assert 0 < figures.overdue < 25
    assert Demand.objects.filter(called_back_at__isnull=False).exclude(satisfaction="").exists()
    assert Demand.objects.filter(redo_count=1).exists()
    replied = ArchiveRecord.objects.filter(action__in=["opinions.demand.replied", "opinions.demand.reply_approved"])
    assert replied.count() >= Demand.objects.filter(first_replied_at__isnull=False).count()
    assert ArchiveRecord.objects.filter(action="opinions.demand.received").count() == Demand.objects.count()
    kinds = set(Demand.objects.values_list("kind", flat=True))
    assert len(kinds) >= 5
    assert Demand.objects.values("channel").distinct().count() >= 6
    assert Demand.objects.values("department").exclude(department=None).distinct().count() >= 4

    # Posts across the year, takedowns in several prohibited categories (each one archived).
    taken_down = Post.objects.filter(status=Post.Status.TAKEN_DOWN)
    assert taken_down.values("category").distinct().count() >= 3
    assert ArchiveRecord.objects.filter(action="opinions.post.taken_down").count() == taken_down.count()
    assert Channel.objects.failing().exists()

    # Publicity through the year against the quota, with coverage.
    published = PublicityPost.objects.filter(state=PublicityPost.State.PUBLISHED, published_on__year=today.year)
    assert published.dates("published_on", "month").count() >= min(today.month, 12) - 1
    assert ArchiveRecord.objects.filter(action="publicity.publicitypost.published").count() >= published.count()
    assert MediaCoverage.objects.filter(post__in=published).exists()

    # Duty with a few missed sign-ins; tasks handed down, one or two overdue.
    assert ShiftAssignment.objects.filter(missed_flagged_at__isnull=False).exists()
    assert 1 <= CountyTask.objects.filter(overdue_at__isnull=False, closed_at__isnull=True).count() <= 3

    # The history's notices are settled; the chain holds.
    assert not Notification.objects.filter(created_at__lt=now - timedelta(days=3), emailed_at=None).exists()
    assert archive_verify().ok


def test_seeding_again_on_a_later_day_keeps_the_history_and_adds_the_new_days(db, travel):
    call_command("seed_demo", verbosity=0)
    first_demands = set(Demand.objects.values_list("subject", "received_at"))
    first_posts = set(Post.objects.values_list("external_id", "found_at"))
    leaves = sorted(Leave.objects.values_list("person_id", "reason", "starts_on"))
    publicity = set(PublicityPost.objects.values_list("title", flat=True))

    travel.shift(timedelta(days=3))
    call_command("seed_demo", verbosity=0)

    demands = set(Demand.objects.values_list("subject", "received_at"))
    assert first_demands < demands
    assert not Demand.objects.values("subject", "received_at").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert first_posts < set(Post.objects.values_list("external_id", "found_at"))
    assert sorted(Leave.objects.values_list("person_id", "reason", "starts_on")) == leaves
    assert publicity <= set(PublicityPost.objects.values_list("title", flat=True))
    assert PublicityPost.objects.count() - len(publicity) <= 1  # at most one post every eight days
    assert archive_verify().ok

from django.core.management import call_command
from django.db import models

from archive.models import ArchiveRecord
from opinions.models import (
    CalendarDay,
    Channel,
    Demand,
    DemandPress,
    FaqEntry,
    PatrolRecord,
    PatrolRule,
    Post,
    ReplyWindow,
    ScreeningCategory,
)


def snapshot():
    data = {}
    for model in (
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
    ):
        fields = [f.attname for f in model._meta.concrete_fields if not isinstance(f, models.AutoField)]
        data[model.__name__] = sorted(map(repr, model.objects.values_list(*fields)))
    data["archive"] = ArchiveRecord.objects.count()
    return data


def test_seed_demo_twice_gives_the_same_opinions_data(db, travel):
    call_command("seed_demo", verbosity=0)
    first = snapshot()
    call_command("seed_demo", verbosity=0)
    assert snapshot() == first


def test_the_demo_office_has_a_year_of_posts_and_something_to_do(db, travel):
    call_command("seed_demo", verbosity=0)
    assert Post.objects.count() > 1000
    oldest = Post.objects.order_by("found_at").first().found_at
    assert (Post.objects.order_by("-found_at").first().found_at - oldest).days >= 360
    assert Post.objects.filter(screening=Post.Screening.FLAGGED).exists()
    assert Post.objects.filter(status=Post.Status.TAKEN_DOWN).exists()
    assert Post.objects.filter(status=Post.Status.NEW).exists()
    assert Post.objects.filter(is_relevant=True).exists()
    assert Channel.objects.failing().exists()
    assert PatrolRecord.objects.exists()
    assert set(Channel.objects.values_list("kind", flat=True)) >= {k for k, _ in Channel.Kind.choices} - {"other"}


def test_the_demo_office_has_a_year_of_demands(db, travel):
    call_command("seed_demo", verbosity=0)
    assert Demand.objects.count() > 600
    oldest = Demand.objects.order_by("received_at").first().received_at
    assert (Demand.objects.order_by("-received_at").first().received_at - oldest).days >= 360
    assert Demand.objects.open().filter(overdue_at__isnull=False).exists()
    assert Demand.objects.filter(was_overdue=True, state=Demand.State.COMPLETED).exists()
    assert Demand.objects.filter(satisfaction=Demand.Satisfaction.UNSATISFIED).exists()
    assert FaqEntry.objects.filter(demands__isnull=False).exists()

"""Factories for the opinions app: channels, posts and screening lists vary their channel and
section so that N+1 queries show up in the list tests."""

import hashlib
from datetime import timedelta

import factory

from bureau import clock
from opinions.models import Channel, Demand, DemandKind, Post, ScreeningCategory
from opinions.services.demand_rounds import demand_rounds_backfill
from opinions.services.demands import demand_numbers_take
from tests.factories import SearchableFactory, SectionFactory


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel

    name = factory.Sequence(lambda n: f"渠道{n}")
    kind = Channel.Kind.OWN_FORUM
    section = factory.SubFactory(SectionFactory)


class PostFactory(SearchableFactory):
    class Meta:
        model = Post

    channel = factory.SubFactory(ChannelFactory)
    section = factory.LazyAttribute(lambda post: post.channel.section)
    title = factory.Sequence(lambda n: f"帖子标题{n}")
    body = "群众反映的具体内容。"
    dedupe_key = factory.Sequence(lambda n: hashlib.sha256(f"post{n}".encode()).hexdigest())
    content_hash = factory.LazyAttribute(lambda post: hashlib.sha256(post.title.encode()).hexdigest())
    posted_at = factory.LazyFunction(clock.now)
    found_at = factory.LazyFunction(clock.now)


class ScreeningCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScreeningCategory
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"list{n}")
    name = factory.Sequence(lambda n: f"名单{n}")
    keywords = ""
    updated_at = factory.LazyFunction(clock.now)


class DemandFactory(SearchableFactory):
    """A demand received now, due 24 hours later, unassigned, in a channel of its own. Its rounds
    and call-backs are those its fields imply (as migration 0012 fills them for older rows); pass
    ``rounds=False`` to build them yourself."""

    class Meta:
        model = Demand
        skip_postgeneration_save = True

    kind = DemandKind.COMPLAINT
    channel = factory.SubFactory(ChannelFactory)
    section = factory.LazyAttribute(lambda demand: demand.channel.section)
    subject = factory.Sequence(lambda n: f"诉求{n}：小区门口路灯不亮")
    content = "群众反映小区门口路灯连续一周不亮，夜间出行不便。"
    received_at = factory.LazyFunction(clock.now)
    due_at = factory.LazyAttribute(lambda demand: demand.received_at + timedelta(hours=24))
    # Taken from the real counter, as demand_create does, so factory rows and entered rows never clash.
    number = factory.LazyAttribute(lambda demand: demand_numbers_take(received_at=demand.received_at)[0])

    @factory.post_generation
    def rounds(demand, create, extracted, **kwargs):
        if create and extracted is not False:
            demand_rounds_backfill(demands=Demand.objects.filter(pk=demand.pk))

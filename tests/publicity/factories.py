"""Publicity factories: platforms, departments and authors vary, so N+1 queries show up."""

from datetime import date

import factory

from bureau import clock
from publicity.models import (
    DisclosureItem,
    MediaCoverage,
    MediaOutlet,
    Platform,
    PublicityPost,
    PublicityQuota,
)
from tests.factories import DepartmentFactory, PersonFactory, SearchableFactory


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform

    name = factory.Sequence(lambda n: f"平台{n}")
    kind = Platform.Kind.BUREAU_SITE


class PublicityPostFactory(SearchableFactory):
    """A draft by default; ``published=date`` gives a published post (approved by ``reviewer``)."""

    class Meta:
        model = PublicityPost

    class Params:
        published = None

    title = factory.Sequence(lambda n: f"宣传稿{n}")
    body = "我局组织开展文化惠民活动。"
    author = factory.SubFactory(PersonFactory)
    department = factory.LazyAttribute(lambda post: post.author.department)
    platform = factory.SubFactory(PlatformFactory)
    planned_on = factory.LazyFunction(lambda: clock.today())
    created_at = factory.LazyFunction(clock.now)
    updated_at = factory.LazyFunction(clock.now)
    state = factory.LazyAttribute(
        lambda post: PublicityPost.State.PUBLISHED if post.published else PublicityPost.State.DRAFT
    )
    published_on = factory.LazyAttribute(lambda post: post.published)


class QuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PublicityQuota

    year = 2026
    minimum = 30


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MediaOutlet

    name = factory.Sequence(lambda n: f"媒体{n}")
    level = MediaOutlet.Level.CITY
    kind = MediaOutlet.Kind.WEB


class CoverageFactory(SearchableFactory):
    class Meta:
        model = MediaCoverage

    outlet = factory.SubFactory(OutletFactory)
    reported_on = date(2026, 2, 1)
    title = factory.Sequence(lambda n: f"报道{n}")
    recorded_by = factory.SubFactory(PersonFactory)
    recorded_at = factory.LazyFunction(clock.now)


class DisclosureFactory(SearchableFactory):
    class Meta:
        model = DisclosureItem

    title = factory.Sequence(lambda n: f"政府信息{n}")
    category = DisclosureItem.Category.NOTICE
    published_on = date(2026, 2, 1)
    platform = factory.SubFactory(PlatformFactory)
    department = factory.SubFactory(DepartmentFactory)
    approved_by = factory.SubFactory(PersonFactory)
    recorded_by = factory.SubFactory(PersonFactory)
    recorded_at = factory.LazyFunction(clock.now)

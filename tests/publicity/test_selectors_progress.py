from datetime import date
from decimal import Decimal

import pytest

from publicity.models import Platform
from publicity.selectors import quota_progress_list
from tests.factories import DepartmentFactory
from tests.publicity.factories import PlatformFactory, PublicityPostFactory, QuotaFactory


@pytest.fixture
def county_site(db):
    return PlatformFactory(name="县政府网", kind=Platform.Kind.COUNTY_SITE)


def publish(count, day, **kwargs):
    return PublicityPostFactory.create_batch(count, published=day, **kwargs)


def test_bureau_quota_met_early(db, county_site):
    QuotaFactory(year=2025, minimum=30)
    publish(20, date(2025, 5, 10), platform=county_site)
    publish(10, date(2025, 10, 8), platform=county_site)  # the 30th post
    publish(15, date(2025, 11, 20), platform=county_site)
    publish(3, date(2024, 12, 31), platform=county_site)  # another year
    PublicityPostFactory.create_batch(4, platform=county_site)  # drafts do not count

    [progress] = quota_progress_list(year=2025, today=date(2026, 1, 15))
    assert progress.published == 45
    assert progress.percent == 150
    assert progress.bar_percent == 100
    assert progress.met_on == date(2025, 10, 8)
    assert progress.is_met_early
    assert not progress.is_behind
    assert progress.pace_needed_per_week == Decimal("0.0")


def test_progress_pace_and_projection_midyear(db):
    QuotaFactory(year=2026, minimum=30)
    publish(3, date(2026, 1, 20))
    publish(1, date(2026, 3, 2))
    publish(1, date(2026, 3, 9))  # after "today": not counted yet

    [progress] = quota_progress_list(year=2026, today=date(2026, 3, 2))
    assert progress.elapsed_days == 61  # 31 + 28 + 2
    assert progress.published == 4
    assert progress.met_on is None
    assert progress.remaining == 26
    assert progress.remaining_days == 304
    assert progress.pace_needed_per_week == Decimal("0.6")  # 26 × 7 / 304 = 0.599
    assert progress.projection == 24  # 4 × 365 / 61 = 23.9
    assert progress.expected_by_now == 5  # 30 × 61 / 365 = 5.01
    assert progress.is_behind


def test_progress_on_the_last_day_and_after_the_year(db):
    QuotaFactory(year=2026, minimum=10)
    publish(7, date(2026, 6, 1))
    [on_last_day] = quota_progress_list(year=2026, today=date(2026, 12, 31))
    assert on_last_day.remaining_days == 0
    assert on_last_day.pace_needed_per_week == Decimal("3.0")
    [afterwards] = quota_progress_list(year=2026, today=date(2027, 2, 1))
    assert afterwards.projection == 7
    assert not afterwards.is_met


def test_quota_met_exactly_on_31_december_is_not_early(db):
    QuotaFactory(year=2026, minimum=2)
    publish(1, date(2026, 6, 1))
    publish(1, date(2026, 12, 31))
    [progress] = quota_progress_list(year=2026, today=date(2027, 1, 1))
    assert progress.met_on == date(2026, 12, 31)
    assert progress.is_met
    assert not progress.is_met_early


def test_quotas_per_department_platform_and_kind(db, county_site):
    culture, tourism = DepartmentFactory(name="文化科"), DepartmentFactory(name="旅游科")
    microblog = PlatformFactory(name="官方微博", kind=Platform.Kind.MICROBLOG)
    other_county_site = PlatformFactory(name="市政府网", kind=Platform.Kind.COUNTY_SITE)
    bureau = QuotaFactory(year=2026, minimum=6)
    per_culture = QuotaFactory(year=2026, department=culture, minimum=3)
    per_microblog = QuotaFactory(year=2026, platform=microblog, minimum=2)
    per_county_sites = QuotaFactory(year=2026, platform_kind=Platform.Kind.COUNTY_SITE, minimum=4)

    publish(2, date(2026, 1, 5), department=culture, platform=county_site)
    publish(1, date(2026, 2, 5), department=culture, platform=microblog)
    publish(1, date(2026, 2, 6), department=tourism, platform=microblog)
    publish(2, date(2026, 2, 20), department=tourism, platform=other_county_site)

    progress = {p.quota.pk: p for p in quota_progress_list(year=2026, today=date(2026, 3, 2))}
    assert list(progress)[0] == bureau.pk  # the bureau's own quota comes first
    assert (progress[bureau.pk].published, progress[bureau.pk].met_on) == (6, date(2026, 2, 20))
    assert (progress[per_culture.pk].published, progress[per_culture.pk].met_on) == (3, date(2026, 2, 5))
    assert (progress[per_microblog.pk].published, progress[per_microblog.pk].met_on) == (2, date(2026, 2, 6))
    assert (progress[per_county_sites.pk].published, progress[per_county_sites.pk].met_on) == (4, date(2026, 2, 20))


def test_progress_takes_two_queries_whatever_the_posts(db, django_assert_num_queries):
    QuotaFactory(year=2026, minimum=30)
    QuotaFactory(year=2026, minimum=5, department=DepartmentFactory())
    publish(5, date(2026, 2, 1))
    with django_assert_num_queries(2):
        quota_progress_list(year=2026, today=date(2026, 3, 2))
    publish(50, date(2026, 2, 2))
    with django_assert_num_queries(2):
        quota_progress_list(year=2026, today=date(2026, 3, 2))


def test_no_quota_no_progress(db):
    assert quota_progress_list(year=2026, today=date(2026, 3, 2)) == []


def test_the_year_summary_uses_the_same_figures(db):
    from publicity.selectors import publicity_summary
    from tests.publicity.factories import CoverageFactory, DisclosureFactory, OutletFactory

    QuotaFactory(year=2025, minimum=3)
    QuotaFactory(year=2025, minimum=1, department=DepartmentFactory())
    publish(4, date(2025, 4, 1))
    provincial = OutletFactory(level="provincial")
    CoverageFactory.create_batch(2, outlet=provincial, reported_on=date(2025, 5, 1))
    CoverageFactory(outlet=OutletFactory(level="city"), reported_on=date(2025, 6, 1))
    CoverageFactory(outlet=provincial, reported_on=date(2026, 1, 1))
    DisclosureFactory.create_batch(2, category="budget", published_on=date(2025, 3, 1))

    summary = publicity_summary(year=2025, today=date(2026, 1, 10))
    assert summary.published == 4
    assert summary.bureau_progress.met_on == date(2025, 4, 1)
    assert summary.bureau_progress.minimum == 3
    assert summary.reports_by_level == {"provincial": 2, "city": 1}
    assert summary.outlets[0] == provincial
    assert summary.disclosures_by_category == {"budget": 2}


def test_progress_follows_the_test_clock(db, travel):
    """No ``today=``: the selector asks bureau.clock, which the travel fixture stops at 2 March 2026."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    QuotaFactory(year=2026, minimum=3)
    publish(2, date(2026, 1, 15))
    publish(1, date(2026, 3, 20))
    [before] = quota_progress_list(year=2026)
    assert (before.published, before.met_on, before.elapsed_days) == (2, None, 61)
    travel.move_to(datetime(2026, 3, 20, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    [after] = quota_progress_list(year=2026)
    assert (after.published, after.met_on) == (3, date(2026, 3, 20))
    assert after.is_met_early


def test_a_scoped_quota_is_met_on_a_day_with_its_own_posts(db, county_site):
    """The posts are counted per day with a column per quota: a day with only other departments'
    posts adds nothing to a department's quota and cannot be the day it was met."""
    culture, tourism = DepartmentFactory(), DepartmentFactory()
    QuotaFactory(year=2026, minimum=1)
    per_culture = QuotaFactory(year=2026, department=culture, minimum=1)
    publish(3, date(2026, 1, 5), department=tourism, platform=county_site)
    publish(1, date(2026, 2, 1), department=culture, platform=county_site)

    progress = {p.quota.pk: p for p in quota_progress_list(year=2026, today=date(2026, 3, 2))}
    assert (progress[per_culture.pk].published, progress[per_culture.pk].met_on) == (1, date(2026, 2, 1))
    bureau = next(p for p in progress.values() if not p.quota.is_scoped)
    assert (bureau.published, bureau.met_on) == (4, date(2026, 1, 5))

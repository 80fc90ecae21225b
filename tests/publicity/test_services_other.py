from datetime import date

import pytest
from django.core.exceptions import ValidationError

from archive.models import ArchiveRecord
from publicity.models import DisclosureItem, Platform, PlatformStatistic, PublicityQuota
from publicity.services import (
    coverage_create,
    disclosure_create,
    quota_delete,
    quota_save,
    statistic_record,
)
from tests.factories import DepartmentFactory
from tests.publicity.factories import OutletFactory, PlatformFactory, PublicityPostFactory


def test_quota_changes_are_recorded(cast, travel):
    admin = cast["admin"].user
    quota = quota_save(quota=PublicityQuota(year=2026, minimum=30), actor=admin)
    quota.minimum = 40
    quota_save(quota=quota, actor=admin)
    quota_save(quota=quota, actor=admin)  # nothing changed: nothing recorded
    quota_delete(quota=quota, actor=admin)
    records = list(ArchiveRecord.objects.filter(action__startswith="publicity.publicityquota.").order_by("pk"))
    assert [r.action for r in records] == [
        "publicity.publicityquota.created",
        "publicity.publicityquota.changed",
        "publicity.publicityquota.deleted",
    ]
    assert (records[1].before["minimum"], records[1].after["minimum"]) == (30, 40)
    assert records[2].actor == admin


def test_a_quota_has_one_scope_and_one_row_per_scope(cast):
    admin = cast["admin"].user
    department = DepartmentFactory()
    platform = PlatformFactory()
    with pytest.raises(ValidationError):
        quota_save(quota=PublicityQuota(year=2026, minimum=5, department=department, platform=platform), actor=admin)
    quota_save(quota=PublicityQuota(year=2026, minimum=30), actor=admin)
    with pytest.raises(ValidationError):
        quota_save(quota=PublicityQuota(year=2026, minimum=20), actor=admin)  # the bureau's, twice
    quota_save(quota=PublicityQuota(year=2026, minimum=5, department=department), actor=admin)
    quota_save(quota=PublicityQuota(year=2026, minimum=5, platform_kind=Platform.Kind.COUNTY_SITE), actor=admin)
    assert PublicityQuota.objects.count() == 3


def test_monthly_statistics_are_recorded_and_corrected_on_the_record(cast, travel):
    microblog = PlatformFactory(kind=Platform.Kind.MICROBLOG)
    staff = cast["staff"].user
    statistic_record(actor=staff, platform=microblog, month=date(2026, 2, 14), followers=1200, posts_published=31)
    statistic_record(actor=staff, platform=microblog, month=date(2026, 2, 1), followers=1250, posts_published=31)
    statistic_record(actor=staff, platform=microblog, month=date(2026, 2, 1), followers=1250, posts_published=31)
    statistic = PlatformStatistic.objects.get()
    assert (statistic.month, statistic.followers) == (date(2026, 2, 1), 1250)
    records = list(ArchiveRecord.objects.filter(action="publicity.platformstatistic.recorded").order_by("pk"))
    assert len(records) == 2
    assert records[1].before == {"followers": 1200, "posts_published": 31}


def test_coverage_and_disclosure_are_recorded(cast, travel):
    staff = cast["staff"].user
    post = PublicityPostFactory(published=date(2026, 2, 1))
    coverage = coverage_create(
        actor=staff, outlet=OutletFactory(name="南通日报"), reported_on=date(2026, 2, 3), title="送戏下乡", post=post
    )
    item = disclosure_create(
        actor=staff,
        title="2026年部门预算公开",
        category=DisclosureItem.Category.BUDGET,
        published_on=date(2026, 2, 10),
        platform=PlatformFactory(),
        department=cast["staff"].department,
        approved_by=cast["leader"],
    )
    assert coverage.recorded_by == cast["staff"]
    assert item.approved_by == cast["leader"]
    assert set(ArchiveRecord.objects.values_list("action", flat=True)) >= {
        "publicity.mediacoverage.recorded",
        "publicity.disclosureitem.recorded",
    }

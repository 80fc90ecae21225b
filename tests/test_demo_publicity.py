"""The demo's publicity statistics and disclosure ledger (demo/publicity.py) hold no row recorded
after the moment of seeding."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from bureau.models import Person
from demo import organisation as bureau_demo
from demo import publicity as demo
from publicity.models import DisclosureItem, PlatformStatistic

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _people() -> dict[str, Person]:
    return {p.user.username: p for p in Person.objects.select_related("user", "department")}


def test_statistics_recorded_later_on_the_seeding_day_are_left_out(db):
    # Seeded on 5 December 2026: January 2025 to November 2026 are over, 23 months × 3 platforms
    # = 69 rows. November's are recorded on 1 November + 34 days = 5 December at 09:00.
    bureau_demo.seed(today=date(2026, 12, 5))
    platforms, people = demo._seed_platforms(), _people()
    early = datetime(2026, 12, 5, 5, 30, tzinfo=SHANGHAI)
    demo._seed_statistics(early.date(), platforms, people["staff"], now=early)
    assert PlatformStatistic.objects.count() == 66
    assert not PlatformStatistic.objects.filter(recorded_at__gt=early).exists()
    at_nine = datetime(2026, 12, 5, 9, 0, tzinfo=SHANGHAI)
    demo._seed_statistics(at_nine.date(), platforms, people["staff"], now=at_nine)
    assert PlatformStatistic.objects.count() == 69
    assert PlatformStatistic.objects.filter(recorded_at=at_nine).count() == 3


def test_a_ledger_entry_recorded_later_on_the_seeding_day_is_left_out(db):
    # Ten entries a year, published on 10 January + 33 days × n: 2025 has all ten; 2026's tenth
    # is on 3 November, recorded at 09:00.
    bureau_demo.seed(today=date(2026, 11, 3))
    platforms, people = demo._seed_platforms(), _people()
    early = datetime(2026, 11, 3, 5, 30, tzinfo=SHANGHAI)
    demo._seed_disclosure(early.date(), platforms, people, now=early)
    assert DisclosureItem.objects.count() == 19
    assert not DisclosureItem.objects.filter(recorded_at__gt=early).exists()
    at_nine = datetime(2026, 11, 3, 9, 0, tzinfo=SHANGHAI)
    demo._seed_disclosure(at_nine.date(), platforms, people, now=at_nine)
    assert DisclosureItem.objects.count() == 20
    assert DisclosureItem.objects.filter(recorded_at=at_nine).count() == 1

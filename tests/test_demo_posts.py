"""The demo's posts (demo/opinions.py ``_post_specs``) are never found after the moment of seeding."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from demo.opinions import _post_specs

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 12, 5)
CHANNELS = {"论坛": "forum", "12345热线": "hotline"}  # the generator only picks from them


def _specs(now: datetime) -> dict[str, dict]:
    return {spec["key"]: spec for spec in _post_specs(TODAY, CHANNELS, now=now)}


def test_seeding_early_in_the_day_leaves_out_todays_later_posts_and_keeps_the_rest_as_they_are():
    early = _specs(datetime(2026, 12, 5, 5, 30, tzinfo=SHANGHAI))
    late = _specs(datetime(2026, 12, 5, 23, 59, tzinfo=SHANGHAI))
    assert all(spec["found_at"] <= datetime(2026, 12, 5, 5, 30, tzinfo=SHANGHAI) for spec in early.values())
    today = [key for key in late if key.startswith("demo-20261205-")]
    assert today  # 3 to 6 posts today, all found from 07:00 on: none of them yet at 05:30
    assert not [key for key in early if key.startswith("demo-20261205-")]
    # Every other post is the same whenever in the day the office is seeded.
    assert early == {key: spec for key, spec in late.items() if key not in today}

from datetime import date

import pytest
from django.utils import translation

from tests.publicity.factories import PlatformFactory


@pytest.fixture
def platform(db):
    return PlatformFactory(name="县政府门户网站", section="部门动态")


@pytest.fixture
def draft(cast, platform, travel):
    """A draft by the cast's staff member."""
    from publicity.services import post_create

    staff = cast["staff"]
    return post_create(
        actor=staff.user,
        title="我局开展送戏下乡活动",
        body="3月1日，我局组织县锡剧团赴各乡镇开展送戏下乡演出。",
        department=staff.department,
        platform=platform,
        planned_on=date(2026, 3, 5),
    )


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in their English source, whatever the catalogue says in Chinese."""
    with translation.override("en"):
        yield

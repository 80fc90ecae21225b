from datetime import date

import pytest

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
def _fast_password_hashing(settings):
    """Factories create many logins; Argon2 would spend most of the suite hashing their passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

"""The test cast: one person per role plus an outsider with no role, and ``client_as(role)``."""

import pytest
from django.test import Client

from bureau.models import Role
from tests.factories import TEST_PASSWORD, PersonFactory, UserFactory

CAST_ROLES = {
    "director": Role.DIRECTOR,
    "leader": Role.LEADER,
    "supervisor": Role.OFFICE_HEAD,
    "staff": Role.STAFF,
    "admin": Role.ADMINISTRATOR,
}


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Tests never send real mail and never write into the developer's var/ folder."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def cast(db):
    """A dict of role name → Person, plus "outsider": a login with no person and no role."""
    people = {key: PersonFactory(user__username=f"cast-{key}", role=role) for key, role in CAST_ROLES.items()}
    people["outsider"] = UserFactory(username="cast-outsider")
    return people


@pytest.fixture
def client_as(cast):
    """``client_as("supervisor")`` gives a test client logged in as that member of the cast."""

    def make(role: str) -> Client:
        client = Client()
        member = cast[role]
        user = member if role == "outsider" else member.user
        client.force_login(user)
        return client

    return make


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def travel(time_machine):
    """The test clock, stopped at 09:00 on Monday 2 March 2026 in Shanghai; move it with
    ``travel.shift(timedelta(...))`` or ``travel.move_to(...)``."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    time_machine.move_to(datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    return time_machine

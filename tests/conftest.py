"""The test cast: one person per role plus an outsider with no role, and ``client_as(role)``."""

import os
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client, TransactionTestCase, override_settings

from bureau import clock
from bureau.celery import app as celery_app
from bureau.models import Role
from tests import demo_template
from tests.factories import TEST_PASSWORD, PersonFactory, UserFactory


def _broker_of_this_xdist_worker() -> None:
    """``make test`` runs the suite in two processes (pytest-xdist). Each has its own test
    database (pytest-django adds the worker's name); each also needs its own Redis database, or a
    Celery worker started by a test in one process would take the other's tasks. Redis database
    10 + the worker's number (gw0 → 10, gw1 → 11); the developers' own runs stay on theirs."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = settings.CELERY_BROKER_URL
    if not worker.startswith("gw") or not url.startswith("redis://"):
        return
    own = urlunsplit(urlsplit(url)._replace(path=f"/{(10 + int(worker[2:])) % 16}"))
    settings.CELERY_BROKER_URL = own
    os.environ["CELERY_BROKER_URL"] = own
    os.environ["REDIS_URL"] = own
    celery_app.conf.broker_url = own  # the app may have read its configuration already


_broker_of_this_xdist_worker()

CAST_ROLES = {
    "director": Role.DIRECTOR,
    "leader": Role.LEADER,
    "supervisor": Role.OFFICE_HEAD,
    "staff": Role.STAFF,
    "admin": Role.ADMINISTRATOR,
}


def _shared_folder(tmp_path_factory) -> Path:
    """A folder every xdist process of this run shares (each has its own basetemp below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two adjustments to the test database, made once:

    - Transactional tests end with a TRUNCATE of every table, which the archive's trigger refuses
      by design. In the test database only, that one trigger is off; UPDATE and DELETE stay refused.
    - ``serialized_rollback`` restores the rows that migrations wrote (role groups, periodic jobs)
      from a snapshot Django keeps on the connection object. Some tests (the live server, the
      Celery worker) make Django open a fresh connection object without that snapshot; every
      connection object created from now on is given it too."""
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE archive_archiverecord DISABLE TRIGGER archive_record_no_truncate")
    snapshots = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    create_connection = connections.create_connection

    def create_connection_with_snapshot(alias):
        wrapper = create_connection(alias)
        if alias in snapshots:
            wrapper._test_serialized_contents = snapshots[alias]
        return wrapper

    connections.create_connection = create_connection_with_snapshot
    with django_db_blocker.unblock():
        _flush_by_delete(connection)
    if SEEDED_TESTS_COLLECTED and demo_template.in_use() and demo_template.is_seeder():
        with django_db_blocker.unblock():
            demo_template.start_seeding(
                shared=_shared_folder(tmp_path_factory), seeded_at=clock.now().replace(microsecond=0)
            )
    yield
    connections.create_connection = create_connection


def _flush_by_delete(db) -> None:
    """A transactional test ends with Django's flush: on PostgreSQL one ``TRUNCATE`` of all 112
    tables, which gives each table new files and cost 0.9–2 s a test here. Deleting the few rows
    a test leaves costs 10–100 ms. ``session_replication_role = replica`` lets the DELETEs skip
    the foreign-key checks and the archive's refusal triggers for this one transaction (it needs
    a superuser, as the test database's owner is on these machines; otherwise TRUNCATE stays).
    Sequences are not reset by either (``reset_sequences`` keeps Django's own statement)."""
    if db.vendor != "postgresql":
        return
    with db.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return
    operations = type(db.ops)
    truncate = operations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        deletes = "; ".join(f"DELETE FROM {self.quote_name(table)}" for table in tables)
        return [f"SET LOCAL session_replication_role = replica; {deletes}"]

    operations.sql_flush = sql_flush


def _seeded_order(item) -> int:
    """0: a test on an empty database; 1: one that reads the seeded demo office inside its own
    rolled-back transaction (tests/test_demo_office.py); 2: a browser test on it, which commits."""
    if "seeded_demo_office" not in getattr(item, "fixturenames", ()):
        return 0
    return 2 if "live_server" in item.fixturenames else 1


SEEDED_TESTS_COLLECTED = False


def pytest_collection_modifyitems(items):
    """Tests on the shared, seeded demo office (``seeded_demo_office`` below) run last, after every
    test that expects an empty database; those that only read it before the browser tests that
    change it. When there are any, the demo office is seeded once, in the background, from the
    start of the run (tests/demo_template.py)."""
    global SEEDED_TESTS_COLLECTED
    items.sort(key=_seeded_order)
    SEEDED_TESTS_COLLECTED = any(_seeded_order(item) for item in items)


def pytest_sessionfinish(session):
    """The controller (or the only process) drops the seeded template at the end of the run. (The
    xdist controller collects nothing, so it cannot know whether one was made: it drops it if any.)"""
    if not hasattr(session.config, "workerinput") and demo_template.in_use():
        demo_template.drop_template()


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    """Tests never send real mail and never write into the developer's var/ folder; passwords are
    hashed with a fast hasher (the Argon2 setting itself is checked in test_security.py)."""
    settings.ARCHIVE_ANCHOR_PATH = str(tmp_path / "archive-head.txt")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
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


@pytest.fixture
def committed_db():
    """For transactional tests whose rows other threads must see (a Celery worker, a second
    sender): this thread's connections are closed afterwards. The flush at the end and the rows
    migrations wrote are taken care of once for the session by ``django_db_setup`` above."""
    yield
    connections.close_all()  # only this thread's; worker threads close their own


@pytest.fixture(scope="session")
def seeded_demo_office(django_db_setup, django_db_blocker, tmp_path_factory) -> datetime:
    """The demo office (``seed_demo``), seeded and committed once per run for the tests that read
    it: tests/test_demo_office.py, then the browser tests. Returns the moment it was seeded at: the
    clock stands still there while seeding, as if a year of the office were written in an instant,
    and tests/test_demo_office.py reads it at that same moment.

    Those tests run last (``pytest_collection_modifyitems`` above) and the end-of-test flush of
    transactional tests is skipped from here on, so each sees the same seeded office; they must
    not depend on what another of them changed (the plain ones roll back their own changes). The
    test database is dropped at the end of the run."""
    if demo_template.in_use():
        # PostgreSQL: seeded once for the whole run in the background; this process's test
        # database becomes a copy of it (tests/demo_template.py).
        with django_db_blocker.unblock():
            seeded_at = demo_template.take_seeded_copy(shared=_shared_folder(tmp_path_factory))
    else:
        seeding = override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            MEDIA_ROOT=tmp_path_factory.mktemp("demo-media"),
        )
        seeded_at = clock.now().replace(microsecond=0)
        with django_db_blocker.unblock(), seeding, time_machine.travel(seeded_at, tick=False):
            # An earlier transactional test's flush removed the rows migrations wrote (role
            # groups, periodic jobs); put them back first, as serialized_rollback would.
            if hasattr(connection, "_test_serialized_contents"):
                connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
            call_command("seed_demo", verbosity=0)
    keep = TransactionTestCase._fixture_teardown
    TransactionTestCase._fixture_teardown = lambda self: None
    yield seeded_at
    TransactionTestCase._fixture_teardown = keep

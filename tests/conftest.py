"""The test cast: one person per role plus an outsider with no role, and ``client_as(role)``."""

import os
from collections.abc import Callable
from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import Client, TransactionTestCase, override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from bureau import clock
from bureau.celery import app as celery_app
from tests import demo_template, migrated_template
from tests.factories import TEST_PASSWORD, make_cast


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


def _static_files_listed_once() -> None:
    """On the embedded default WhiteNoise serves the static files through the finders, and lists
    every one of them (a stat each, headers built) when a middleware chain is built: once per
    process in the office, but at the first request of every test's Client here, 27 s of the
    suite. The files do not change during a run: listed by the first chain, copied by the rest."""
    list_files = WhiteNoiseMiddleware.add_files_from_finders
    listed: dict = {}

    def add_files_from_finders(self) -> None:
        if not listed:
            list_files(self)
            listed.update(self.files)
        else:
            self.files.update(listed)

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders


_static_files_listed_once()

# The test clock (``travel``): 09:00 on Monday 2 March 2026 in Shanghai.
TEST_MOMENT = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def _shared_folder(tmp_path_factory) -> Path:
    """A folder every xdist process of this run shares (each has its own basetemp below it)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def django_db_keepdb(request, django_db_modify_db_settings, tmp_path_factory) -> bool:
    """pytest-django's own choice (``--reuse-db``), except on PostgreSQL without it: then the test
    database is made a copy of the migrated template (tests/migrated_template.py) and kept, so
    pytest-django's migrate finds it migrated. On SQLite the test database (a file, see
    bureau/settings.py) is made and migrated afresh every run, ``--reuse-db`` or not, as the
    in-memory one was: a kept one would hold none of the rows migrations wrote, as the last
    transactional test's flush took them."""
    if connection.vendor == "sqlite":
        return False
    reuse = bool(request.config.getvalue("reuse_db")) and not request.config.getvalue("create_db")
    if reuse or not demo_template.in_use():
        return reuse
    migrated_template.copy_into(
        connection.creation._get_test_db_name(),
        folder=_shared_folder(tmp_path_factory),
        fresh=bool(request.config.getvalue("create_db")),
    )
    return True


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
    _restore_in_bulk(connection)
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


def _restore_in_bulk(db) -> None:
    """``serialized_rollback`` puts the rows migrations wrote back at the start of each
    transactional test: 587 of them here (permissions, content types, role groups, periodic jobs,
    screening categories), each through ``save()`` — an UPDATE that finds nothing, then an INSERT,
    then the group's permissions one by one: about 1,200 statements a test. The same rows are put
    back here with one INSERT per table (and one per many-to-many table), in one transaction
    with the constraint checks deferred and then made, as Django's own restore does. No signals
    are sent, as none of these models has a receiver that matters to a test (django-celery-beat's
    "schedule changed" stamp on PeriodicTasks is restored as it was)."""
    creation = type(db.creation)

    def deserialize_db_from_string(self, data):
        alias = self.connection.alias
        rows: dict[type, list] = {}
        links: dict[type, list] = {}
        with transaction.atomic(using=alias):
            with self.connection.constraint_checks_disabled():
                for deserialized in serializers.deserialize("json", StringIO(data), using=alias):
                    row = deserialized.object
                    rows.setdefault(type(row), []).append(row)
                    for name, targets in (deserialized.m2m_data or {}).items():
                        field = row._meta.get_field(name)
                        through = field.remote_field.through
                        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
                        links.setdefault(through, []).extend(
                            through(**{f"{source}_id": row.pk, f"{target}_id": pk}) for pk in targets
                        )
                # The first transactional test finds the rows still there (only a flush removes
                # them): written over, as ``save()`` would.
                for model, objects in rows.items():
                    fields = [field.name for field in model._meta.concrete_fields if not field.primary_key]
                    model._base_manager.using(alias).bulk_create(
                        objects, update_conflicts=True, unique_fields=["pk"], update_fields=fields
                    )
                for model, objects in links.items():
                    model._base_manager.using(alias).bulk_create(objects, ignore_conflicts=True)
            self.connection.check_constraints(table_names=[model._meta.db_table for model in (*rows, *links)])

    creation.deserialize_db_from_string = deserialize_db_from_string


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


def _test_settings(folder: Path) -> dict[str, Any]:
    """Tests never send real mail and never write into the developer's var/ folder; passwords are
    hashed with a fast hasher (the Argon2 setting itself is checked in test_security.py). Nothing
    is kept in a cache: tests build rows with factories, which write no archive record, so a value
    kept until the archive moves (the menu badge) would outlive them; the keeping itself is tested
    with a real cache (tests/reports/test_todo_badge_kept.py)."""
    return {
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
        "ARCHIVE_ANCHOR_PATH": str(folder / "archive-head.txt"),
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "MEDIA_ROOT": folder / "media",
        "STORAGES": {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    }


@pytest.fixture(autouse=True)
def _isolated_settings(settings, tmp_path):
    for name, value in _test_settings(tmp_path).items():
        setattr(settings, name, value)


class ModuleRows:
    """Rows a module's tests all read, built once for the module instead of once per test.

    ``module_rows`` holds one transaction open around the module's tests, and a module-scoped
    fixture writes its rows in it with ``build(make)`` (at the test clock's moment, with the tests'
    settings). Each test's own transaction is a savepoint inside it, so whatever a test changes is
    rolled back before the next, and the module's rows go when the module ends. The test's own
    fixture hands out a ``copy.deepcopy`` of what was built (and asks for ``db``), so a test that
    changes an object in memory leaves the next one's alone. Only for modules whose tests are all
    plain ``db`` tests: a transactional test would commit the module's rows or flush them."""

    def __init__(self, blocker, folder: Path):
        self._blocker = blocker
        self._folder = folder

    def build(self, make: Callable[[], Any]) -> Any:
        with (
            self._blocker.unblock(),
            override_settings(**_test_settings(self._folder)),
            time_machine.travel(TEST_MOMENT, tick=False),
        ):
            return make()


@pytest.fixture(scope="module")
def module_rows(django_db_setup, django_db_blocker, tmp_path_factory):
    atomic = transaction.atomic()
    # Marked as a test case's, as Django marks its own: the code under test may open a durable
    # block inside it, as it may inside a test's transaction.
    atomic._from_testcase = True
    with django_db_blocker.unblock():
        atomic.__enter__()
    # Closing the connection would end the module's transaction with its rows; code under test
    # closes it where a process would end (a management command run through its command line).
    connection.close = lambda: None
    try:
        yield ModuleRows(django_db_blocker, tmp_path_factory.mktemp("module-rows"))
    finally:
        del connection.close
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def cast(db):
    return make_cast()


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
def kept_cache(settings):
    """A real cache in this process's memory, as the office runs with (the suite's is a dummy:
    ``_test_settings``), empty at the start and the end of the test."""
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kept"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def travel(time_machine):
    """The test clock, stopped at 09:00 on Monday 2 March 2026 in Shanghai; move it with
    ``travel.shift(timedelta(...))`` or ``travel.move_to(...)``."""
    time_machine.move_to(TEST_MOMENT, tick=False)
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

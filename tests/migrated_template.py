"""The empty, migrated test database, migrated once and copied into each test process (PostgreSQL).

Migrating a database from nothing costs 10–13 s of CPU here, most of it Django rendering model
states, and under xdist every process did it at the same moment. Instead the first process to get
there migrates a template database named after a hash of every migration and of the pinned
requirements (``test_<name>_migrated_<hash>``), in a child process; each process then makes its
own test database a copy of it (a file copy of about a second) and pytest-django keeps that copy
(``django_db_keepdb`` in tests/conftest.py), so its own migrate has nothing left to do. The
template outlives the run: the next run on the same migrations copies it at once, and templates of
other migrations are dropped when a new one is made. ``--create-db`` migrates it again.

On SQLite (no DATABASE_URL) each process migrates its own database, as pytest-django does."""

import hashlib
import subprocess
import sys
from pathlib import Path

from tests import demo_template

ROOT = Path(__file__).resolve().parent.parent
PREFIX = f"test_{demo_template._ORIGINAL['NAME']}_migrated_"
LOCK = 0x6D696772  # pg_advisory_lock key: "migr"
APPS = ("alerts", "archive", "assignments", "bureau", "events", "opinions", "proofing", "publicity", "reports")


def _fingerprint() -> str:
    """A hash of what decides the migrated schema: our migrations and the pinned packages (theirs)."""
    digest = hashlib.sha256((ROOT / "requirements.txt").read_bytes())
    for app in APPS:
        for path in sorted((ROOT / app / "migrations").glob("*.py")):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def template_name() -> str:
    return PREFIX + _fingerprint()


def _exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _migrate(cursor, name: str, folder: Path) -> None:
    """Create ``name`` and migrate it in a child process, with the suite's settings module."""
    cursor.execute(f'CREATE DATABASE "{name}"')
    cursor.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')  # as demo_template.create_copy
    result = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=demo_template.child_environment(name, var_dir=folder / "migrate-var"),
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        raise RuntimeError(f"migrating the template database failed:\n{result.stderr}")


def copy_into(database: str, *, folder: Path, fresh: bool) -> None:
    """Make ``database`` a copy of the migrated template, migrating the template first if there is
    none for these migrations (or, ``fresh``, none made in this run: ``folder`` is the run's,
    shared by its processes). One process at a time, under an advisory lock."""
    name = template_name()
    server = demo_template._server()
    try:
        with server.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK])
            try:
                made_this_run = folder / "migrated-template-made"  # one fresh template per run
                if fresh and not made_this_run.exists() and _exists(cursor, name):
                    cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
                if not _exists(cursor, name):
                    cursor.execute("SELECT datname FROM pg_database WHERE starts_with(datname, %s)", [PREFIX])
                    for (stale,) in cursor.fetchall():
                        cursor.execute(f'DROP DATABASE "{stale}" WITH (FORCE)')
                    # Migrated under another name and renamed when done: a run killed halfway
                    # leaves no template that looks finished.
                    _migrate(cursor, name + "_part", folder)
                    cursor.execute(f'ALTER DATABASE "{name}_part" RENAME TO "{name}"')
                    made_this_run.touch()
                cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
                demo_template.create_copy(cursor, database, template=name)
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK])
    finally:
        server.close()

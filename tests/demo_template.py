"""The demo office seeded once per run, on PostgreSQL, into a template database.

Seeding a year of the office through the services costs about a minute of CPU. Under xdist every
process needs the seeded office for its last tests; seeding it in each would cost that minute
once per process, at the end of the run, when nothing else is left to do. Instead the first
process (``gw0``, or the only one), right after its test database is migrated, copies that empty
database to a template (``test_<name>_demo``) and seeds the template in a child process while the
tests run. When a process reaches its first seeded test it waits for the seed (usually long
finished), drops its own test database and re-creates it from the template: a file copy of a
second or two. The controller drops the template at the end of the run.

On SQLite (no DATABASE_URL) the office is seeded in the process itself, as before."""

import json
import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import psycopg2
from django.conf import settings
from django.db import connections

ROOT = Path(__file__).resolve().parent.parent
# The developers' database name, read before pytest-django points the settings at the test one.
_ORIGINAL = dict(settings.DATABASES["default"])
TEMPLATE = f"test_{_ORIGINAL['NAME']}_demo"
WAIT_SECONDS = 900

SEED = """
import json, sys, traceback
from datetime import datetime
import django
django.setup()
import time_machine
from django.core.management import call_command
from django.test import override_settings
seeded_at, media, marker = sys.argv[1:4]
try:
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        MEDIA_ROOT=media,
    ), time_machine.travel(datetime.fromisoformat(seeded_at), tick=False):
        call_command("seed_demo", verbosity=0)
    outcome = {"seeded_at": seeded_at}
except Exception:
    outcome = {"error": traceback.format_exc()}
with open(marker + ".part", "w") as out:
    json.dump(outcome, out)
import os
os.replace(marker + ".part", marker)
"""


def in_use() -> bool:
    return _ORIGINAL["ENGINE"] == "django.db.backends.postgresql"


def is_seeder() -> bool:
    return os.environ.get("PYTEST_XDIST_WORKER", "gw0") == "gw0"


def _server():
    """A connection to the maintenance database, for CREATE and DROP DATABASE."""
    connection = psycopg2.connect(
        dbname="postgres",
        host=_ORIGINAL.get("HOST") or None,
        port=_ORIGINAL.get("PORT") or None,
        user=_ORIGINAL.get("USER") or None,
        password=_ORIGINAL.get("PASSWORD") or None,
    )
    connection.autocommit = True
    return connection


def child_environment(database: str, *, var_dir: Path) -> dict[str, str]:
    """The environment of a child ``manage.py`` process working on ``database`` of this server,
    with the suite's settings module, its own var folder (nothing of the developer's var/ is
    touched) and no broker address (its tasks never reach a test's Redis)."""
    credentials = _ORIGINAL["USER"] + (f":{_ORIGINAL['PASSWORD']}" if _ORIGINAL.get("PASSWORD") else "")
    environment = {key: value for key, value in os.environ.items() if key not in ("CELERY_BROKER_URL", "REDIS_URL")}
    environment.update(
        DJANGO_SETTINGS_MODULE="bureau.settings",
        DATABASE_URL=f"postgres://{credentials}@{_ORIGINAL['HOST']}:{_ORIGINAL['PORT']}/{database}",
        VAR_DIR=str(var_dir),
        PYTHONUNBUFFERED="1",
    )
    return environment


def create_copy(cursor, name: str, *, template: str) -> None:
    """``CREATE DATABASE name TEMPLATE template``, tried again while another process is copying
    the template (or a closing connection still holds it). The copy's commits do not wait for the
    disk (``synchronous_commit = off``): a test database is thrown away, and a commit cost 2.2 ms
    here with the wait against 0.1 ms without (transactional tests commit at every request and
    task; the seed, in few large transactions, was not faster). A commit is still seen by every
    other connection at once."""
    for attempt in range(20):
        try:
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            break
        except psycopg2.errors.ObjectInUse:
            if attempt == 19:
                raise
            time.sleep(0.5)
    cursor.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')


def _marker(shared: Path) -> Path:
    return shared / "demo-office-seeded.json"


def start_seeding(*, shared: Path, seeded_at: datetime) -> None:
    """Copy this process's freshly migrated test database to the template and seed it in a child
    process. No other connection to the test database may be open (the copy needs none)."""
    own = settings.DATABASES["default"]["NAME"]
    connections.close_all()
    server = _server()
    with server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
        create_copy(cursor, TEMPLATE, template=own)
    server.close()
    # Its broker is a folder under demo-var: nothing reaches a test's Redis.
    environment = child_environment(TEMPLATE, var_dir=shared / "demo-var")
    (shared / "demo-media").mkdir(exist_ok=True)
    log = (shared / "demo-office-seed.log").open("wb")
    subprocess.Popen(
        [sys.executable, "-c", SEED, seeded_at.isoformat(), str(shared / "demo-media"), str(_marker(shared))],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def take_seeded_copy(*, shared: Path) -> datetime:
    """Wait for the seed, then make this process's test database a copy of the template. Returns
    the moment the office was seeded at."""
    marker = _marker(shared)
    deadline = time.monotonic() + WAIT_SECONDS
    while not marker.exists():
        if time.monotonic() > deadline:
            raise RuntimeError(f"the demo office was not seeded within {WAIT_SECONDS} s; see {shared}")
        time.sleep(0.5)
    outcome = json.loads(marker.read_text())
    if "error" in outcome:
        raise RuntimeError(f"seeding the demo office failed:\n{outcome['error']}")
    own = settings.DATABASES["default"]["NAME"]
    connections.close_all()  # this thread's; a live server thread's is ended by FORCE below
    server = _server()
    try:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{own}" WITH (FORCE)')
            create_copy(cursor, own, template=TEMPLATE)
    finally:
        server.close()
    return datetime.fromisoformat(outcome["seeded_at"])


def drop_template() -> None:
    try:
        server = _server()
    except psycopg2.OperationalError:  # a run that never needed the server; nothing to drop
        return
    try:
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
    finally:
        server.close()

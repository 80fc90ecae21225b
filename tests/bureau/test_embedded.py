"""The embedded default (`make run`: no DATABASE_URL, no DEBUG) is used by the office, several people
at once: it shows the office's own error pages and its SQLite lets writers wait for each other."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SHOW_SETTINGS = """
from django.conf import settings
print(settings.DEBUG, settings.LOCAL, settings.EMBEDDED, settings.SESSION_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT)
print(settings.DATABASES["default"]["ENGINE"], settings.DATABASES["default"]["OPTIONS"]["transaction_mode"])
"""

# Two people save at the same moment: each transaction reads, then writes. With SQLite's default
# (deferred) transactions the second writer cannot upgrade its read lock and fails at once with
# "database is locked"; with IMMEDIATE it waits for the first one's commit.
TWO_WRITERS = """
import threading, time
from django.db import connection, connections, transaction
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS embedded_probe (n integer)")
    cursor.execute("PRAGMA journal_mode")
    print("journal", cursor.fetchone()[0])
errors = []
def save(n):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM embedded_probe")
            time.sleep(0.3)
            cursor.execute("INSERT INTO embedded_probe VALUES (%s)", [n])
    except Exception as error:
        errors.append(repr(error))
    finally:
        connections.close_all()
threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
[t.start() for t in threads]
[t.join() for t in threads]
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM embedded_probe")
    print("rows", cursor.fetchone()[0], "errors", errors)
"""


# What a developer's or the suite's environment sets that the embedded default does not.
NOT_EMBEDDED = ("DATABASE_URL", "DEBUG", "SECRET_KEY", "CELERY_BROKER_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")


def _embedded(script: str, tmp_path: Path, **extra: str) -> str:
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "CELERY_BROKER_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")
    }
    env.update({"VAR_DIR": str(tmp_path), **extra})
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_embedded_default_shows_the_office_pages_not_debug_pages(tmp_path):
    lines = _embedded(SHOW_SETTINGS, tmp_path).strip().splitlines()
    # DEBUG off (office's 404/500 pages), still one machine over plain HTTP, embedded SQLite.
    assert lines[-2:] == ["False True True False False", "django.db.backends.sqlite3 IMMEDIATE"]
    key = tmp_path / "secret_key"
    assert oct(key.stat().st_mode & 0o777) == "0o600"
    assert len(key.read_text().strip()) >= 50


def test_the_embedded_key_is_kept_across_restarts(tmp_path):
    _embedded(SHOW_SETTINGS, tmp_path)
    first = (tmp_path / "secret_key").read_text()
    _embedded(SHOW_SETTINGS, tmp_path)
    assert (tmp_path / "secret_key").read_text() == first


def test_a_developer_asks_for_debug_pages(tmp_path):
    lines = _embedded(SHOW_SETTINGS, tmp_path, DEBUG="1").strip().splitlines()
    assert lines[-2] == "True True True False False"


def test_several_writers_at_once_wait_instead_of_failing(tmp_path):
    out = _embedded(TWO_WRITERS, tmp_path)
    assert "journal wal" in out
    assert "rows 4 errors []" in out

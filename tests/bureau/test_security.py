"""Safety built in from the start: headers, sessions, lock-out, hashing, deploy checks."""

import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.urls import reverse

from bureau.models import Notification
from bureau.notifications import notification_create

ROOT = Path(__file__).resolve().parents[2]


def _login(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_logged_in_pages_carry_security_headers_and_are_not_cached(client_as):
    response = client_as("staff").get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_pages_have_no_inline_script(client_as):
    page = client_as("supervisor").get(reverse("organisation")).content.decode()
    assert "<script>" not in page
    assert "onclick=" not in page


def test_passwords_are_hashed_with_argon2(db):
    from django.contrib.auth.hashers import make_password
    from django.test import override_settings

    from bureau import settings as project_settings

    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        assert identify_hasher(make_password("a long passphrase")).algorithm == "argon2"


def test_login_changes_the_session_key(client, cast, password):
    session = client.session
    session["visited"] = True
    session.save()
    before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    response = _login(client, cast["staff"].user.username, password)
    assert response.status_code == 302
    assert client.session.session_key != before


def test_unknown_user_gets_the_same_answer_as_a_wrong_password(client, cast):
    wrong = _login(client, cast["staff"].user.username, "not-the-password")
    unknown = _login(client, "nobody-of-that-name", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_repeated_failures_lock_the_username_at_that_address_for_a_cool_off(client, cast, password, travel):
    username = cast["staff"].user.username
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        # A different forged X-Forwarded-For each time changes nothing: the address is REMOTE_ADDR.
        _login(client, username, "wrong", REMOTE_ADDR="10.0.0.66", HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}")
    locked = _login(client, username, password, REMOTE_ADDR="10.0.0.66", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert locked.status_code == 429
    assert "locked_out" in locked.templates[0].name or "registration/locked_out.html" in [
        t.name for t in locked.templates
    ]
    travel.shift(settings.AXES_COOLOFF_TIME + timedelta(minutes=1))
    assert _login(client, username, password, REMOTE_ADDR="10.0.0.66").status_code == 302


def test_nobody_locks_a_colleague_out_from_another_machine(cast, password):
    """Five wrong passwords for the office head's name from one machine: the office head, at their
    own machine, still logs in with the right password; the guessing machine stays locked."""
    from django.test import Client

    username = cast["supervisor"].user.username
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(Client(), username, "wrong", REMOTE_ADDR="10.0.0.66")
    assert _login(Client(), username, password, REMOTE_ADDR="10.0.0.66").status_code == 429
    assert _login(Client(), username, password, REMOTE_ADDR="10.0.0.12").status_code == 302


def test_session_ends_after_thirty_idle_minutes(client, cast, password, travel):
    _login(client, cast["staff"].user.username, password)
    travel.shift(timedelta(minutes=25))
    assert client.get(reverse("home")).status_code == 200
    travel.shift(timedelta(minutes=25))  # 25 minutes since the last request: still in
    assert client.get(reverse("home")).status_code == 200
    travel.shift(timedelta(minutes=31))
    assert client.get(reverse("home")).status_code == 302


def test_session_ends_at_its_maximum_age_however_active(client, cast, password, travel, settings):
    settings.SESSION_MAXIMUM_AGE_SECONDS = 3600
    _login(client, cast["staff"].user.username, password)
    for _ in range(3):
        assert client.get(reverse("home")).status_code == 200
        travel.shift(timedelta(minutes=25))
    assert client.get(reverse("home")).status_code == 302


def _session_writes(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    ]


def test_pages_do_not_rewrite_the_session_every_request(client, cast, password, travel):
    from django.contrib.sessions.models import Session

    _login(client, cast["staff"].user.username, password)
    home = reverse("home")
    assert _session_writes(client, home) == []  # login stamped the session already
    key = client.session.session_key
    expiry = Session.objects.get(pk=key).expire_date
    travel.shift(timedelta(seconds=20))
    assert _session_writes(client, home) == []
    travel.shift(timedelta(seconds=30))
    assert _session_writes(client, home) == []
    assert Session.objects.get(pk=key).expire_date == expiry
    travel.shift(timedelta(seconds=15))  # 65 seconds since the last write: renewed
    assert len(_session_writes(client, home)) == 1
    assert Session.objects.get(pk=key).expire_date == expiry + timedelta(seconds=65)


def test_idle_timeout_holds_with_sparse_session_writes(client, cast, password, travel):
    """Requests every 40 seconds for 33 minutes keep the session (renewed about once a minute);
    then 30 minutes of quiet end it."""
    _login(client, cast["staff"].user.username, password)
    for _ in range(50):
        assert client.get(reverse("home")).status_code == 200
        travel.shift(timedelta(seconds=40))
    travel.shift(timedelta(minutes=30))
    assert client.get(reverse("home")).status_code == 302


def test_notification_link_never_leaves_the_site(client_as, cast):
    notification = notification_create(
        recipient=cast["staff"].user, kind="test", dedupe_key="k", title="外链", link="https://evil.example/"
    )
    response = client_as("staff").post(reverse("notification-open", args=[notification.pk]))
    assert response["Location"] == reverse("notification-list")
    assert Notification.objects.get(pk=notification.pk).read_at is not None


def test_someone_elses_notification_is_not_found(client_as, cast):
    notification = notification_create(recipient=cast["leader"].user, kind="test", dedupe_key="k", title="私信")
    assert client_as("staff").post(reverse("notification-open", args=[notification.pk])).status_code == 404


def test_server_error_page_shows_no_traceback(client_as, settings):
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert "Traceback" not in page
    assert "/" in page


@pytest.mark.parametrize("debug", ["0"])
def test_production_settings_pass_the_deploy_check(debug):
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")},
        "DEBUG": debug,
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "office.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env["DEBUG"] = "0"
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr

"""The throttle per client address (bureau/auth.py): failed logins from one address, whatever the
names, close that address's logins for the rest of the window; other addresses are untouched."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from bureau.models import LoginFailure

pytestmark = pytest.mark.django_db

GUESSER = "10.0.0.66"
COLLEAGUE = "10.0.0.12"
REFUSAL = "此地址登录失败次数过多"


def _login(username, password, address):
    return Client().post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(count, address, *, first=0):
    """``count`` failed logins with names nobody has (each name once, so axes never locks one)."""
    for number in range(first, first + count):
        response = _login(f"nobody-{number}", "guess", address)
        assert response.status_code == 200  # the ordinary "wrong name or password" answer


def test_twenty_nine_failures_leave_the_address_open(cast, password, travel):
    # 24 random names and 5 wrong passwords for the office head's name: 29 failures in all.
    _fail(24, GUESSER)
    answers = [_login(cast["supervisor"].user.username, "wrong", GUESSER).status_code for _attempt in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the fifth locks that name at that address (axes)
    assert LoginFailure.objects.filter(address=GUESSER).count() == 29

    # Another person at the same address (the office's NAT) still logs in with the right password.
    assert _login(cast["staff"].user.username, password, GUESSER).status_code == 302


def test_the_thirtieth_failure_closes_the_address_for_every_name_and_not_other_addresses(cast, password, travel):
    _fail(30, GUESSER)

    right = _login(cast["staff"].user.username, password, GUESSER)
    unknown = _login("nobody-else", "guess", GUESSER)
    for refused in (right, unknown):
        assert refused.status_code == 429
        assert REFUSAL in refused.content.decode()
        assert "registration/throttled.html" in [template.name for template in refused.templates]
    # The refusal is the same whether the name exists or not, and it checked no password.
    assert right.content.decode().count(REFUSAL) == unknown.content.decode().count(REFUSAL) == 2
    assert "_auth_user_id" not in right.wsgi_request.session
    # Refused attempts are not failures: still the 30 counted.
    assert LoginFailure.objects.filter(address=GUESSER).count() == 30

    # The office head at their own machine logs in.
    assert _login(cast["supervisor"].user.username, password, COLLEAGUE).status_code == 302


def test_the_address_opens_again_when_its_failures_leave_the_window(cast, password, travel):
    _fail(20, GUESSER)  # 09:00
    travel.shift(timedelta(minutes=10))
    _fail(10, GUESSER, first=20)  # 09:10: 30 within 15 minutes
    travel.shift(timedelta(minutes=4, seconds=59))  # 09:14:59
    assert _login(cast["staff"].user.username, password, GUESSER).status_code == 429

    travel.shift(timedelta(seconds=2))  # 09:15:01: the twenty of 09:00 are older than 15 minutes
    assert _login(cast["staff"].user.username, password, GUESSER).status_code == 302

    # The next failure drops the rows that left the window: the ten of 09:10 and this one remain.
    _fail(1, GUESSER, first=30)
    assert LoginFailure.objects.filter(address=GUESSER).count() == 11


def test_the_throttle_can_be_turned_off(cast, password, travel, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 0
    _fail(30, GUESSER)
    assert _login(cast["staff"].user.username, password, GUESSER).status_code == 302

"""/healthz: for load balancers and monitoring, without login, JSON, 503 when a dependency is down."""

import time

import pytest
from django.urls import reverse

from tests.bureau.test_celery import PUBLISH_DEADLINE_SECONDS, unreachable_broker  # noqa: F401 - shared fixtures


@pytest.mark.django_db
def test_healthz_answers_ok_without_login_when_database_and_broker_are_up(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.usefixtures("unreachable_broker")
def test_healthz_answers_503_quickly_when_the_broker_is_down(client):
    started = time.monotonic()
    response = client.get(reverse("healthz"))
    assert time.monotonic() - started < PUBLISH_DEADLINE_SECONDS
    assert response.status_code == 503
    assert response.json() == {"status": "down", "database": "ok", "broker": "down"}


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_the_login_page_for_logged_in_users_either(client_as):
    response = client_as("staff").get(reverse("healthz"))
    assert response.status_code == 200

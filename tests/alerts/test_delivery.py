"""The outbox against a real local webhook (a threading HTTP server in the test, no internet): the
chat service first answers 500, then 429, then takes the message — it receives it exactly once, and
each refusal waits its backoff."""

import json
from datetime import timedelta
from http.server import BaseHTTPRequestHandler

import pytest

from alerts.models import AlertDelivery
from alerts.services.delivery import alert_deliveries_send, backoff
from alerts.services.raising import alert_raise
from bureau import clock
from tests.alerts.factories import AlertRuleFactory, ChatRobotFactory
from tests.realparts import LocalHttpServer

pytestmark = pytest.mark.django_db


class Webhook(LocalHttpServer):
    """A local chat service: answers the queued statuses in turn, then 200; keeps every body."""

    def __init__(self, statuses: list[int]):
        self.statuses = list(statuses)
        self.requests: list[tuple[int, dict]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                status = hook.statuses.pop(0) if hook.statuses else 200
                hook.requests.append((status, body))
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        super().__init__(Handler)

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"


def test_backoff_doubles_to_ten_minutes():
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4, 7, 8, 20)] == [10, 20, 40, 80, 600, 600, 600]


def test_the_webhook_gets_the_alert_exactly_once_after_failing_twice(travel, cast):
    with Webhook([500, 429]) as hook:
        rule = AlertRuleFactory()
        rule.robots.add(ChatRobotFactory(url=hook.url))
        alert = alert_raise(rule=rule, key="word:图书馆", title="县图书馆停水")
        robot_row = AlertDelivery.objects.get(alert=alert, channel=AlertDelivery.Channel.ROBOT)

        assert alert_deliveries_send() == 1  # the e-mail notice; the webhook answered 500
        robot_row.refresh_from_db()
        assert (robot_row.sent_at, robot_row.attempts, robot_row.claimed_at) == (None, 1, None)

        travel.shift(timedelta(seconds=9))
        assert alert_deliveries_send() == 0  # still waiting its 10 s
        travel.shift(timedelta(seconds=1))
        assert alert_deliveries_send() == 0  # the webhook answered 429
        robot_row.refresh_from_db()
        assert robot_row.attempts == 2

        travel.shift(timedelta(seconds=20))
        assert alert_deliveries_send() == 1  # taken
        travel.shift(timedelta(hours=1))
        assert alert_deliveries_send() == 0  # nothing is sent twice

    assert [status for status, _body in hook.requests] == [500, 429, 200]
    assert hook.requests[-1][1]["title"] == "预警：县图书馆停水"
    assert f"/alerts/{alert.pk}/" in hook.requests[-1][1]["message"]
    robot_row.refresh_from_db()
    assert robot_row.sent_at is not None
    assert robot_row.attempts == 3


def test_a_refused_connection_is_retried_not_lost(travel, cast):
    with Webhook([]) as hook:
        closed_port = hook.server.server_address[1]
    rule = AlertRuleFactory()
    rule.robots.add(ChatRobotFactory(url=f"json://127.0.0.1:{closed_port}/hook"))
    alert = alert_raise(rule=rule, key="k", title="t")
    alert_deliveries_send()
    row = AlertDelivery.objects.get(alert=alert, channel=AlertDelivery.Channel.ROBOT)
    assert (row.sent_at, row.attempts) == (None, 1)
    assert row.last_error


def test_a_held_claim_is_not_sent_by_a_second_sender(travel, cast):
    rule = AlertRuleFactory()
    alert = alert_raise(rule=rule, key="k", title="t")
    row = AlertDelivery.objects.get(alert=alert)
    AlertDelivery.objects.filter(pk=row.pk).update(claimed_at=clock.now())  # another worker holds it
    assert alert_deliveries_send() == 0
    travel.shift(timedelta(minutes=2, seconds=1))  # its lease expired: that worker died
    assert alert_deliveries_send() == 1

"""The HTTP SMS gateway adapter through the outbox, against a local gateway (a threading HTTP server
in the test, no internet): it takes the message once, refuses with its code, rate-limits, hangs; the
secret never reaches a log line or the outbox's error; a private address is refused unless allowed."""

import hashlib
import hmac
import json
import logging
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler

import pytest

from alerts.admin import AlertRuleForm
from alerts.models import AlertDelivery
from alerts.senders import HttpSmsGateway, SendFailed
from alerts.services.delivery import alert_deliveries_send
from alerts.services.raising import alert_raise
from tests.alerts.factories import AlertRuleFactory
from tests.realparts import LocalHttpServer

pytestmark = pytest.mark.django_db

SECRET = "s3cr3t-Kq9vX2-4711"  # noqa: S105 - the test's own gateway secret


class Gateway(LocalHttpServer):
    """A local SMS gateway: answers the queued (status, JSON, seconds to wait) in turn, then
    (200, {"code": 0}); keeps every request's headers and parsed body."""

    def __init__(self, answers: list[tuple[int, dict, float]]):
        self.answers = list(answers)
        self.requests: list[tuple[dict, bytes]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append((dict(self.headers), raw))
                status, answer, wait = gateway.answers.pop(0) if gateway.answers else (200, {"code": 0}, 0)
                time.sleep(wait)
                payload = json.dumps(answer).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:
                    pass  # the client gave up waiting (the timeout test)

            def log_message(self, *args):
                pass

        super().__init__(Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sms/send"


@pytest.fixture
def gateway_settings(settings):
    def configure(gateway: Gateway, **overrides):
        settings.ALERTS_SMS_ADAPTER = "alerts.senders.HttpSmsGateway"
        settings.ALERTS_SMS_GATEWAY_URL = gateway.url
        settings.ALERTS_SMS_GATEWAY_ACCOUNT = "wlj-office"
        settings.ALERTS_SMS_GATEWAY_SECRET = SECRET
        settings.ALERTS_SMS_GATEWAY_SIGN_HEADER = "X-Signature"
        settings.ALERTS_SMS_GATEWAY_SUCCESS = "code=0"
        settings.ALERTS_SMS_GATEWAY_RATE_LIMITED = "code=1005"
        settings.ALERTS_SMS_GATEWAY_TIMEOUT = 0.5
        settings.ALERTS_SMS_GATEWAY_ALLOWED_HOSTS = ["127.0.0.1"]
        for name, value in overrides.items():
            setattr(settings, f"ALERTS_SMS_GATEWAY_{name}", value)

    return configure


def _sms_row(cast) -> AlertDelivery:
    """An alert with SMS for the office head (nobody is on duty); the e-mail row goes out too."""
    alert = alert_raise(rule=AlertRuleFactory(send_sms=True), key="word:图书馆", title="县图书馆停水")
    return AlertDelivery.objects.get(alert=alert, channel=AlertDelivery.Channel.SMS)


def test_the_gateway_takes_the_message_once_signed(travel, cast, gateway_settings):
    with Gateway([]) as gateway:
        gateway_settings(gateway)
        row = _sms_row(cast)
        assert alert_deliveries_send() == 2  # the e-mail notice and the SMS
        travel.shift(timedelta(hours=1))
        assert alert_deliveries_send() == 0  # nothing is sent twice
    assert len(gateway.requests) == 1
    headers, raw = gateway.requests[0]
    body = json.loads(raw)
    assert body["account"] == "wlj-office"
    assert body["mobile"] == cast["supervisor"].phone
    assert body["content"].startswith("预警：县图书馆停水 ")
    assert body["msgid"] == f"alert-delivery-{row.pk}"
    assert headers["X-Signature"] == hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    row.refresh_from_db()
    assert (row.sent_at is not None, row.attempts, row.last_error) == (True, 1, "")


def test_a_failure_code_is_retried_with_backoff(travel, cast, gateway_settings):
    with Gateway([(200, {"code": "1001", "msg": "余额不足"}, 0)]) as gateway:
        gateway_settings(gateway)
        row = _sms_row(cast)
        assert alert_deliveries_send() == 1  # only the e-mail
        row.refresh_from_db()
        assert (row.sent_at, row.attempts, row.claimed_at) == (None, 1, None)
        assert row.last_error == 'the SMS gateway refused the message: {"code": "1001", "msg": "余额不足"}'
        travel.shift(timedelta(seconds=10))
        assert alert_deliveries_send() == 1
    assert len(gateway.requests) == 2


def test_http_429_then_the_gateways_rate_code_then_success(travel, cast, gateway_settings):
    with Gateway([(429, {}, 0), (200, {"code": 1005}, 0)]) as gateway:
        gateway_settings(gateway)
        row = _sms_row(cast)
        alert_deliveries_send()
        row.refresh_from_db()
        assert (row.attempts, row.last_error) == (1, "the SMS gateway is rate-limiting (HTTP 429)")
        travel.shift(timedelta(seconds=9))
        assert alert_deliveries_send() == 0  # still waiting its 10 s: nothing posted
        assert len(gateway.requests) == 1
        travel.shift(timedelta(seconds=1))
        assert alert_deliveries_send() == 0
        row.refresh_from_db()
        assert (row.attempts, row.last_error) == (2, 'the SMS gateway is rate-limiting: {"code": 1005}')
        travel.shift(timedelta(seconds=20))
        assert alert_deliveries_send() == 1
        travel.shift(timedelta(hours=1))
        assert alert_deliveries_send() == 0
    assert len(gateway.requests) == 3
    # One message id on every retry, for a gateway that drops repeats.
    assert {json.loads(raw)["msgid"] for _headers, raw in gateway.requests} == {f"alert-delivery-{row.pk}"}
    row.refresh_from_db()
    assert (row.sent_at is not None, row.attempts) == (True, 3)


def test_a_gateway_that_does_not_answer_in_time_is_retried(travel, cast, gateway_settings):
    with Gateway([(200, {"code": 0}, 1.5)]) as gateway:
        gateway_settings(gateway, TIMEOUT=0.3)
        row = _sms_row(cast)
        started = time.monotonic()
        alert_deliveries_send()
        assert time.monotonic() - started < 1.4
        row.refresh_from_db()
        assert (row.sent_at, row.attempts, row.last_error) == (None, 1, "the SMS gateway did not answer within 0.3 s")


def test_the_secret_is_never_logged(travel, cast, gateway_settings, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, httpx's and httpcore's included
    answers = [(500, {}, 0), (200, {"code": 9, "echo": SECRET}, 0), (200, {"code": 0}, 0)]
    with Gateway(answers) as gateway:
        gateway_settings(gateway, HEADERS=json.dumps({"Authorization": "Bearer {secret}"}))
        row = _sms_row(cast)
        for _attempt in range(3):
            alert_deliveries_send()
            travel.shift(timedelta(minutes=1))
        row.refresh_from_db()
    assert row.sent_at is not None
    assert gateway.requests[0][0]["Authorization"] == f"Bearer {SECRET}"
    assert "alerts.delivery_failed" in caplog.text
    assert '"echo": "***"' in caplog.text  # the answer that echoed it, masked
    assert SECRET not in caplog.text
    assert SECRET not in row.last_error


def test_a_private_address_is_refused_unless_allowed(travel, cast, gateway_settings):
    with Gateway([]) as gateway:
        gateway_settings(gateway, ALLOWED_HOSTS=[])
        row = _sms_row(cast)
        alert_deliveries_send()
        row.refresh_from_db()
        assert row.last_error == "the SMS gateway address is refused (internal: 127.0.0.1 127.0.0.1)"
        assert gateway.requests == []  # nothing left the office


def test_a_form_body_and_a_nested_success_code(cast, gateway_settings):
    with Gateway([(200, {"result": {"code": "200"}}, 0)]) as gateway:
        gateway_settings(
            gateway,
            FORMAT="form",
            BODY=json.dumps({"user": "{account}", "to": "{phone}", "msg": "{text}"}),
            SUCCESS="result.code=0,200",
        )
        HttpSmsGateway().send(phone="13900000001", text='引号"和{大括号}', key="k-1")
        with pytest.raises(SendFailed, match="no mobile number"):
            HttpSmsGateway().send(phone=" ", text="t", key="k-2")
    headers, raw = gateway.requests[0]
    assert headers["Content-Type"] == "application/x-www-form-urlencoded; charset=utf-8"
    assert raw.decode() == (
        "user=wlj-office&to=13900000001&msg=%E5%BC%95%E5%8F%B7%22%E5%92%8C%7B%E5%A4%A7%E6%8B%AC%E5%8F%B7%7D"
    )


def test_the_rule_form_says_which_adapter_sms_go_through(db, gateway_settings):
    assert "ConsoleSmsAdapter" in AlertRuleForm().fields["send_sms"].help_text
    with Gateway([]) as gateway:
        gateway_settings(gateway)
        help_text = AlertRuleForm().fields["send_sms"].help_text
    assert help_text.startswith("同时以短信发给被通知人中留有手机号的每一位，经由：HttpSmsGateway (127.0.0.1)。")

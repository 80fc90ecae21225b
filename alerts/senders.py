"""How each message leaves: chat robots through apprise (WeCom, DingTalk, Feishu group robots and
plain JSON webhooks, at the URLs admins keep as ``ChatRobot`` rows), SMS through a pluggable gateway
adapter (``ALERTS_SMS_ADAPTER``: the console by default, or ``HttpSmsGateway`` for a county's HTTP
SMS gateway). A sender raises ``SendFailed`` when the other side refused, rate-limited or could not
be reached; the outbox then tries again later."""

import hashlib
import hmac
import json
import logging
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

import httpx
from django.conf import settings
from django.utils.module_loading import import_string

from bureau import clock
from bureau.outbound import DestinationRefused, check_connected_peer, check_destination

logger = logging.getLogger(__name__)


class SendFailed(Exception):
    pass


def robot_send(*, url: str, title: str, body: str) -> None:
    """Post one message to a chat robot. apprise reports a refused (HTTP 4xx/5xx, 429 included) or
    unreachable service as False; that is a failure to retry."""
    import apprise  # about 25 ms to import: paid by the outbox, not by every process start

    sender = apprise.Apprise()
    if not sender.add(url):
        raise SendFailed(f"not an apprise URL: {url[:60]}")
    if not sender.notify(title=title, body=body):
        raise SendFailed("the chat service refused or could not be reached")


def robot_url_is_valid(url: str) -> bool:
    import apprise  # as in robot_send: only the admin's robot form needs it

    return bool(apprise.Apprise().add(url))


class SmsAdapter(Protocol):
    def send(self, *, phone: str, text: str, key: str) -> None:
        """Send ``text`` to ``phone``; ``key`` names the message (the same on every retry of one
        outbox row), for gateways that drop a repeated message id. Raises ``SendFailed``."""


class ConsoleSmsAdapter:
    """Writes the message to the log: the default, until a county SMS gateway is configured."""

    def send(self, *, phone: str, text: str, key: str) -> None:
        logger.warning("alerts.sms (console) to=%s text=%s", phone, text[:200])


class HttpSmsGateway:
    """A county's HTTP SMS gateway (a provincial 政务短信平台, China Mobile's 云MAS HTTP interface and
    the like): one POST of the number and the text with the office's account, a JSON answer with a
    result code. Everything comes from the ``ALERTS_SMS_GATEWAY_*`` settings (README "Alerts"):

    - the body is ``ALERTS_SMS_GATEWAY_BODY``, a JSON object whose string values may name
      ``{account}``, ``{secret}``, ``{phone}``, ``{text}``, ``{key}`` (the outbox row's message id)
      and ``{timestamp}`` (Unix seconds); sent as JSON, or form-encoded when
      ``ALERTS_SMS_GATEWAY_FORMAT`` is ``form``. ``ALERTS_SMS_GATEWAY_HEADERS`` (a JSON object) are
      added the same way (``{"Authorization": "Bearer {secret}"}``);
    - with ``ALERTS_SMS_GATEWAY_SIGN_HEADER`` set, that header carries the hex HMAC-SHA256 of the
      exact body bytes keyed with the secret;
    - success is ``ALERTS_SMS_GATEWAY_SUCCESS``, ``path=value[,value…]`` on the JSON answer
      (``code=0``, ``result.code=0,200``); HTTP 429 or ``ALERTS_SMS_GATEWAY_RATE_LIMITED`` (same
      form) is a rate limit. Everything else — a refused address, no answer within
      ``ALERTS_SMS_GATEWAY_TIMEOUT``, a non-2xx status, an answer that is not JSON, another code —
      raises ``SendFailed`` and the outbox tries again with its backoff.

    The gateway's address must be public unless its host is in
    ``ALERTS_SMS_GATEWAY_ALLOWED_HOSTS`` (a gateway on the government extranet), checked by the
    same ``bureau.outbound`` check as feeds. The secret is never put in an error or a log line
    (an answer that echoes it is masked)."""

    def __init__(self) -> None:
        self.url: str = settings.ALERTS_SMS_GATEWAY_URL
        self.account: str = settings.ALERTS_SMS_GATEWAY_ACCOUNT
        self.secret: str = settings.ALERTS_SMS_GATEWAY_SECRET
        self.body_template: str = settings.ALERTS_SMS_GATEWAY_BODY
        self.headers_template: str = settings.ALERTS_SMS_GATEWAY_HEADERS
        self.body_format: str = settings.ALERTS_SMS_GATEWAY_FORMAT
        self.sign_header: str = settings.ALERTS_SMS_GATEWAY_SIGN_HEADER
        self.success = _condition(settings.ALERTS_SMS_GATEWAY_SUCCESS)
        self.rate_limited = _condition(settings.ALERTS_SMS_GATEWAY_RATE_LIMITED)
        self.timeout: float = settings.ALERTS_SMS_GATEWAY_TIMEOUT
        self.allowed_hosts: list[str] = list(settings.ALERTS_SMS_GATEWAY_ALLOWED_HOSTS)

    def send(self, *, phone: str, text: str, key: str) -> None:
        if not self.url:
            raise SendFailed("no SMS gateway address (ALERTS_SMS_GATEWAY_URL)")
        if not phone.strip():
            raise SendFailed("the person has no mobile number")
        values = {
            "account": self.account,
            "secret": self.secret,
            "phone": phone.strip(),
            "text": text,
            "key": key,
            "timestamp": str(int(clock.now().timestamp())),
        }
        try:
            fields = _fill(json.loads(self.body_template), values)
            headers = _fill(json.loads(self.headers_template or "{}"), values)
        except (ValueError, KeyError, IndexError) as error:
            raise SendFailed(f"the SMS gateway templates are not valid: {type(error).__name__}") from None
        if self.body_format == "form":
            content = urlencode({name: str(value) for name, value in fields.items()}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        else:
            content = json.dumps(fields, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json; charset=utf-8"
        if self.sign_header:
            headers[self.sign_header] = hmac.new(self.secret.encode(), content, hashlib.sha256).hexdigest()
        answer = self._post(content, headers)
        if self.rate_limited and _matches(answer, self.rate_limited):
            raise SendFailed(f"the SMS gateway is rate-limiting: {self._mask(answer)}")
        if not _matches(answer, self.success):
            raise SendFailed(f"the SMS gateway refused the message: {self._mask(answer)}")

    def _post(self, content: bytes, headers: dict[str, str]) -> Any:
        """POST and return the JSON answer of a 2xx reply; every other outcome is ``SendFailed``."""
        try:
            check_destination(self.url, allowed=self.allowed_hosts)
            with (
                httpx.Client(timeout=self.timeout, follow_redirects=False, trust_env=False) as client,
                client.stream("POST", self.url, content=content, headers=headers) as response,
            ):
                check_connected_peer(self.url, response, allowed=self.allowed_hosts)
                raw = response.read()
        except DestinationRefused as refused:
            raise SendFailed(f"the SMS gateway address is refused ({refused})") from None
        except UnicodeEncodeError:
            raise SendFailed("an SMS gateway header is not plain ASCII (ALERTS_SMS_GATEWAY_HEADERS)") from None
        except httpx.TimeoutException:
            raise SendFailed(f"the SMS gateway did not answer within {self.timeout:g} s") from None
        except httpx.HTTPError as error:
            raise SendFailed(f"the SMS gateway could not be reached ({type(error).__name__})") from None
        if response.status_code == 429:
            raise SendFailed("the SMS gateway is rate-limiting (HTTP 429)")
        if not 200 <= response.status_code < 300:
            raise SendFailed(f"the SMS gateway answered HTTP {response.status_code}")
        try:
            return json.loads(raw)
        except ValueError:
            raise SendFailed("the SMS gateway's answer is not JSON") from None

    def _mask(self, answer: Any) -> str:
        shown = json.dumps(answer, ensure_ascii=False)[:200]
        return shown.replace(self.secret, "***") if self.secret else shown


def _condition(text: str) -> tuple[list[str], set[str]] | None:
    """``result.code=0,200`` → (["result", "code"], {"0", "200"}); empty → None."""
    path, sign, accepted = text.partition("=")
    if not sign:
        return None
    return path.strip().split("."), {value.strip() for value in accepted.split(",")}


def _matches(answer: Any, condition: tuple[list[str], set[str]] | None) -> bool:
    if condition is None:
        return False
    path, accepted = condition
    for step in path:
        if not isinstance(answer, dict) or step not in answer:
            return False
        answer = answer[step]
    # A gateway's 0 and "0" are one code; true is written as JSON writes it.
    return (answer if isinstance(answer, str) else json.dumps(answer)) in accepted


def _fill(template: Any, values: dict[str, str]) -> Any:
    """The template with every string's ``{name}`` replaced (``{{`` for a literal brace); the values
    are inserted after the JSON is read, so a message's quotes or braces cannot change its shape."""
    if isinstance(template, dict):
        return {name: _fill(value, values) for name, value in template.items()}
    if isinstance(template, list):
        return [_fill(value, values) for value in template]
    if isinstance(template, str):
        return template.format_map(values)
    return template


def sms_adapter() -> SmsAdapter:
    adapter: SmsAdapter = import_string(settings.ALERTS_SMS_ADAPTER)()
    return adapter


def sms_adapter_label() -> str:
    """What admins are told SMS go through: the console (nothing sent) or the gateway's host."""
    if settings.ALERTS_SMS_ADAPTER.endswith(".HttpSmsGateway"):
        return f"HttpSmsGateway ({urlsplit(settings.ALERTS_SMS_GATEWAY_URL).hostname or '?'})"
    return settings.ALERTS_SMS_ADAPTER.rpartition(".")[2]

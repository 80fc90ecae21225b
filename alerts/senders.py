"""How each message leaves: chat robots through apprise (WeCom, DingTalk, Feishu group robots and
plain JSON webhooks, at the URLs admins keep as ``ChatRobot`` rows), SMS through a pluggable gateway
adapter (``ALERTS_SMS_ADAPTER``, the console by default). A sender raises ``SendFailed`` when the
other side refused, rate-limited or could not be reached; the outbox then tries again later."""

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

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
    def send(self, *, phone: str, text: str) -> None: ...


class ConsoleSmsAdapter:
    """Writes the message to the log: the default, until a county SMS gateway is configured."""

    def send(self, *, phone: str, text: str) -> None:
        logger.warning("alerts.sms (console) to=%s text=%s", phone, text[:200])


def sms_adapter() -> SmsAdapter:
    adapter: SmsAdapter = import_string(settings.ALERTS_SMS_ADAPTER)()
    return adapter

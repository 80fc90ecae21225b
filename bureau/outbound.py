"""Where the office may connect to: an address given from outside (a feed, an SMS gateway) must not
lead the server to its own network (loopback, private, link-local, anything not public), unless an
administrator allowed that host by name or address.

The one check, shared by the feed fetcher (``opinions.intake.fetch``, hosts allowed by
``OPINIONS_FEED_ALLOWED_HOSTS``) and the SMS gateway (``alerts.senders``,
``ALERTS_SMS_GATEWAY_ALLOWED_HOSTS``). It raises ``DestinationRefused`` with a ``reason`` and lets
each caller say it in its own words."""

import ipaddress
import socket
from collections.abc import Iterable
from urllib.parse import urlsplit

import httpx


class DestinationRefused(Exception):
    """``reason`` is one of ``SCHEME`` (not http/https), ``INVALID`` (no host), ``UNRESOLVED`` (the
    name was not found) or ``INTERNAL`` (``host`` resolves to the non-public ``address``)."""

    SCHEME, INVALID, UNRESOLVED, INTERNAL = "scheme", "invalid", "unresolved", "internal"

    def __init__(self, reason: str, *, host: str = "", address: str = "") -> None:
        super().__init__(f"{reason}: {host} {address}".strip())
        self.reason, self.host, self.address = reason, host, address


def allowed_hosts(hosts: Iterable[str]) -> set[str]:
    """A setting's list of names or addresses, as compared with a URL's host."""
    return {host.strip().lower().strip("[]") for host in hosts if host.strip()}


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def refuse_internal(host: str, address: str) -> None:
    if not is_public(address):
        raise DestinationRefused(DestinationRefused.INTERNAL, host=host, address=address)


def check_destination(url: str, *, allowed: Iterable[str]) -> None:
    """Refuse, before connecting, a URL that is not http/https, or whose host resolves to a loopback,
    private, link-local or otherwise non-public address, unless that host is in ``allowed``."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise DestinationRefused(DestinationRefused.SCHEME)
    host = (parts.hostname or "").lower()
    if not host:
        raise DestinationRefused(DestinationRefused.INVALID)
    if host in allowed_hosts(allowed):
        return
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        addresses = {info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)}
    except (OSError, ValueError) as error:
        raise DestinationRefused(DestinationRefused.UNRESOLVED, host=host) from error
    for address in sorted(addresses):
        refuse_internal(host, str(address))


def check_connected_peer(url: str, response: httpx.Response, *, allowed: Iterable[str]) -> None:
    """Check again the address actually connected to (the name may resolve differently a moment
    later: DNS rebinding), from a streamed response, before its body is read."""
    host = (urlsplit(url).hostname or "").lower()
    if host in allowed_hosts(allowed):
        return
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer:
        refuse_internal(host, str(peer[0]))

"""Fetching a feed over HTTP, defensively: timeouts, a size limit enforced while streaming, a few
redirects at most, http/https only. Every failure becomes a ``FetchError`` with a short message
that the channel's health shows."""

import hashlib
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from bureau.outbound import DestinationRefused, check_connected_peer, check_destination

USER_AGENT = "BureauOpinionOffice/1.0 (+feed monitor)"


class FetchError(Exception):
    pass


@dataclass
class Fetched:
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.body).hexdigest()


def _allowed_internal_hosts() -> list[str]:
    """Hosts inside the network that administrators allow feeds from (a county intranet forum, the
    demo office's own feeds): ``OPINIONS_FEED_ALLOWED_HOSTS``, empty by default."""
    return list(settings.OPINIONS_FEED_ALLOWED_HOSTS)


def _feed_error(refused: DestinationRefused) -> FetchError:
    """The core check's refusal, in the feed page's words."""
    if refused.reason == DestinationRefused.SCHEME:
        return FetchError(_("Only http and https addresses can be fetched."))
    if refused.reason == DestinationRefused.INVALID:
        return FetchError(_("The feed address is not a valid http or https address."))
    if refused.reason == DestinationRefused.UNRESOLVED:
        return FetchError(_("The site's name could not be found."))
    return FetchError(
        _(
            "The feed address leads inside the network (%(host)s, %(address)s); "
            "an administrator must allow that host first."
        )
        % {"host": refused.host, "address": refused.address}
    )


def _check_destination(url: str) -> None:
    """Refuse, before connecting, a feed address (the first one or any redirect) whose host resolves
    to a loopback, private, link-local or otherwise non-public address, unless that host is allowed
    (``bureau.outbound``, shared with the SMS gateway)."""
    try:
        check_destination(url, allowed=_allowed_internal_hosts())
    except DestinationRefused as refused:
        raise _feed_error(refused) from refused


def _check_connected_peer(url: str, response: httpx.Response) -> None:
    """Check again the address actually connected to (DNS rebinding), before a byte of the body is read."""
    try:
        check_connected_peer(url, response, allowed=_allowed_internal_hosts())
    except DestinationRefused as refused:
        raise _feed_error(refused) from refused


class _DeadlinePassed(Exception):
    pass


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """The whole fetch ends after ``seconds``, however the server trickles its bytes: per-read
    timeouts alone let a server that sends a header byte every few seconds (slow-loris) hold a
    worker for minutes. An alarm interrupts the blocked read; it can only be set in a process's main
    thread (a Celery worker process runs its task there), elsewhere the per-read timeouts apply."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def on_alarm(signum: int, frame: object) -> None:
        raise _DeadlinePassed

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def fetch_feed(url: str, *, etag: str = "", last_modified: str = "") -> Fetched:
    """The body of ``url`` (or "not modified" when the server says so for the given validators).
    Raises FetchError for any network, protocol, status or size problem, and when the whole fetch
    takes longer than ``OPINIONS_FEED_TOTAL_TIMEOUT`` (30 s; the shortest poll interval is 60 s)."""
    try:
        with _deadline(settings.OPINIONS_FEED_TOTAL_TIMEOUT):
            return _fetch(url, etag=etag, last_modified=last_modified)
    except _DeadlinePassed as error:
        raise FetchError(_("The feed took too long to download.")) from error


def _fetch(url: str, *, etag: str, last_modified: str) -> Fetched:
    connect_timeout = settings.OPINIONS_FEED_CONNECT_TIMEOUT
    read_timeout = settings.OPINIONS_FEED_READ_TIMEOUT
    total_timeout = settings.OPINIONS_FEED_TOTAL_TIMEOUT
    max_bytes = settings.OPINIONS_FEED_MAX_BYTES
    max_redirects = settings.OPINIONS_FEED_MAX_REDIRECTS
    _check_destination(url)
    timeout = httpx.Timeout(connect=connect_timeout, read=read_timeout, write=read_timeout, pool=connect_timeout)
    started = time.monotonic()
    try:
        with httpx.Client(
            timeout=timeout,
            follow_redirects=False,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "application/rss+xml, application/atom+xml, */*",
                "Accept-Encoding": "gzip, deflate",
                **({"If-None-Match": etag} if etag else {}),
                **({"If-Modified-Since": last_modified} if last_modified else {}),
            },
            trust_env=False,
        ) as client:
            for _hop in range(max_redirects + 1):
                with client.stream("GET", url) as response:
                    _check_connected_peer(url, response)
                    if response.has_redirect_location:
                        url = str(response.url.join(response.headers.get("location", "")))
                        _check_destination(url)
                        continue
                    if response.status_code == 304 and (etag or last_modified):
                        return Fetched(not_modified=True, etag=etag, last_modified=last_modified)
                    if response.status_code != 200:
                        raise FetchError(_("The server answered HTTP %(status)s.") % {"status": response.status_code})
                    declared = response.headers.get("content-length")
                    if declared and declared.isdigit() and int(declared) > max_bytes:
                        raise FetchError(_("The feed is larger than %(limit)s bytes.") % {"limit": max_bytes})
                    chunks, size = [], 0
                    for chunk in response.iter_raw():
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchError(_("The feed is larger than %(limit)s bytes.") % {"limit": max_bytes})
                        if time.monotonic() - started > total_timeout:
                            raise FetchError(_("The feed took too long to download."))
                        chunks.append(chunk)
                    return Fetched(
                        body=_decode_content(response, b"".join(chunks)),
                        etag=response.headers.get("etag", "")[:200],
                        last_modified=response.headers.get("last-modified", "")[:100],
                    )
            raise FetchError(_("Too many redirects."))
    except httpx.TimeoutException as error:
        raise FetchError(_("The server did not answer in time.")) from error
    except httpx.HTTPError as error:
        raise FetchError(_fetch_error_text(error)) from error


def _fetch_error_text(error: httpx.HTTPError) -> str:
    """What went wrong, as a sentence for the channel page and the failure notice (never a class name)."""
    if isinstance(error, httpx.ConnectError):
        return _("Could not connect to the site: the address was not found or the connection was refused.")
    if isinstance(error, httpx.ReadError | httpx.WriteError | httpx.CloseError):
        return _("The connection to the site broke off.")
    if isinstance(error, httpx.ProtocolError):
        return _("The site did not answer as a web server does.")
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return _("The feed address is not a valid http or https address.")
    return _("The feed could not be fetched.")


def _decode_content(response: httpx.Response, raw: bytes) -> bytes:
    """Undo gzip/deflate ourselves so the size limit applies to what was sent, and cap what it inflates to."""
    encoding = response.headers.get("content-encoding", "").lower().strip()
    if encoding in ("", "identity"):
        return raw
    import zlib

    max_bytes = settings.OPINIONS_FEED_MAX_BYTES
    if encoding in ("gzip", "x-gzip", "deflate"):
        wbits = 16 + zlib.MAX_WBITS if "gzip" in encoding else zlib.MAX_WBITS
        decompressor = zlib.decompressobj(wbits)
        try:
            data = decompressor.decompress(raw, max_bytes + 1)
        except zlib.error as error:
            raise FetchError(_("The feed's compression is broken.")) from error
        if len(data) > max_bytes or decompressor.unconsumed_tail:
            raise FetchError(_("The feed is larger than %(limit)s bytes.") % {"limit": max_bytes})
        return data
    raise FetchError(_("The feed uses an unsupported compression."))

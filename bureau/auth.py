"""Login helpers shared by the lock-out settings and the archive, and the throttle per client address.

Two rules stop guessing, each defined here or in the settings once:

- per user name at one address (django-axes, ``AXES_*`` settings): five wrong passwords for a name
  from one machine lock that name on that machine for 15 minutes;
- per address, whatever the names (``login_throttled``): after ``LOGIN_ADDRESS_FAILURE_LIMIT``
  failed logins from one address within ``LOGIN_ADDRESS_WINDOW_MINUTES``, every further login from
  that address is refused until enough of those failures are older than the window. This stops
  someone trying random names (which axes, counting per name, never locks). The refusal reads the
  same for every name, existing or not, and is decided before any password is checked."""

from datetime import datetime, timedelta

from django.conf import settings

from bureau import clock
from bureau.models import LoginFailure


def client_ip(request) -> str:
    """The address that connected to us. X-Forwarded-For is ignored on purpose: anyone can send
    it, and a forged one must neither reset a lock-out nor put a false address in the archive.
    Behind a trusted proxy, the proxy sets REMOTE_ADDR (gunicorn --forwarded-allow-ips)."""
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def login_address_window() -> timedelta:
    return timedelta(minutes=settings.LOGIN_ADDRESS_WINDOW_MINUTES)


def login_failures_from(address: str, *, now: datetime | None = None) -> int:
    """Failed logins from ``address`` within the window that ends at ``now``."""
    now = now or clock.now()
    return LoginFailure.objects.filter(address=address, failed_at__gt=now - login_address_window()).count()


def login_throttled(address: str, *, now: datetime | None = None) -> bool:
    """True while ``address`` has reached the limit of failed logins within the window: its login
    attempts are refused without checking the name or the password. A limit of 0 turns it off."""
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    if not address or limit <= 0:
        return False
    return login_failures_from(address, now=now) >= limit


def login_failure_record(address: str, *, now: datetime | None = None) -> None:
    """Count one failed login from ``address``; the address's failures older than the window are
    dropped at the same time, so the table never grows beyond one window of failures."""
    if not address:
        return
    now = now or clock.now()
    LoginFailure.objects.filter(address=address, failed_at__lte=now - login_address_window()).delete()
    LoginFailure.objects.create(address=address, failed_at=now)

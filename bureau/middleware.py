"""Cross-cutting request handling: login everywhere, a hard cap on session age, no caching."""

from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from bureau import clock
from bureau.auth import client_ip, login_throttled

SESSION_STARTED_KEY = "bureau_session_started_at"
SESSION_RENEWED_KEY = "bureau_session_renewed_at"


class LoginRequiredMiddleware:
    """Every page needs a login except the few listed in ``LOGIN_EXEMPT_PATHS``.

    Django 5.1's own middleware works per view; a path list also covers the admin and 404s, so an
    anonymous visitor learns nothing about which URLs exist."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.exempt = tuple(settings.LOGIN_EXEMPT_PATHS)

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(self.exempt):
            from django.urls import reverse

            return redirect(f"{reverse(settings.LOGIN_URL)}?next={quote(request.get_full_path())}")
        return self.get_response(request)


def session_stamp_login(sender, request, user, **kwargs) -> None:
    """At login (``user_logged_in``, which ``Client.force_login`` sends too) the session starts and
    counts as just renewed: login saves it anyway, so the first page after it writes nothing."""
    if request is not None and hasattr(request, "session"):
        now = clock.now().timestamp()
        request.session[SESSION_STARTED_KEY] = now
        request.session[SESSION_RENEWED_KEY] = now


class SessionMaximumAgeMiddleware:
    """Ends a session after ``SESSION_MAXIMUM_AGE_SECONDS`` however active it was, and keeps the
    idle timeout (``SESSION_COOKIE_AGE``) running from the latest request.

    The session is renewed (saved, with a fresh expiry and cookie) at most once every
    ``SESSION_RENEW_SECONDS`` rather than on every request: a page then costs no session write,
    and a session left alone ends between ``SESSION_COOKIE_AGE - SESSION_RENEW_SECONDS`` and
    ``SESSION_COOKIE_AGE`` after the last request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = clock.now().timestamp()
            session = request.session
            started = session.get(SESSION_STARTED_KEY)
            if started is None:
                session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_MAXIMUM_AGE_SECONDS:
                logout(request)
                return self.get_response(request)
            renewed = session.get(SESSION_RENEWED_KEY)
            if renewed is None or now - renewed >= settings.SESSION_RENEW_SECONDS:
                session[SESSION_RENEWED_KEY] = now  # marks the session modified: saved once
        return self.get_response(request)


class NoCacheForUsersMiddleware:
    """Pages shown to a logged-in person may hold personal data: no browser or proxy keeps them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class LoginThrottleMiddleware:
    """Refuses login attempts from an address that failed too often lately
    (``bureau.auth.login_throttled``), before any name or password is looked at: the answer is the
    same for every name and says nothing about whether it exists. The login page is the one way in:
    the admin's own login is behind ``LoginRequiredMiddleware``, which sends visitors there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.path == reverse("login") and login_throttled(client_ip(request)):
            context = {"window_minutes": settings.LOGIN_ADDRESS_WINDOW_MINUTES}
            return render(request, "registration/throttled.html", context, status=429)
        return self.get_response(request)

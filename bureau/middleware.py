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


class SessionMaximumAgeMiddleware:
    """Ends a session after ``SESSION_MAXIMUM_AGE_SECONDS`` however active it was; the idle
    timeout is ``SESSION_COOKIE_AGE`` renewed on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = clock.now().timestamp()
            started = request.session.get(SESSION_STARTED_KEY)
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_MAXIMUM_AGE_SECONDS:
                logout(request)
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

"""Every page needs a login, and each role sees what its permissions allow."""

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bureau.models import RoleGroup

# Public on purpose: the login, the health check, the language switch, and the demo office's own
# feeds (demo/feeds.py; read by the office's poller, which has no login; demo app only).
PUBLIC_NAMES = {"login", "healthz", "set_language", "demo:feed", "demo:robot"}


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            yield from _walk(entry.url_patterns, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + entry.name, entry


def _sample_url(name, pattern):
    converters = pattern.pattern.converters if hasattr(pattern.pattern, "converters") else {}
    kwargs = {}
    for key, converter in converters.items():
        kwargs[key] = "1" if converter.regex == "[0-9]+" else "x"
    for key in pattern.pattern.regex.groupindex:
        kwargs.setdefault(key, "1")
    try:
        return reverse(name, kwargs=kwargs)
    except Exception:  # noqa: BLE001 - admin patterns with regex groups that need other shapes
        return None


def named_urls():
    seen = {}
    for name, pattern in _walk(get_resolver().url_patterns):
        if name in PUBLIC_NAMES or name.split(":")[-1] in PUBLIC_NAMES:
            continue
        url = _sample_url(name, pattern)
        if url:
            seen.setdefault(url, name)
    return sorted(seen.items())


@pytest.mark.parametrize(("url", "name"), named_urls())
@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login(client, url, name):
    response = client.get(url)
    assert response.status_code == 302, name
    assert response["Location"].startswith(reverse("login")), name


@pytest.mark.django_db
def test_login_and_healthz_need_no_login(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("healthz")).status_code in (200, 503)


@pytest.mark.django_db
def test_role_groups_are_created_by_migration():
    assert set(Group.objects.values_list("name", flat=True)) >= set(RoleGroup.ALL)


@pytest.mark.parametrize(
    ("role", "can_view", "can_manage", "can_see_archive"),
    [
        ("director", True, False, True),
        ("leader", True, False, True),
        ("supervisor", True, True, True),
        ("staff", True, False, False),
        ("admin", True, True, True),
    ],
)
def test_role_permissions(cast, role, can_view, can_manage, can_see_archive):
    user = cast[role].user
    assert user.has_perm("bureau.view_organisation") is can_view
    assert user.has_perm("bureau.manage_organisation") is can_manage
    assert user.has_perm("archive.view_archiverecord") is can_see_archive


def test_outsider_without_role_is_refused_the_organisation_page(client_as):
    assert client_as("outsider").get(reverse("organisation")).status_code == 403


def test_staff_cannot_open_the_archive_and_has_no_menu_entry(client_as):
    client = client_as("staff")
    assert client.get(reverse("archive:record-list")).status_code == 403
    assert reverse("archive:record-list") not in client.get(reverse("home")).content.decode()


def test_supervisor_sees_the_archive_in_the_menu(client_as):
    page = client_as("supervisor").get(reverse("home")).content.decode()
    assert reverse("archive:record-list") in page


def test_only_administrators_reach_the_admin(client_as):
    assert client_as("staff").get(reverse("admin:index")).status_code == 302
    assert client_as("admin").get(reverse("admin:index")).status_code == 200

"""Every page a person opens sends the same queries with 3 rows of each kind as with 30, and a GET
writes nothing (no session rewrite, no inline refresh): issue 15."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau import clock
from opinions.models import Demand, Post
from publicity.models import PublicityPost
from tests.factories import SectionFactory
from tests.opinions.factories import DemandFactory, PostFactory
from tests.publicity.factories import PublicityPostFactory

PAGES = (
    ("supervisor", "home"),
    ("leader", "home"),
    ("director", "home"),
    ("staff", "home"),
    ("supervisor", "todo"),
    ("staff", "todo"),
    ("supervisor", "opinions:monitor"),
    ("supervisor", "opinions:demand-list"),
    ("staff", "opinions:demand-list"),
    ("supervisor", "dashboard"),
    ("supervisor", "publicity:post-list"),
    ("staff", "publicity:post-mine"),
    ("leader", "publicity:approval-queue"),
)
WRITES = ("INSERT", "UPDATE", "DELETE")


def _url(name: str) -> str:
    return reverse("dashboard:dashboard") + "?period=year" if name == "dashboard" else reverse(name)


def _rows(cast, section, count: int) -> None:
    """``count`` rows of each kind a page lists: the staff member's cases and section's new
    posts, cases to dispatch, overdue, in review, posts to take down, publicity published and
    waiting for approval."""
    staff, now = cast["staff"], clock.now()
    DemandFactory.create_batch(count, handler=staff, state=Demand.State.ASSIGNED, assigned_at=now)
    DemandFactory.create_batch(count, section=section, received_at=now - timedelta(days=3))  # overdue, undispatched
    DemandFactory.create_batch(count, handler=staff, state=Demand.State.IN_REVIEW, assigned_at=now)
    PostFactory.create_batch(count, section=section, channel__section=section)
    PostFactory.create_batch(count, screening=Post.Screening.FLAGGED)
    PublicityPostFactory.create_batch(count, author=staff, published=clock.today())
    PublicityPostFactory.create_batch(count, author=staff, state=PublicityPost.State.SUBMITTED, submitted_at=now)


def _measure(clients, pages) -> dict[tuple[str, str], tuple[int, list[str]]]:
    measured = {}
    for role, name in pages:
        with CaptureQueriesContext(connection) as queries:
            response = clients[role].get(_url(name))
        assert response.status_code == 200, (role, name, response.status_code)
        sql = [query["sql"] for query in queries.captured_queries]
        measured[(role, name)] = (len(sql), [s for s in sql if s.lstrip().upper().startswith(WRITES)])
    return measured


def test_every_page_sends_the_same_queries_at_3_and_30_rows_and_writes_nothing(client_as, cast):
    section = SectionFactory(owner=cast["staff"])
    clients = {role: client_as(role) for role in {role for role, _name in PAGES}}
    _rows(cast, section, 3)
    _measure(clients, PAGES)  # warm: content types, the first page after login
    small = _measure(clients, PAGES)
    _rows(cast, section, 27)
    large = _measure(clients, PAGES)
    grown = {page: (small[page][0], large[page][0]) for page in PAGES if small[page][0] != large[page][0]}
    assert grown == {}
    writes = {page: large[page][1] for page in PAGES if large[page][1] or small[page][1]}
    assert writes == {}


def test_a_list_shows_the_thirty_rows_it_counted(client_as, cast):
    """The same count is not an empty page: the 30 cases in review are on the office head's list."""
    DemandFactory.create_batch(30, handler=cast["staff"], state=Demand.State.IN_REVIEW)
    body = client_as("supervisor").get(reverse("opinions:demand-list") + "?state=in_review").content.decode()
    assert body.count("：小区门口路灯不亮") == 30

"""Long lists on a phone: each list is one table whose rows static/css/lists.css lays out as cards
below 768 px (title first; channel, time, deadline and state on the card), and whose filters fold
behind one button. The markup is the wide table's, so the query counts are those of before the cards
(counted on commit 35f88ac, without the card classes: the same numbers)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bureau import clock
from opinions.models import Demand
from tests.assignments.factories import CountyTaskFactory
from tests.factories import SectionFactory
from tests.opinions.factories import ChannelFactory, DemandFactory, PostFactory
from tests.publicity.factories import PublicityPostFactory


def _get(client, url):
    """The page and its query count. The counts below include the archive's head, which keys the
    menu badge the office keeps (reports.todo.todo_badge); the suite keeps nothing, so the to-do
    counts run on every page too."""
    client.get(url)  # warm caches (content types, permissions)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_monitor_rows_are_cards_and_its_filters_fold(client_as, travel):
    section = SectionFactory(name="民生诉求")
    for index in range(3):
        PostFactory(title=f"网吧噪音扰民{index}", channel=ChannelFactory(name=f"本局论坛{index}", section=section))
    body, queries = _get(client_as("staff"), reverse("opinions:monitor"))
    # 35f88ac: 17; less the session write, less one: the to-do counts; +1 the archive's head (_get)
    assert queries == 15
    assert 'class="table table-sm table-hover align-middle mb-0 table-cards"' in body
    assert body.count('<td class="cell-title"><a href="/opinions/posts/') == 3
    assert body.count('class="small cell-meta">本局论坛') == 3  # the channel, on the card's line
    assert body.count('<td class="cell-state">') == 3
    assert 'data-bs-target="#monitor-filters"' in body
    assert 'id="monitor-filters" data-testid="filter-form"' in body
    assert "collapse d-md-block" in body
    assert 'data-testid="filters-active"' not in body  # no filter set: the button shows no count
    assert "css/lists.css" in body


def test_the_fold_button_counts_the_filters_set(client_as, travel):
    body = client_as("staff").get(reverse("opinions:monitor"), {"status": "new", "q": "噪音", "channel": ""}).content
    assert 'data-testid="filters-active">2<' in body.decode()  # status and q; the empty channel is no filter


def test_demand_rows_are_cards_with_the_deadline_countdown(client_as, cast, travel):
    DemandFactory.create_batch(4, handler=cast["staff"], state=Demand.State.ASSIGNED)
    body, queries = _get(client_as("supervisor"), reverse("opinions:demand-list"))
    # As before the cards (35f88ac: 16), less the session write no page sends now, plus the list read
    # in two parts (open cases by deadline, then the rest: bureau.pagination.quick_page_of_parts).
    # Every to-do count in one statement (15 before); +1 the archive's head (_get).
    assert queries == 15
    assert 'demand-table table-cards" data-testid="demand-cards"' in body
    assert body.count('<td class="cell-title"><a href="/opinions/demands/') == 4
    assert body.count('<td class="cell-due order-last"><span class="badge') == 4  # each with its countdown
    assert 'data-bs-target="#demand-filters"' in body


def test_task_rows_are_cards(client_as, cast, travel):
    CountyTaskFactory.create_batch(2, handler=cast["staff"])
    body, queries = _get(client_as("supervisor"), reverse("assignments:task-list"))
    # 35f88ac: 14; less the session write, less one: the to-do counts; +1 the archive's head (_get)
    assert queries == 12
    assert 'table-cards" data-testid="task-list"' in body
    assert body.count('<td class="cell-title"><a href="/duty/tasks/') == 2
    assert body.count('<span class="d-md-none">反馈截止时间 </span>') == 2  # the deadline says what it is
    assert 'data-bs-target="#task-filters"' in body


def test_publicity_rows_are_cards(client_as, cast, travel):
    PublicityPostFactory.create_batch(2, author=cast["staff"], published=clock.today())
    body, queries = _get(client_as("supervisor"), reverse("publicity:post-list"))
    # 35f88ac: 17; less the session write, less one: the to-do counts; less the paginator's COUNT;
    # +1 the archive's head (_get), +1 its read for the kept quota progress (quota_progress_shown)
    assert queries == 15
    assert body.count('<td class="cell-title"><a href="/publicity/') == 2
    assert 'data-bs-target="#publicity-filters"' in body

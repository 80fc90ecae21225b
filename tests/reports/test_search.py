"""The one search box (reports.search): one-, two- and four-character Chinese words and
traditional forms found across posts, demands, events, county tasks and the archive, grouped by
kind with the matched characters marked (escaped), only in the lists the user may open, newest
first, five a kind with a "more" link to the kind's own list; bad input refused in Chinese; the
page's query count independent of the rows."""

from datetime import timedelta

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.services import archive_record
from bureau import clock
from events.models import Event
from opinions.services import demands as demand_services
from reports.search import excerpt, marked, site_search
from tests.assignments.factories import CountyTaskFactory
from tests.factories import SearchableFactory, SectionFactory
from tests.opinions.factories import DemandFactory, PostFactory

pytestmark = pytest.mark.usefixtures("travel")  # now: Monday 2026-03-02 09:00 Shanghai

URL = reverse("search")


class EventFactory(SearchableFactory):
    class Meta:
        model = Event

    title = "事件"
    first_seen_at = factory.LazyFunction(clock.now)
    created_at = factory.LazyFunction(clock.now)


def hours_ago(hours):
    return clock.now() - timedelta(hours=hours)


@pytest.fixture
def rows(cast):
    """Crafted rows, one word family (噪音扰民) spread over every kind; the comments say which
    field holds which word, so each expectation below is counted from here."""
    actor = cast["supervisor"].user
    return {
        # 噪音擾民 written in traditional form in the title.
        "post_title": PostFactory(title="城南工地噪音擾民", body="夜里十二点还在施工。", found_at=hours_ago(1)),
        # 噪音 only in the author.
        "post_author": PostFactory(title="路灯不亮", body="无关内容", author="噪音观察员", found_at=hours_ago(2)),
        "post_other": PostFactory(title="公交改线", body="站台太远", found_at=hours_ago(3)),
        # 噪音扰民 in the text.
        "demand_text": DemandFactory(
            subject="投诉：工地噪音", content="夜间施工噪音扰民，影响休息。", received_at=hours_ago(1)
        ),
        # 噪音扰民 only in the reply.
        "demand_reply": DemandFactory(
            subject="咨询补贴", content="如何申请", reply_text="已责令停止夜間噪音扰民行为", received_at=hours_ago(2)
        ),
        "event": EventFactory(title="城南噪音扰民事件", summary="多个渠道反映", created_by=actor),
        # 噪音 but not 扰民.
        "task_noise": CountyTaskFactory(title="关于工地噪音的舆情交办单", content="请核查", received_at=hours_ago(1)),
        # 噪 alone (噪声).
        "task_one": CountyTaskFactory(title="关于噪声的交办单", content="请核查", received_at=hours_ago(2)),
        "archive": archive_record(action="bureau.test.recorded", actor=actor, summary="噪音扰民专项检查已安排"),
    }


def titles(groups):
    """{kind: [title text of each item, newest first]} as shown."""
    return {group.key: ["".join(piece.text for piece in item.title) for item in group.items] for group in groups}


def test_four_characters_found_across_kinds_and_in_traditional_rows(cast, rows):
    found = titles(site_search(user=cast["supervisor"].user, query="噪音扰民"))
    assert found == {
        "posts": ["城南工地噪音擾民"],
        "demands": ["投诉：工地噪音", "咨询补贴"],
        "events": ["城南噪音扰民事件"],
        "tasks": [],
        "archive": ["噪音扰民专项检查已安排"],
    }


def test_two_characters_found_in_title_author_reply_and_summary(cast, rows):
    found = titles(site_search(user=cast["supervisor"].user, query="噪音"))
    assert found == {
        "posts": ["城南工地噪音擾民", "路灯不亮"],
        "demands": ["投诉：工地噪音", "咨询补贴"],
        "events": ["城南噪音扰民事件"],
        "tasks": ["关于工地噪音的舆情交办单"],
        "archive": ["噪音扰民专项检查已安排"],
    }


def test_one_character_finds_every_kind(cast, rows):
    found = titles(site_search(user=cast["supervisor"].user, query="噪"))
    assert found == {
        "posts": ["城南工地噪音擾民", "路灯不亮"],
        "demands": ["投诉：工地噪音", "咨询补贴"],
        "events": ["城南噪音扰民事件"],
        "tasks": ["关于工地噪音的舆情交办单", "关于噪声的交办单"],
        "archive": ["噪音扰民专项检查已安排"],
    }


def test_traditional_query_finds_simplified_rows(cast, rows):
    # 擾民 (two characters, traditional) is folded to 扰民, as screening folds it.
    found = titles(site_search(user=cast["supervisor"].user, query="擾民"))
    assert found == {
        "posts": ["城南工地噪音擾民"],
        "demands": ["投诉：工地噪音", "咨询补贴"],
        "events": ["城南噪音扰民事件"],
        "tasks": [],
        "archive": ["噪音扰民专项检查已安排"],
    }
    # Four traditional characters: 噪音擾民 finds what 噪音扰民 finds.
    traditional = titles(site_search(user=cast["supervisor"].user, query="噪音擾民"))
    assert traditional["demands"] == ["投诉：工地噪音", "咨询补贴"]
    # One traditional character: 擾 finds 扰 (and 擾) in every kind that has it.
    assert titles(site_search(user=cast["supervisor"].user, query="擾")) == {
        "posts": ["城南工地噪音擾民"],
        "demands": ["投诉：工地噪音", "咨询补贴"],
        "events": ["城南噪音扰民事件"],
        "tasks": [],
        "archive": ["噪音扰民专项检查已安排"],
    }


def test_a_reply_given_later_is_found_with_its_demand(cast):
    # The write path (demand_reply) fills the search columns again: the reply is searched at once.
    demand = DemandFactory(subject="路灯不亮", channel__section__owner=cast["staff"])
    demand_services.demand_claim(demand=demand, actor=cast["staff"].user)
    assert titles(site_search(user=cast["supervisor"].user, query="供电所"))["demands"] == []
    demand_services.demand_reply(demand=demand, actor=cast["staff"].user, reply_text="已联繫供電所修复。")
    assert titles(site_search(user=cast["supervisor"].user, query="供电所"))["demands"] == ["路灯不亮"]
    assert titles(site_search(user=cast["supervisor"].user, query="联系"))["demands"] == ["路灯不亮"]


def test_marks_map_back_to_what_was_written():
    assert [(s.text, bool(s.hit)) for s in marked("城南工地噪音擾民", "噪音扰民")] == [
        ("城南工地", False),
        ("噪音擾民", True),
    ]
    # Punctuation and spaces inside the word are deleted by the folding, and marked with it.
    assert [(s.text, bool(s.hit)) for s in marked("夜里 噪-音，噪音", "噪音")] == [
        ("夜里 ", False),
        ("噪-音", True),
        ("，", False),
        ("噪音", True),
    ]
    assert [(s.text, bool(s.hit)) for s in marked("ＡＢＣ小区", "abc")] == [("ＡＢＣ", True), ("小区", False)]
    long_text = "前" * 100 + "噪音" + "后" * 200
    pieces = excerpt(long_text, "噪音")
    assert [(s.text, bool(s.hit)) for s in pieces] == [
        ("…", False),
        ("前" * 30, False),
        ("噪音", True),
        ("后" * 88, False),
        ("…", False),
    ]


def test_page_groups_kinds_marks_words_and_escapes(cast, client_as, rows):
    PostFactory(title="<b>噪音</b>测试", body="x", found_at=hours_ago(5))
    response = client_as("supervisor").get(URL, {"q": "噪音"})
    assert response.status_code == 200
    html = response.content.decode()
    post_url = f"/opinions/posts/{rows['post_title'].pk}/"
    assert f'<a class="text-break" href="{post_url}">城南工地<mark>噪音</mark>擾民</a>' in html
    assert "&lt;b&gt;<mark>噪音</mark>&lt;/b&gt;测试" in html
    assert "<b>噪音</b>" not in html
    # The author's match is shown as its excerpt; the reply's as the demand's.
    assert "<mark>噪音</mark>观察员" in html
    assert "已责令停止夜間<mark>噪音</mark>扰民行为" in html
    for key in ("posts", "demands", "events", "tasks", "archive"):
        assert f'data-testid="search-{key}"' in html
    for label in ("帖子", "诉求", "舆情事件", "交办任务", "档案"):
        assert label in html


def test_five_newest_a_kind_and_a_more_link_to_the_kinds_own_list(cast, client_as):
    for hour in range(1, 8):
        PostFactory(title=f"噪音第{hour}小时", found_at=hours_ago(hour))
    DemandFactory(subject="噪音一件", received_at=hours_ago(1))
    groups = {group.key: group for group in site_search(user=cast["supervisor"].user, query="噪音")}
    assert titles(groups.values())["posts"] == [f"噪音第{hour}小时" for hour in (1, 2, 3, 4, 5)]
    assert groups["posts"].more is True
    assert groups["demands"].more is False
    assert groups["posts"].list_url == "/opinions/?q=%E5%99%AA%E9%9F%B3"
    html = client_as("supervisor").get(URL, {"q": "噪音"}).content.decode()
    assert 'data-testid="search-more-posts"' in html
    assert 'data-testid="search-more-demands"' not in html
    # The kind's own list, with its own search filter filled in, finds the same posts.
    listing = client_as("supervisor").get("/opinions/", {"q": "噪音"}).content.decode()
    assert "噪音第7小时" in listing
    assert "噪音一件" not in listing


def test_only_the_lists_the_user_may_open(cast, client_as, rows):
    # Staff may not open the archive: no archive results; they see only their own demands.
    section = SectionFactory(owner=cast["staff"])
    staff_demand = DemandFactory(subject="噪音：本人版块", section=section, received_at=hours_ago(4))
    groups = titles(site_search(user=cast["staff"].user, query="噪音"))
    assert "archive" not in groups
    assert groups["demands"] == [staff_demand.subject]
    assert groups["tasks"] == []  # staff see the tasks they handle: none here
    html = client_as("staff").get(URL, {"q": "噪音"}).content.decode()
    assert 'data-testid="search-archive"' not in html
    assert "噪音扰民专项检查" not in html
    # A login with no role opens none of the lists: nothing is searched.
    assert site_search(user=cast["outsider"], query="噪音") == []
    response = client_as("outsider").get(URL, {"q": "噪音"})
    assert response.status_code == 200
    assert 'data-testid="search-item"' not in response.content.decode()


def test_anonymous_is_sent_to_log_in():
    from django.test import Client  # why: a plain client, not one of the cast

    response = Client().get(URL, {"q": "噪音"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "请输入要搜索的字词。"),
        ("   ", "请输入要搜索的字词。"),
        ("，。！？——", "只输入了标点或空格：请输入文字或数字。"),
        ("噪" * 101, "搜索词最多 100 个字，这次输入了 101 个。"),
    ],
)
def test_bad_input_gives_a_chinese_message_and_keeps_what_was_typed(client_as, typed, message):
    response = client_as("supervisor").get(URL, {"q": typed})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'data-testid="search-item"' not in html
    if typed.strip():
        assert f'value="{typed}"' in html


def test_first_visit_shows_the_box_without_an_error(client_as):
    html = client_as("supervisor").get(URL).content.decode()
    assert 'name="q"' in html
    assert 'data-testid="search-error"' not in html


def test_menu_has_the_box(client_as):
    html = client_as("staff").get(reverse("home")).content.decode()
    assert 'data-testid="menu-search-bar"' in html
    assert 'data-testid="menu-search-dropdown"' in html
    assert f'action="{URL}"' in html


def test_event_list_search_folds_as_the_others(client_as, cast, rows):
    listing = client_as("supervisor").get(reverse("events:event-list"), {"q": "擾民"}).content.decode()
    assert "城南噪音扰民事件" in listing


def test_query_count_does_not_grow_with_rows(cast, client_as, rows):
    client = client_as("supervisor")
    client.get(URL, {"q": "噪音"})  # warm the session and the caches
    with CaptureQueriesContext(connection) as small:
        client.get(URL, {"q": "噪音"})
    for hour in range(10, 22):
        PostFactory(title=f"噪音{hour}", found_at=hours_ago(hour))
        DemandFactory(subject=f"噪音{hour}", received_at=hours_ago(hour))
        CountyTaskFactory(title=f"噪音{hour}", received_at=hours_ago(hour))
        EventFactory(title=f"噪音{hour}", created_by=cast["supervisor"].user)
        archive_record(action="bureau.test.recorded", actor=cast["supervisor"].user, summary=f"噪音{hour}")
    with CaptureQueriesContext(connection) as large:
        client.get(URL, {"q": "噪音"})
    assert len(large) == len(small), "\n".join(q["sql"][:150] for q in large.captured_queries)
    # Two a kind (the id probe and the rows; SQLite has no probe) for five kinds, plus the session,
    # the user, two permission reads and the menu's own (person, badges, the archive's head that
    # keys the to-do badge, rules, sections, to-do counts in one statement): 20.
    expected = 20 if connection.vendor == "postgresql" else 15
    assert len(small) == expected, [query["sql"] for query in small.captured_queries]

"""The knowledge loop when replying: reply templates (答复口径) with variables, ranked by use;
similar past cases (相似案例) with their replies; the policy FAQ's hot issues (热点问题)."""

import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from archive.models import ArchiveRecord
from bureau import clock
from bureau.search import search_fill
from opinions.models import Demand, DemandKind, FaqEntry, ReplyTemplate
from opinions.selectors.knowledge import faq_entries, faq_hot, reply_template_choices, similar_cases
from opinions.services.similarity import demand_index
from opinions.templating import reply_insert, template_fill
from tests.factories import DepartmentFactory
from tests.opinions.factories import DemandFactory

pytestmark = pytest.mark.usefixtures("travel")  # Monday 2 March 2026, 09:00 in Shanghai

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOISE = "城东路工地夜间打桩施工噪音扰民，附近居民连续一周无法入睡，请有关部门尽快处理。"


def _template(name, text, **fields):
    return ReplyTemplate.objects.create(name=name, text=text, **fields)


# --- Templates ------------------------------------------------------------------------------------


def test_a_template_fills_its_variables(cast):
    demand = DemandFactory(
        number="2026-0312",
        citizen_name="张三",
        department=DepartmentFactory(name="教育科"),
        received_at=datetime(2026, 3, 1, 10, 0, tzinfo=SHANGHAI),
        due_at=datetime(2026, 3, 4, 18, 0, tzinfo=SHANGHAI),
    )
    _template(
        "通用",
        "{姓名}您好：您于{受理日期}反映的问题（编号｛编号｝）已由{部门}办理，答复期限{due_on}，今天是{ 今天 }。",
    )
    with translation.override("zh-hans"):
        [choice] = reply_template_choices(demand=demand)
    assert choice.text == (
        "张三您好：您于2026年3月1日反映的问题（编号2026-0312）已由教育科办理，答复期限2026年3月4日，今天是2026年3月2日。"
    )
    assert choice.unknown == ()


def test_an_unknown_variable_is_left_as_typed_and_named():
    filled = template_fill("{姓名}，请到{地址}办理。{demand.__class__}", {"citizen_name": "李四"})
    assert filled.text == "李四，请到{地址}办理。{demand.__class__}"
    assert filled.unknown == ("地址", "demand.__class__")


def test_an_unknown_variable_is_shown_on_the_reply_page(client_as, cast):
    demand = DemandFactory(handler=cast["staff"], state=Demand.State.ASSIGNED, citizen_name="王五")
    ReplyTemplate.objects.bulk_create([ReplyTemplate(name="有误的口径", text="{姓名}：请携带{证件}前来。")])
    page = client_as("staff").get(demand.get_absolute_url()).content.decode()
    assert 'data-reply-text="王五：请携带{证件}前来。"' in page
    assert "以下不是可用变量，已原样保留：证件。" in page


def test_the_keepers_page_refuses_an_unknown_variable_and_keeps_the_text(client_as):
    client = client_as("supervisor")
    wrong = {"name": "地址口径", "kind": "", "text": "请到{地址}办理", "is_active": "on"}
    response = client.post(reverse("opinions:reply-template-new"), wrong)
    assert response.status_code == 200
    page = response.content.decode()
    assert "未知变量 {地址}。" in page
    assert "请到{地址}办理</textarea>" in page
    assert not ReplyTemplate.objects.exists()
    response = client.post(
        reverse("opinions:reply-template-new"),
        {"name": "咨询口径", "kind": "consultation", "text": "{姓名}您好", "is_active": "on"},
    )
    assert response.status_code == 302
    template = ReplyTemplate.objects.get()
    assert template.kind == "consultation"
    assert ArchiveRecord.objects.filter(action="opinions.replytemplate.created", summary="咨询口径").count() == 1
    assert client.get(reverse("opinions:reply-template-list")).status_code == 200
    assert client_as("staff").get(reverse("opinions:reply-template-list")).status_code == 403


def test_the_admin_refuses_an_unknown_variable(client_as):
    response = client_as("admin").post(
        reverse("admin:opinions_replytemplate_add"), {"name": "错", "kind": "", "text": "{地址}", "is_active": "on"}
    )
    assert response.status_code == 200
    assert "未知变量 {地址}。" in response.content.decode()
    response = client_as("admin").post(
        reverse("admin:opinions_replytemplate_add"), {"name": "对", "kind": "", "text": "{编号}", "is_active": "on"}
    )
    assert response.status_code == 302
    assert ArchiveRecord.objects.filter(action="opinions.replytemplate.created").count() == 1


def test_templates_follow_kind_and_department_and_rise_with_use(client_as, cast):
    department = DepartmentFactory(name="治安科")
    demand = DemandFactory(handler=cast["staff"], state=Demand.State.ASSIGNED, department=department)
    first = _template("A 通用", "甲")
    second = _template("B 治安", "乙", kind=DemandKind.COMPLAINT, department=department)
    _template("丙口径", "丙", kind=DemandKind.CONSULTATION)  # another kind
    _template("丁口径", "丁", department=DepartmentFactory(name="交通科"))  # another department
    _template("戊口径", "戊", is_active=False)
    assert [c.template.name for c in reply_template_choices(demand=demand)] == ["A 通用", "B 治安"]

    response = client_as("staff").post(
        reverse("opinions:demand-action", args=[demand.pk, "reply"]),
        {"reply_text": "乙（已修改）", "notes": "", "reply_template": second.pk},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.use_count, first.use_count) == (1, 0)
    assert [c.template.name for c in reply_template_choices(demand=demand)] == ["B 治安", "A 通用"]
    record = ArchiveRecord.objects.get(action="opinions.demand.replied")
    assert record.after["reply_template_id"] == second.pk


def test_a_refused_reply_counts_no_use(client_as, cast):
    demand = DemandFactory(handler=cast["staff"], state=Demand.State.ASSIGNED)
    template = _template("A 通用", "甲")
    response = client_as("staff").post(
        reverse("opinions:demand-action", args=[demand.pk, "reply"]),
        {"reply_text": "   ", "notes": "", "reply_template": template.pk},
    )
    assert response.status_code == 200
    template.refresh_from_db()
    assert template.use_count == 0


# Putting a template in the box: replace, add at the end, or cancel; the same without JavaScript.

OFFERS = {"template:7": ("受理告知", "您好，已受理。", "7"), "case:9": ("2026-0009", "已修复。", "")}


@pytest.mark.parametrize(
    ("value", "typed", "expected"),
    [
        ("template:7", "", ("您好，已受理。", "7", None)),  # an empty box takes it at once
        ("template:7", " 您好，已受理。\n", ("您好，已受理。", "7", None)),  # the same text: nothing to lose
        ("template:7", "先写的", ("先写的", "", {"key": "template:7", "name": "受理告知"})),  # asked first
        ("template:7:replace", "先写的", ("您好，已受理。", "7", None)),
        ("template:7:append", "先写的\n ", ("先写的\n\n您好，已受理。", "7", None)),
        ("template:7:cancel", "先写的", ("先写的", "", None)),
        ("case:9:replace", "先写的", ("已修复。", "", None)),  # a similar case's reply: no template
        ("case:9:append", "先写的", ("先写的\n\n已修复。", "", None)),
        ("template:8", "先写的", ("先写的", "", None)),  # not offered to this demand: nothing happens
        ("template:7:drop", "先写的", ("先写的", "", None)),
    ],
)
def test_reply_insert_never_loses_what_was_typed(value, typed, expected):
    assert reply_insert(value, typed=typed, chosen="", offers=OFFERS) == expected


def test_appending_a_case_keeps_the_template_chosen_before():
    assert reply_insert("case:9:append", typed="您好，已受理。", chosen="7", offers=OFFERS)[1] == "7"


def box(html: str, name: str) -> str:
    """What a textarea of the page holds (Django writes a newline after its opening tag)."""
    match = re.search(rf'<textarea name="{name}"[^>]*>\n(.*?)</textarea>', html, re.DOTALL)
    assert match, name
    return unescape(match.group(1))


def test_without_javascript_a_template_is_put_in_asked_first_and_nothing_is_saved(client_as, cast):
    demand = DemandFactory(handler=cast["staff"], state=Demand.State.ASSIGNED, citizen_name="王五")
    template = _template("受理告知", "{姓名}您好，已受理。")
    url = reverse("opinions:demand-action", args=[demand.pk, "reply"])
    client = client_as("staff")
    page = client.get(demand.get_absolute_url()).content.decode()
    assert f'form="demand-action-reply" name="insert" value="template:{template.pk}"' in page
    assert 'id="demand-action-reply"' in page

    empty = client.post(url, {"reply_text": "", "notes": "", "reply_template": "", "insert": f"template:{template.pk}"})
    html = empty.content.decode()
    assert empty.status_code == 200
    assert box(html, "reply_text") == "王五您好，已受理。"
    assert f'name="reply_template" value="{template.pk}"' in html
    assert 'data-testid="reply-choice" hidden' in html

    typed = {"reply_text": "先写的几句话", "notes": "内部", "reply_template": ""}
    asked = client.post(url, {**typed, "insert": f"template:{template.pk}"}).content.decode()
    assert box(asked, "reply_text") == "先写的几句话"
    assert 'data-testid="reply-choice">' in asked  # shown, not hidden
    assert "回复框里已有内容。所选内容要怎样放入？" in asked
    for how, label in (("replace", "替换现有内容"), ("append", "追加到末尾"), ("cancel", "取消")):
        assert f'value="template:{template.pk}:{how}" class="btn' in asked
        assert f">{label}</button>" in asked
    appended = client.post(url, {**typed, "insert": f"template:{template.pk}:append"}).content.decode()
    assert box(appended, "reply_text") == "先写的几句话\n\n王五您好，已受理。"
    assert box(appended, "notes") == "内部"  # the notes kept too
    cancelled = client.post(url, {**typed, "insert": f"template:{template.pk}:cancel"}).content.decode()
    assert box(cancelled, "reply_text") == "先写的几句话"
    replaced = client.post(url, {**typed, "insert": f"template:{template.pk}:replace"}).content.decode()
    assert box(replaced, "reply_text") == "王五您好，已受理。"
    demand.refresh_from_db()
    assert (demand.state, demand.reply_text) == (Demand.State.ASSIGNED, "")
    template.refresh_from_db()
    assert template.use_count == 0


def test_who_may_not_reply_cannot_insert_either(client_as, cast):
    demand = DemandFactory(handler=cast["staff"], state=Demand.State.ASSIGNED)
    template = _template("受理告知", "您好")
    url = reverse("opinions:demand-action", args=[demand.pk, "reply"])
    response = client_as("director").post(url, {"reply_text": "", "insert": f"template:{template.pk}"})
    assert response.status_code == 403


# --- Similar cases --------------------------------------------------------------------------------


def _indexed(**fields) -> Demand:
    demand = DemandFactory(**fields)
    demand_index(demand=demand)
    return demand


def _replied(text, reply, *, days_ago, **fields) -> Demand:
    at = clock.now() - timedelta(days=days_ago)
    return _indexed(
        subject="噪音投诉",
        content=text,
        received_at=at,
        state=Demand.State.COMPLETED,
        first_replied_at=at + timedelta(hours=3),
        replied_at=at + timedelta(hours=3),
        completed_at=at + timedelta(hours=5),
        reply_text=reply,
        **fields,
    )


@pytest.fixture
def noise_cases(cast):
    staff = cast["staff"]
    same = _replied(NOISE, "已责令工地夜间停工。", days_ago=400, handler=staff)
    retyped = "城东路工地夜里打桩施工，噪音严重扰民，附近居民一周无法入睡，请尽快处理。"
    near = _replied(retyped, "已约谈施工单位。", days_ago=10, handler=staff)
    merged = _replied(NOISE, "重复件的答复", days_ago=5, handler=staff)
    Demand.objects.filter(pk=merged.pk).update(state=Demand.State.MERGED, duplicate_of=same)
    _indexed(subject="噪音投诉", content=NOISE, received_at=clock.now() - timedelta(days=2), handler=staff)  # no reply
    hidden = _replied(NOISE, "别的科室的答复", days_ago=3, handler=cast["leader"])  # staff may not see it
    _replied("县一中食堂饭菜质量差，价格偏高，学生家长意见很大。", "已督促学校整改。", days_ago=20, handler=staff)
    demand = _indexed(subject="噪音投诉", content=NOISE, handler=staff, state=Demand.State.ASSIGNED)
    return {"demand": demand, "same": same, "near": near, "hidden": hidden}


def test_similar_cases_rank_replied_cases_and_leave_out_the_rest(cast, noise_cases):
    cases = similar_cases(user=cast["staff"].user, demand=noise_cases["demand"])
    assert [case.demand.pk for case in cases] == [noise_cases["same"].pk, noise_cases["near"].pk]
    assert cases[0].similarity == 100
    assert 20 <= cases[1].similarity < 100
    # The office head sees every demand: the other handler's case too (identical text, newer first).
    seen = similar_cases(user=cast["supervisor"].user, demand=noise_cases["demand"])
    expected = [noise_cases["hidden"].pk, noise_cases["same"].pk, noise_cases["near"].pk]
    assert [case.demand.pk for case in seen] == expected


def test_the_reply_page_offers_similar_cases_to_start_from(client_as, noise_cases):
    page = client_as("staff").get(noise_cases["demand"].get_absolute_url()).content.decode()
    assert page.count('data-testid="similar-case"') == 2
    assert "相似度 100%" in page
    assert page.index("已责令工地夜间停工。") < page.index("已约谈施工单位。")
    assert 'data-reply-text="已责令工地夜间停工。"' in page
    assert "重复件的答复" not in page
    assert "别的科室的答复" not in page


def test_starting_from_a_similar_case_never_carries_its_citizen_number_or_dates(cast, travel):
    """The walkthrough found 以此答复为基础 pasting another citizen's name and case number."""
    staff = cast["staff"]
    old = _replied(
        NOISE,
        "王先生：您好！感谢您于2026年2月20日提出的投诉（编号2025-0593）。已责令工地夜间停工，请于2026年2月21日前后留意。",
        days_ago=10,
        handler=staff,
        citizen_name="王先生",
        number="2025-0593",
    )
    Demand.objects.filter(pk=old.pk).update(due_at=datetime(2026, 2, 21, 10, tzinfo=ZoneInfo("Asia/Shanghai")))
    demand = _indexed(
        subject="噪音投诉",
        content=NOISE,
        handler=staff,
        state=Demand.State.ASSIGNED,
        citizen_name="张女士",
        number="2026-0611",
        received_at=datetime(2026, 3, 1, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
        due_at=datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai")),
    )
    with translation.override("zh-hans"):
        (case,) = similar_cases(user=staff.user, demand=demand)
    assert case.demand.pk == old.pk
    assert case.reply == (
        "张女士：您好！感谢您于2026年3月1日提出的投诉（编号2026-0611）。已责令工地夜间停工，请于2026年3月2日前后留意。"
    )
    # A demand without a citizen's name gets the variable to fill instead of someone else's name.
    Demand.objects.filter(pk=demand.pk).update(citizen_name="")
    demand.refresh_from_db()
    with translation.override("zh-hans"):
        (case,) = similar_cases(user=staff.user, demand=demand)
    assert case.reply.startswith("{姓名}：您好！")


def test_the_reply_page_queries_do_not_grow_with_templates_and_cases(client_as, cast):
    staff = cast["staff"]
    demand = _indexed(subject="噪音投诉", content=NOISE, handler=staff, state=Demand.State.ASSIGNED)
    _template("口径1", "{姓名}您好")
    _replied(NOISE, "答复1", days_ago=30, handler=staff)
    client = client_as("staff")
    client.get(demand.get_absolute_url())
    with CaptureQueriesContext(connection) as small:
        page = client.get(demand.get_absolute_url()).content.decode()
    assert page.count('data-testid="similar-case"') == 1
    for n in range(2, 12):
        _template(f"口径{n}", "{编号}：{部门}")
    for n in range(2, 7):
        _replied(NOISE, f"答复{n}", days_ago=30 + n, handler=staff)
    with CaptureQueriesContext(connection) as large:
        page = client.get(demand.get_absolute_url()).content.decode()
    assert page.count('data-testid="reply-template"') == 11
    assert page.count('data-testid="similar-case"') == 5
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


# --- Hot issues -----------------------------------------------------------------------------------


def _entry(question, cast) -> FaqEntry:
    entry = search_fill(FaqEntry(question=question, answer="答", created_at=clock.now(), created_by=cast["admin"].user))
    entry.save()
    return entry


def _asked(entry, *, count, days_ago=1, **fields):
    return DemandFactory.create_batch(
        count,
        kind=DemandKind.CONSULTATION,
        faq_entry=entry,
        received_at=clock.now() - timedelta(days=days_ago),
        **fields,
    )


@pytest.fixture
def hot_entries(cast):
    # Hand count — this year (since 1 January 2026): 社保 3, 公积金 2, 落户 0;
    # all time: 落户 5, 社保 4 (the merged repeat not counted), 公积金 2.
    social, fund = _entry("社保如何转移？", cast), _entry("公积金怎么提取？", cast)
    residence = _entry("落户需要什么材料？", cast)
    original, *_rest = _asked(social, count=3)
    repeat = _asked(social, count=1)[0]
    Demand.objects.filter(pk=repeat.pk).update(state=Demand.State.MERGED, duplicate_of=original)
    _asked(social, count=1, days_ago=100)  # 2025-11-22: last year
    _asked(fund, count=2, days_ago=30)
    _asked(residence, count=5, days_ago=200)
    return social, fund, residence


def test_hot_issues_count_linked_demands_once_per_period(hot_entries):
    social, fund, residence = hot_entries
    assert [(e.question, e.asked) for e in faq_hot(period="year")] == [("社保如何转移？", 3), ("公积金怎么提取？", 2)]
    assert [(e.question, e.asked) for e in faq_entries(period="all")] == [
        ("落户需要什么材料？", 5),
        ("社保如何转移？", 4),
        ("公积金怎么提取？", 2),
    ]


def test_the_faq_page_shows_the_hot_list_with_its_period(client_as, hot_entries):
    client = client_as("staff")
    page = client.get(reverse("opinions:demand-faq")).content.decode()
    assert page.count('data-testid="hot-issue"') == 2
    assert "被问 3 次" in page
    assert page.index("社保如何转移？") < page.index("公积金怎么提取？") < page.index("落户需要什么材料？")
    everything = client.get(reverse("opinions:demand-faq") + "?period=all").content.decode()
    assert everything.count('data-testid="hot-issue"') == 3
    assert "被问 5 次" in everything
    assert everything.index("落户需要什么材料？") < everything.index("社保如何转移？")
    assert client.get(reverse("opinions:demand-faq") + "?period=nonsense").status_code == 200


def test_the_hot_box_and_the_hot_badge_mark_the_same_five(client_as, cast):
    # Six questions asked this year 6, 5, 4, 3, 2 and 1 times: the five most asked are hot.
    questions = ["一问？", "二问？", "三问？", "四问？", "五问？", "六问？"]
    for count, question in zip(range(6, 0, -1), questions, strict=True):
        _asked(_entry(question, cast), count=count)
    page = client_as("staff").get(reverse("opinions:demand-faq")).content.decode()
    assert page.count('data-testid="hot-issue"') == 5
    assert page.count('data-testid="hot-issue-badge"') == 5
    assert "被问最多的 5 个问题" in page
    rows = page.split('data-testid="faq-entry"')[1:]  # the list's entries, one chunk each
    marked = [
        question for question in questions if 'data-testid="hot-issue-badge"' in next(r for r in rows if question in r)
    ]
    assert marked == questions[:5]


def test_a_select_offers_a_chinese_prompt_not_dashes(client_as):
    entry = client_as("supervisor").get(reverse("opinions:demand-entry")).content.decode()
    assert "---------" not in entry
    assert entry.count('<option value="" selected>（请选择）</option>') == 2  # the channel and the department
    html = client_as("supervisor").get(reverse("opinions:reply-template-new")).content.decode()
    assert "---------" not in html
    assert '<option value="" selected>（不限类别）</option>' in html  # empty here means any
    assert '<option value="" selected>（不限部门）</option>' in html
    admin = client_as("admin").get(reverse("admin:opinions_replytemplate_add")).content.decode()
    assert "---------" not in admin

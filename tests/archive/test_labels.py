"""Every action the code writes to the archive has a name in the reader's language (archive/labels.py)."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from archive.labels import action_choices, action_label, object_type_label
from opinions.selectors.demands import STEP_LABELS

ROOT = Path(__file__).resolve().parents[2]
APPS = ("archive", "bureau", "proofing", "opinions", "publicity", "assignments", "alerts", "reports")
LITERAL = re.compile(r'action="([a-z_]+\.[a-z_]+\.[a-z_]+)"')
# The demand services name their step as ``_record("claimed", …)``, ``_record("a" if x else "b", …)``
# or ``action = "replied"`` / ``action = "a" if x else "b"`` followed by ``_record(action, …)``.
DEMAND_STEP = re.compile(r'(?:_record\(\s*|action = )"([a-z_]+)"(?:\s+if [\w.]+ else "([a-z_]+)")?')


def _written_codes() -> set[str]:
    codes = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            codes |= set(LITERAL.findall(text))
            if "demands" in path.parts:
                steps = {step for pair in DEMAND_STEP.findall(text) for step in pair if step}
                codes |= {f"opinions.demand.{step}" for step in steps}
    return codes


def test_the_scan_finds_the_actions_it_checks():
    codes = _written_codes()
    assert "opinions.post.taken_down" in codes
    assert "opinions.demand.replied" in codes


@pytest.mark.parametrize("code", sorted(_written_codes()))
def test_every_written_action_is_named(code):
    assert action_label(code) != code


def test_every_demand_step_is_named():
    for step in STEP_LABELS:
        assert action_label(f"opinions.demand.{step}") != f"opinions.demand.{step}"


@pytest.mark.parametrize(
    ("code", "chinese"),
    [
        ("opinions.post.viewed", "浏览帖子"),
        ("opinions.post.taken_down", "删除违禁帖子"),
        ("publicity.publicitypost.approved", "批准宣传稿"),
        ("opinions.demand.replied", "已答复"),
        ("opinions.calendarday.created", "新建工作日历条目"),
        ("proofing.proofacknowledgement.created", "校对提示确认保留"),
        ("admin.bureau.department.changed", "管理后台：修改科室"),
        ("no.such.thing", "no.such.thing"),
    ],
)
def test_actions_read_in_chinese(code, chinese):
    with translation.override("zh-hans"):
        assert action_label(code) == chinese


def test_object_types_read_in_chinese_including_the_login_records():
    with translation.override("zh-hans"):
        assert object_type_label("opinions.post") == "帖子"
        assert object_type_label("axes.accessattempt") == "登录尝试"
        assert object_type_label("axes.accesslog") == "登录日志"


def test_the_archive_filter_offers_names_not_codes():
    with translation.override("zh-hans"):
        choices = dict(action_choices())
    assert choices["opinions.post.taken_down"] == "删除违禁帖子"
    assert choices["opinions."] == "网络舆情（全部）"

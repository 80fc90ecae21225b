from datetime import date

import pytest
from django.utils import translation

from bureau import clock
from proofing import selectors
from proofing.models import ProofList, ProofTerm
from proofing.services import proof_list_saved
from tests.publicity.factories import PlatformFactory

Kind = ProofList.Kind


@pytest.fixture(autouse=True)
def _english_and_fresh_matcher(settings):
    """Messages in their English source; each test's database has its own lists; passwords (the
    cast's, the demo's) need no slow hashing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    selectors._cache.update(version=None, matcher=None)
    with translation.override("en"):
        yield
    selectors._cache.update(version=None, matcher=None)


def make_list(name: str, kind: str, terms: list[tuple[str, str]]) -> ProofList:
    proof_list = ProofList.objects.create(name=name, kind=kind, updated_at=clock.now())
    for wrong, correct in terms:
        ProofTerm.objects.create(proof_list=proof_list, wrong=wrong, correct=correct)
    return proof_list_saved(proof_list=proof_list, actor=None)


@pytest.fixture
def lists(db):
    """One list of each kind, as an admin keeps them."""
    return {
        "names": make_list("领导姓名", Kind.WRONG_FORM, [("郁志刚", "郁志强"), ("5A级景区", "国家5A级旅游景区")]),
        "outdated": make_list("过时提法", Kind.OUTDATED, [("旅游局", "文化广电和旅游局"), ("全国第一", "")]),
        "sensitive": make_list("敏感词", Kind.SENSITIVE, [("内部资料", "")]),
    }


@pytest.fixture
def platform(db):
    return PlatformFactory(name="县政府门户网站", section="部门动态")


@pytest.fixture
def make_draft(cast, platform, travel):
    from publicity.services import post_create

    def make(body: str, title: str = "我局开展送戏下乡活动"):
        staff = cast["staff"]
        return post_create(
            actor=staff.user,
            title=title,
            body=body,
            department=staff.department,
            platform=platform,
            planned_on=date(2026, 3, 5),
        )

    return make

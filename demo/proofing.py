"""The demo office's proofreading lists (错敏词校对): the leaders' names and titles, the bureau's and
places' names in their correct form, outdated or banned phrasing and a couple of sensitive terms,
plus one draft that shows the panel with hits. Idempotent: lists by name, terms by what they look
for, the draft by its title; a list is saved (and archived) only when its terms changed."""

from datetime import date, timedelta

from django.db import transaction

from bureau import clock
from bureau.models import Person
from proofing.models import ProofList, ProofTerm
from proofing.services import proof_list_saved
from publicity import services
from publicity.models import Platform, PublicityPost

Kind = ProofList.Kind

# name → (kind, note, [(looked for, correct form, note)])
LISTS: dict[str, tuple[str, str, list[tuple[str, str, str]]]] = {
    "领导姓名和职务": (
        Kind.WRONG_FORM,
        "本局领导的姓名和职务，按任职文件的写法。",
        [
            ("陈力新", "陈立新", "局长"),
            ("陈立新副局长", "陈立新局长", ""),
            ("郁志刚", "郁志强", "副局长（分管领导）"),
            ("郁志强局长", "郁志强副局长", ""),
            ("李春花", "李春华", "副局长"),
        ],
    ),
    "单位和地名": (
        Kind.WRONG_FORM,
        "本局和辖区地名的规范写法。",
        [
            ("文化广电旅游局", "文化广电和旅游局", "本局全称"),
            ("文广旅游局", "文化广电和旅游局", "本局全称"),
            ("城关乡", "城关镇", ""),
            ("龙山风景区", "龙山景区", ""),
        ],
    ),
    "过时和禁用提法": (
        Kind.OUTDATED,
        "机构改革前的旧称和广告法禁止的绝对化用语。",
        [
            ("旅游局", "文化广电和旅游局", "机构改革后已合并"),
            ("文广新局", "文化广电和旅游局", "机构改革前的旧称"),
            ("全国第一", "", "绝对化用语"),
            ("最高级", "", "绝对化用语"),
        ],
    ),
    "敏感词": (
        Kind.SENSITIVE,
        "对外发布前须再三斟酌的词语。",
        [
            ("内部资料", "", "不得对外公开"),
            ("群体性事件", "", "须经领导同意方可使用"),
        ],
    ),
}

EXAMPLE_TITLE = "我局举办文化惠民演出季活动（校对示例）"
EXAMPLE_BODY = (
    "近日，县文广旅游局在城关乡文化广场举办文化惠民演出季活动。"
    "郁志刚局长出席并讲话，要求把演出办成全国第一的群众文化品牌。"
)


def _seed_lists() -> None:
    now = clock.now()
    for name, (kind, note, terms) in LISTS.items():
        proof_list, created = ProofList.objects.get_or_create(
            name=name, defaults={"kind": kind, "note": note, "updated_at": now}
        )
        existing = {term.wrong: term for term in proof_list.terms.all()}
        changed = created
        for wrong, correct, term_note in terms:
            term = existing.get(wrong)
            if term is None:
                ProofTerm.objects.create(proof_list=proof_list, wrong=wrong, correct=correct, note=term_note)
                changed = True
        if changed:
            proof_list_saved(proof_list=proof_list, actor=None, now=now)


def _seed_example(today: date) -> None:
    """A draft by the demo staff member with hits of every kind but the sensitive one."""
    if PublicityPost.objects.filter(title=EXAMPLE_TITLE).exists():
        return
    author = Person.objects.select_related("user", "department").filter(user__username="staff").first()
    platform = Platform.objects.order_by("sort_order", "pk").first()
    if author is None or platform is None:
        return
    services.post_create(
        actor=author.user,
        title=EXAMPLE_TITLE,
        body=EXAMPLE_BODY,
        department=author.department,
        platform=platform,
        planned_on=today + timedelta(days=3),
    )


@transaction.atomic
def seed(*, today: date) -> dict[str, int]:
    _seed_lists()
    _seed_example(today)
    return {"proofreading lists": ProofList.objects.count(), "proofreading terms": ProofTerm.objects.count()}

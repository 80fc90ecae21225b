"""The demo office's proofreading lists and example draft: seeded once, the same on a second run."""

from datetime import date

from archive.models import ArchiveRecord
from demo import organisation as bureau_demo
from demo import proofing as demo
from proofing.models import ProofList, ProofTerm
from publicity.models import PublicityPost
from publicity.selectors import post_proof
from tests.publicity.factories import PlatformFactory

TODAY = date(2026, 11, 26)


def test_the_demo_lists_and_example_are_seeded_once(db):
    bureau_demo.seed(today=TODAY)
    PlatformFactory(name="县文化广电和旅游局网站", section="工作动态")
    first = demo.seed(today=TODAY)
    assert first == {"proofreading lists": 4, "proofreading terms": 15}
    terms = sorted(ProofTerm.objects.values_list("proof_list__name", "wrong", "correct"))
    assert demo.seed(today=TODAY) == first
    assert sorted(ProofTerm.objects.values_list("proof_list__name", "wrong", "correct")) == terms
    assert ArchiveRecord.objects.filter(action__startswith="proofing.prooflist.").count() == 4
    assert set(ProofList.objects.values_list("kind", flat=True)) == {"wrong_form", "outdated", "sensitive"}

    example = PublicityPost.objects.get(title=demo.EXAMPLE_TITLE)
    assert example.state == PublicityPost.State.DRAFT
    assert example.author.user.username == "staff"
    hits = post_proof(example).hits
    assert [(hit.written, hit.correct) for hit in hits] == [
        ("文广旅游局", "文化广电和旅游局"),  # one hit: 旅游局 inside it is not a second
        ("城关乡", "城关镇"),
        ("郁志刚", "郁志强"),
        ("全国第一", ""),
    ]

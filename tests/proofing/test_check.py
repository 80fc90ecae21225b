"""The check: each list kind found (folded as screening folds), the correct form, occurrences,
a wrong form inside its own correct form, and the matcher rebuilt only when a list changes."""

import pytest

from proofing.models import ProofTerm
from proofing.selectors import Text, proof_matcher, proof_read
from proofing.services import proof_list_saved


def check(text: str):
    return proof_read(subject=None, texts=[Text("body", "Text", text)])


def test_each_kind_is_found_with_its_correct_form(lists):
    text = "郁志刚出席。县旅游局称这是全国第一，见内部资料。"
    hits = check(text).hits
    assert [(hit.written, hit.kind, hit.correct) for hit in hits] == [
        ("郁志刚", "wrong_form", "郁志强"),
        ("旅游局", "outdated", "文化广电和旅游局"),
        ("全国第一", "outdated", ""),
        ("内部资料", "sensitive", ""),
    ]
    assert [(hit.start, hit.end) for hit in hits] == [(0, 3), (7, 10), (13, 17), (19, 23)]
    assert hits[0].hint == "Write “郁志强”."
    assert hits[1].hint == "Replace it with “文化广电和旅游局”."
    assert hits[2].hint == "Reword it: this phrasing is not to be used."
    assert hits[3].hint.startswith("A sensitive term")


def test_traditional_full_width_and_spaced_forms_are_found_as_written(lists):
    hits = check("鬱志剛到訪５Ａ級景區，郁 志-刚随行").hits
    assert [(hit.written, hit.correct) for hit in hits] == [
        ("鬱志剛", "郁志强"),
        ("５Ａ級景區", "国家5A级旅游景区"),
        ("郁 志-刚", "郁志强"),
    ]


def test_a_wrong_form_inside_its_correct_form_is_no_hit(lists):
    assert check("县文化广电和旅游局举办国家5A级旅游景区推介会").hits == []
    assert [hit.written for hit in check("县旅游局和县文化广电和旅游局").hits] == ["旅游局"]


def test_occurrences_are_counted_per_term_and_writing(lists):
    hits = check("郁志刚、鬱志剛、郁志刚").hits
    assert [(hit.written, hit.occurrence) for hit in hits] == [("郁志刚", 1), ("鬱志剛", 1), ("郁志刚", 2)]
    assert hits[2].key == f"body|{hits[2].term_id}|2|郁志刚"


def test_an_inactive_list_is_not_checked(lists):
    sensitive = lists["sensitive"]
    sensitive.is_active = False
    sensitive.save()
    proof_list_saved(proof_list=sensitive, actor=None)
    assert check("内部资料").hits == []


def test_the_matcher_is_built_once_per_list_version(lists, django_assert_num_queries):
    first = proof_matcher()
    with django_assert_num_queries(1):  # the version only
        assert proof_matcher() is first
    ProofTerm.objects.create(proof_list=lists["sensitive"], wrong="维稳", correct="")
    proof_list_saved(proof_list=lists["sensitive"], actor=None)
    second = proof_matcher()
    assert second is not first
    assert [hit.written for hit in check("维稳工作").hits] == ["维稳"]


def test_highlight_pieces_keep_the_text_and_mark_a_hit_written_by_two_lists_once(lists):
    ProofTerm.objects.create(proof_list=lists["sensitive"], wrong="郁志刚", correct="")
    proof_list_saved(proof_list=lists["sensitive"], actor=None)
    proof = check("今天郁志刚出席会议")
    (field,) = proof.fields()
    assert [(piece["text"], len(piece["hits"])) for piece in field["pieces"]] == [
        ("今天", 0),
        ("郁志刚", 2),
        ("出席会议", 0),
    ]


# Leftmost-longest: one place in the text is one hit.


@pytest.fixture
def nested(lists):
    """文广旅游局, a wrong form, holds 旅游局, another list's wrong form."""
    ProofTerm.objects.create(proof_list=lists["names"], wrong="文广旅游局", correct="文化广电和旅游局")
    proof_list_saved(proof_list=lists["names"], actor=None)


def spans(text: str) -> list[tuple[str, int, int, int]]:
    return [(hit.written, hit.start, hit.end, hit.occurrence) for hit in check(text).hits]


def test_a_wrong_form_inside_a_longer_wrong_form_is_one_hit(nested):
    (hit,) = check("县文广旅游局发布通知").hits
    assert (hit.written, hit.start, hit.end) == ("文广旅游局", 1, 6)
    assert (hit.correct, hit.kind) == ("文化广电和旅游局", "wrong_form")


def test_overlapping_hits_that_do_not_nest_leave_the_leftmost(lists):
    ProofTerm.objects.create(proof_list=lists["sensitive"], wrong="志刚出席", correct="")
    proof_list_saved(proof_list=lists["sensitive"], actor=None)
    assert spans("今天郁志刚出席会议") == [("郁志刚", 2, 5, 1)]


def test_adjacent_hits_are_two(nested):
    assert spans("旅游局郁志刚") == [("旅游局", 0, 3, 1), ("郁志刚", 3, 6, 1)]


def test_the_same_hit_at_the_start_and_the_end_is_two_occurrences(nested):
    assert spans("文广旅游局召开会议文广旅游局") == [("文广旅游局", 0, 5, 1), ("文广旅游局", 9, 14, 2)]


def test_folded_forms_collapse_as_written(nested):
    assert spans("县文廣旅遊局发布") == [("文廣旅遊局", 1, 6, 1)]
    assert spans("县文广 旅游局发布") == [("文广 旅游局", 1, 7, 1)]
    assert spans("县ＸＸ文广　旅遊局") == [("文广\u3000旅遊局", 3, 9, 1)]


def test_leftmost_longest_on_the_matchers_hits():
    from bureau.matching import Hit, leftmost_longest

    def hit(term: str, start: int, end: int) -> Hit:
        return Hit(term, start, end, "")

    kept = leftmost_longest([hit("b", 1, 4), hit("a", 0, 5), hit("c", 3, 7), hit("d", 5, 7), hit("e", 5, 7)])
    assert [(h.term, h.start, h.end) for h in kept] == [("a", 0, 5), ("d", 5, 7), ("e", 5, 7)]
    assert leftmost_longest([]) == []

"""Counts up to a cap, in one statement (bureau.counting), and how they are shown."""

from bureau.counting import counts_up_to
from bureau.models import Department
from bureau.templatetags.count_tags import capped_count
from tests.factories import DepartmentFactory


def test_each_count_stops_one_past_the_cap_and_an_empty_query_is_not_sent(db, django_assert_num_queries):
    for name in ("甲科", "乙科", "丙科", "丁科", "戊科"):
        DepartmentFactory(name=name)
    querysets = {
        "none_match": Department.objects.filter(name="无此科"),
        "two": Department.objects.filter(name__in=["甲科", "乙科"]),
        "three": Department.objects.filter(name__in=["甲科", "乙科", "丙科"]),
        "five": Department.objects.all(),
        "empty": Department.objects.none(),
    }
    with django_assert_num_queries(1):
        counts = counts_up_to(querysets, cap=2)
    assert counts == {"none_match": 0, "two": 2, "three": 3, "five": 3, "empty": 0}
    assert list(counts) == ["none_match", "two", "three", "five", "empty"]  # in the order asked


def test_nothing_to_count_sends_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert counts_up_to({}) == {}
        assert counts_up_to({"empty": Department.objects.none()}) == {"empty": 0}


def test_a_count_past_99_reads_99_plus():
    assert [capped_count(0), capped_count(99), capped_count(100), capped_count(1_000)] == ["0", "99", "99+", "99+"]

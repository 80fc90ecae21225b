from datetime import date

from demo import organisation as bureau_demo
from demo import publicity as demo
from publicity.models import (
    DisclosureItem,
    MediaCoverage,
    MediaOutlet,
    Platform,
    PlatformStatistic,
    PublicityPost,
    PublicityQuota,
)
from publicity.selectors import outlet_counts, quota_progress_list

TODAY = date(2026, 11, 26)


def snapshot():
    data = {}
    for model in [
        Platform,
        MediaOutlet,
        PublicityQuota,
        PublicityPost,
        MediaCoverage,
        PlatformStatistic,
        DisclosureItem,
    ]:
        fields = [f.name for f in model._meta.concrete_fields if f.name != "id"]
        data[model.__name__] = sorted(map(repr, model.objects.values_list(*fields)))
    return data


def test_demo_publicity_twice_gives_the_same_data(db):
    bureau_demo.seed(today=TODAY)
    first_counts = demo.seed(today=TODAY)
    first = snapshot()
    assert demo.seed(today=TODAY) == first_counts
    assert snapshot() == first


def test_demo_publicity_tells_a_story(db):
    bureau_demo.seed(today=TODAY)
    demo.seed(today=TODAY)
    last_year = {p.quota.scope_label: p for p in quota_progress_list(year=2025, today=TODAY)}
    this_year = quota_progress_list(year=2026, today=TODAY)
    assert all(p.is_met_early for p in last_year.values())
    assert this_year[0].quota.department_id is None
    assert this_year[0].is_behind
    assert any(p.is_met_early for p in this_year)  # one department met its quota already
    states = set(PublicityPost.objects.values_list("state", flat=True))
    assert states == set(PublicityPost.State.values)
    assert PublicityPost.objects.filter(state="returned").exclude(review_comment="").exists()
    assert outlet_counts(year=2026).count() >= 4
    assert PlatformStatistic.objects.filter(month=date(2026, 10, 1)).count() == 3
    assert DisclosureItem.objects.filter(published_on__year=2026).count() == 10

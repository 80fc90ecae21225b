"""``generate_load``'s posts carry a stated near-duplicate rate, and the near-duplicate index is
filled as intake fills it: run small (300 posts, the fixed seed), every re-post is found with its
original and nothing else is paired (real PostgreSQL, the real MinHash-LSH index)."""

import re
from io import StringIO
from itertools import combinations

import pytest
from django.core.management import call_command

from opinions.models import Demand, NearDuplicate, Post
from tests.factories import PersonFactory, SectionFactory

pytestmark = pytest.mark.django_db

POSTS = 300
SHARE = 0.2


def _found_pairs(kind: str, number_of: dict[int, int]) -> set[frozenset[int]]:
    """The pairs the index stored between items of ``kind``, as the generator's numbers."""
    rows = NearDuplicate.objects.filter(**{f"similar_{kind}__isnull": False})
    return {
        frozenset((number_of[item], number_of[similar]))
        for item, similar in rows.values_list(f"{kind}_id", f"similar_{kind}_id")
    }


def _planted_pairs(original_of: dict[int, int]) -> tuple[set[frozenset[int]], set[frozenset[int]]]:
    """Each copy with its original (planted), and every pair within a group of copies of one
    original (related: two copies of one original are near-duplicates too)."""
    planted = {frozenset(pair) for pair in original_of.items()}
    groups: dict[int, list[int]] = {}
    for copy, original in original_of.items():
        groups.setdefault(original, [original]).append(copy)
    related = {frozenset(pair) for members in groups.values() for pair in combinations(members, 2)}
    return planted, related


def test_generated_posts_have_the_planted_near_duplicate_rate(travel):
    SectionFactory.create_batch(3)
    out = StringIO()
    call_command(
        "generate_load",
        f"--opinions-posts={POSTS}",
        "--opinions-channels=5",
        "--opinions-keywords=60",
        "--opinions-demands=0",
        f"--opinions-near-duplicates={SHARE}",
        stdout=out,
    )
    assert f"demo: opinions posts: {POSTS}\n" in out.getvalue()

    # The planted re-posts, as the generator names them: load-<n>-copies-<original n>.
    number_of, channel_of, original_of = {}, {}, {}
    for pk, external_id, channel in Post.objects.values_list("pk", "external_id", "channel_id"):
        number, original = re.fullmatch(r"load-(\d+)(?:-copies-(\d+))?", external_id).groups()
        number_of[pk], channel_of[int(number)] = int(number), channel
        if original is not None:
            original_of[int(number)] = int(original)
    assert len(number_of) == POSTS
    # The seed's count; the rate is 0.2 ± 3 binomial standard deviations (√(300·0.2·0.8) ≈ 6.9)
    # if the seed or the draw order changes: 39 to 81 re-posts.
    assert len(original_of) == 70
    assert 39 <= len(original_of) <= 81
    assert set(original_of.values()).isdisjoint(original_of)  # a re-post copies an original
    assert all(channel_of[copy] != channel_of[original] for copy, original in original_of.items())

    found = _found_pairs("post", number_of)
    planted, related = _planted_pairs(original_of)
    # Posts copying one original resemble each other less (two retypings, Jaccard about 0.55):
    # such a pair may be found or not, and is a true near-duplicate either way (here all 6 are).

    # A retyping keeps a Jaccard similarity around 0.7; the 32×4 bands make such a pair a candidate
    # with probability above 0.99 and 128 permutations estimate it within ±0.04 (one standard
    # deviation), far above the 50 % threshold: every planted pair is found, and unrelated texts
    # (random, sharing almost no three-character piece) never are.
    assert planted <= found
    assert found <= related
    assert (len(planted), len(related), len(found)) == (70, 76, 76)
    # Stored both ways, each with its similarity.
    assert NearDuplicate.objects.count() == 2 * len(found)


def test_generated_demands_repeat_at_the_planted_rate_and_the_repeats_are_found(travel):
    """Repeats (重复件) of handled demands through another channel, retyped: each is found with the
    demand it repeats; no open demand is a repeat, and unrelated demands are never paired."""
    SectionFactory.create_batch(3)
    PersonFactory.create_batch(2)
    out = StringIO()
    call_command(
        "generate_load",
        "--opinions-posts=0",
        "--opinions-channels=5",
        "--opinions-keywords=6",
        f"--opinions-demands={POSTS}",
        f"--opinions-near-duplicates={SHARE}",
        stdout=out,
    )
    assert f"demo: opinions demands: {POSTS}\n" in out.getvalue()

    number_of, channel_of, original_of = {}, {}, {}
    for pk, subject, channel in Demand.objects.values_list("pk", "subject", "channel_id"):
        number, original = re.fullmatch(r"负载诉求(\d+)(?:-重复(\d+))?", subject).groups()
        number_of[pk], channel_of[int(number)] = int(number), channel
        if original is not None:
            original_of[int(number)] = int(original)
    assert len(number_of) == POSTS
    # The seed's count among the 270 handled demands; 0.2 of them ± 3 binomial standard
    # deviations (√(270·0.2·0.8) ≈ 6.6) would be 34 to 74 if the seed or the draw order changed.
    assert len(original_of) == 58
    assert 34 <= len(original_of) <= 74
    assert max(original_of) < 270  # the open thirty (numbers 270–299) are no repeats
    assert set(original_of.values()).isdisjoint(original_of)
    assert all(channel_of[copy] != channel_of[original] for copy, original in original_of.items())

    found = _found_pairs("demand", number_of)
    planted, related = _planted_pairs(original_of)
    assert planted <= found
    assert found <= related
    # Repeats of one demand resemble each other too: here every such pair is found as well.
    assert (len(planted), len(related), len(found)) == (58, 87, 87)
    assert NearDuplicate.objects.filter(similar_demand__isnull=False).count() == 174  # both ways
    assert "demo: opinions demand near-duplicate rows (pairs both ways): 174\n" in out.getvalue()

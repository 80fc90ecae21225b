"""``generate_load``'s posts carry a stated near-duplicate rate, and the near-duplicate index is
filled as intake fills it: run small (300 posts, the fixed seed), every re-post is found with its
original and nothing else is paired (real PostgreSQL, the real MinHash-LSH index)."""

import re
from io import StringIO
from itertools import combinations

import pytest
from django.core.management import call_command

from opinions.models import NearDuplicate, Post
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db

POSTS = 300
SHARE = 0.2


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

    found = {
        frozenset((number_of[post], number_of[similar]))
        for post, similar in NearDuplicate.objects.filter(similar_post__isnull=False).values_list(
            "post_id", "similar_post_id"
        )
    }
    planted = {frozenset(pair) for pair in original_of.items()}
    # Posts copying one original resemble each other less (two retypings, Jaccard about 0.55):
    # such a pair may be found or not, and is a true near-duplicate either way (here all 6 are).
    clusters: dict[int, list[int]] = {}
    for copy, original in original_of.items():
        clusters.setdefault(original, [original]).append(copy)
    related = {frozenset(pair) for members in clusters.values() for pair in combinations(members, 2)}

    # A retyping keeps a Jaccard similarity around 0.7; the 32×4 bands make such a pair a candidate
    # with probability above 0.99 and 128 permutations estimate it within ±0.04 (one standard
    # deviation), far above the 50 % threshold: every planted pair is found, and unrelated texts
    # (random, sharing almost no three-character piece) never are.
    assert planted <= found
    assert found <= related
    assert (len(planted), len(related), len(found)) == (70, 76, 76)
    # Stored both ways, each with its similarity.
    assert NearDuplicate.objects.count() == 2 * len(found)

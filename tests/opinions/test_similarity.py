"""Near-duplicates at intake: the MinHash-LSH index over folded text finds copies across channels
and scripts, leaves unrelated posts on the same topic alone, and keeps to the admins' window."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opinions.intake.items import IncomingItem
from opinions.models import DemandKind, ItemKind, NearDuplicate, SimilarityBand, SimilarityRules, SimilaritySignature
from opinions.services import demands as s
from opinions.services.intake import posts_ingest
from opinions.services.posts import post_enter
from opinions.similarity.minhash import BANDS, signature

pytestmark = pytest.mark.usefixtures("travel")

NOISE = "城东路夜间施工噪音扰民严重，晚上十一点以后还在打桩，请有关部门管一管"
# The same complaint, written in traditional characters, full-width and with other punctuation.
NOISE_TRADITIONAL = "城東路夜間施工噪音擾民嚴重！！晚上十一點以後還在打樁……請有關部門管一管。"
NOISE_PUNCTUATED = "城东路 夜间施工噪音扰民严重!晚上十一点以后 还在打桩~请有关部门管一管!!"
# A copy with a few characters changed (two words), as people retype a complaint elsewhere.
NOISE_RETYPED = "城东路夜间施工噪声扰民严重，晚上十一点以后还在打桩，请相关部门管一管"
# Same topic words (城东路, 施工, 有关部门), another matter.
ROAD = "城东路道路施工完成后路面坑洼不平，雨天积水严重，请有关部门尽快修复"
SCHOOL_FEES = "县一中食堂收费过高，饭菜质量差，请有关部门管一管"
NOISE_ELSEWHERE = "西门菜市场早上五点开始卸货噪音扰民，请有关部门管一管"


def _item(title: str, body: str = "") -> IncomingItem:
    return IncomingItem(title=title, body=body)


def _similar(post) -> dict[int, int]:
    return dict(NearDuplicate.objects.filter(post=post).values_list("similar_post_id", "similarity"))


def test_copies_in_other_scripts_and_punctuation_are_found_across_channels(channel_factory):
    forum, mailbox, weibo, hotline = channel_factory.create_batch(4)
    first = posts_ingest(channel=forum, items=[_item(NOISE)]).created_ids[0]
    traditional = posts_ingest(channel=mailbox, items=[_item(NOISE_TRADITIONAL)]).created_ids[0]
    punctuated = posts_ingest(channel=weibo, items=[_item(NOISE_PUNCTUATED)]).created_ids[0]
    retyped = posts_ingest(channel=hotline, items=[_item(NOISE_RETYPED)]).created_ids[0]
    # Folded, the first three are the same text; the retyped one shares 24 of their 36 distinct
    # three-character pieces (Jaccard 0.667), estimated from the signatures at 91 of 128 values: 71 %.
    assert _similar(retyped) == {first: 71, traditional: 71, punctuated: 71}
    assert _similar(traditional) == {first: 100, punctuated: 100, retyped: 71}
    # Stored both ways: the first post's page lists all three.
    assert set(NearDuplicate.objects.filter(post_id=first).values_list("similar_post_id", flat=True)) == {
        traditional,
        punctuated,
        retyped,
    }


def test_unrelated_posts_sharing_topic_words_are_not_matched(channel_factory):
    forum, mailbox = channel_factory.create_batch(2)
    posts_ingest(channel=forum, items=[_item(NOISE)])
    posts_ingest(channel=mailbox, items=[_item(ROAD), _item(SCHOOL_FEES), _item(NOISE_ELSEWHERE)])
    assert NearDuplicate.objects.count() == 0
    # Their estimated similarities to the complaint (10 %, 9 %, 15 %) stay far below the threshold (50).
    noise = signature(NOISE)
    assert all(noise.similarity(signature(text)) < 0.2 for text in (ROAD, SCHOOL_FEES, NOISE_ELSEWHERE))


def test_items_of_one_batch_are_compared_with_each_other(channel_factory):
    result = posts_ingest(channel=channel_factory(), items=[_item(NOISE), _item(NOISE_TRADITIONAL)])
    first, second = result.created_ids
    assert _similar(second) == {first: 100}


def test_window_boundary_is_included(channel_factory, travel):
    """Default window 30 days: a copy exactly 30 days later is compared, one a second later not."""
    forum, mailbox = channel_factory.create_batch(2)
    first = posts_ingest(channel=forum, items=[_item(NOISE)]).created_ids[0]
    travel.shift(timedelta(days=30))
    at_boundary = posts_ingest(channel=mailbox, items=[_item(NOISE_TRADITIONAL)]).created_ids[0]
    travel.shift(timedelta(seconds=1))
    past = posts_ingest(channel=mailbox, items=[_item(NOISE_PUNCTUATED)]).created_ids[0]
    assert _similar(first) == {at_boundary: 100}  # not ``past``: 30 days and 1 second apart
    assert _similar(past) == {at_boundary: 100}


def test_admins_window_and_threshold(channel_factory, travel):
    SimilarityRules.objects.create(pk=1, window=timedelta(days=2), threshold=100)
    forum, mailbox = channel_factory.create_batch(2)
    first = posts_ingest(channel=forum, items=[_item(NOISE)]).created_ids[0]
    travel.shift(timedelta(days=2, seconds=1))
    late = posts_ingest(channel=mailbox, items=[_item(NOISE_TRADITIONAL)]).created_ids[0]
    retyped = posts_ingest(channel=mailbox, items=[_item(NOISE_RETYPED)]).created_ids[0]
    assert _similar(late) == {}  # outside the two days
    assert _similar(retyped) == {}  # similar, but not 100 %
    assert first


def test_short_texts_are_neither_indexed_nor_compared(channel_factory):
    forum, mailbox = channel_factory.create_batch(2)
    posts_ingest(channel=forum, items=[_item("路灯不亮！")])  # 4 characters once folded
    posts_ingest(channel=mailbox, items=[_item("路燈不亮。")])
    assert (SimilaritySignature.objects.count(), NearDuplicate.objects.count()) == (0, 0)


def test_one_candidate_query_for_a_batch(channel_factory):
    forum, mailbox = channel_factory.create_batch(2)
    posts_ingest(channel=forum, items=[_item(f"第{i}号 {NOISE}") for i in range(3)])
    items = [_item(f"{i}号楼 {ROAD}") for i in range(40)]
    with CaptureQueriesContext(connection) as queries:
        posts_ingest(channel=mailbox, items=items)
    reads = [
        q["sql"]
        for q in queries.captured_queries
        if "opinions_similarityband" in q["sql"] and q["sql"].startswith("SELECT")
    ]
    assert len(reads) == 1
    assert SimilarityBand.objects.count() == 43 * BANDS


def test_demands_are_compared_with_posts_but_not_with_their_own_post(cast, channel_factory):
    forum, hotline = channel_factory.create_batch(2)
    post = post_enter(channel=forum, actor=cast["staff"].user, title=NOISE)
    from_post = s.demand_create_from_post(post=post, actor=cast["staff"].user, kind=DemandKind.COMPLAINT)
    assert not NearDuplicate.objects.filter(demand=from_post, similar_post=post).exists()
    call = s.demand_create(
        actor=cast["staff"].user,
        kind=DemandKind.COMPLAINT,
        channel=hotline,
        subject="打桩扰民",
        content=NOISE_TRADITIONAL,
    )
    found = {(row.similar_post_id, row.similar_demand_id) for row in NearDuplicate.objects.filter(demand=call)}
    assert found == {(post.pk, None), (None, from_post.pk)}
    assert NearDuplicate.objects.get(demand=from_post, similar_demand=call).similarity >= 80
    assert SimilaritySignature.objects.filter(kind=ItemKind.DEMAND).count() == 2


def test_the_post_page_shows_its_near_duplicates(client_as, channel_factory):
    forum = channel_factory(name="县论坛")
    mailbox = channel_factory(name="县长信箱")
    first = posts_ingest(channel=forum, items=[_item(NOISE)]).created_ids[0]
    second = posts_ingest(channel=mailbox, items=[_item(NOISE_TRADITIONAL)]).created_ids[0]
    page = client_as("supervisor").get(reverse("opinions:post-detail", args=[second])).content.decode()
    assert "与县论坛的帖子相似 100%" in page
    assert reverse("opinions:post-detail", args=[first]) in page


def test_a_flood_of_templated_items_keeps_ten_matches_each(channel_factory):
    """A feed repeating one notice with its number changed: the i-th item (from 0) is alike to all
    i before it and keeps its best min(i, 10): 0 + 1 + … + 9 + 20 × 10 = 245 pairs, 490 rows."""
    items = [_item(f"关于城东路夜间施工噪音扰民问题的第{i}号通知") for i in range(30)]
    posts_ingest(channel=channel_factory(), items=items)
    assert NearDuplicate.objects.count() == 490

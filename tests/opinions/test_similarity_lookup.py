"""The near-duplicate lookup's own parts: band keys computed once per band from one buffer stay the
keys already stored, and the candidate statement (one bigint array on PostgreSQL) finds a copy in
another script and punctuation, leaves a post on the same topic words alone, and keeps the window."""

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bureau import clock
from opinions.intake.items import IncomingItem
from opinions.models import ItemKind
from opinions.selectors.similarity import similar_candidates, similar_to_text
from opinions.services.intake import posts_ingest
from opinions.services.similarity import Incoming, items_index
from opinions.similarity.minhash import BANDS, ROWS, signature

pytestmark = pytest.mark.usefixtures("travel")

NOISE = "城东路夜间施工噪音扰民严重，晚上十一点以后还在打桩，请有关部门管一管"
# The same complaint in traditional characters, full-width marks and other punctuation.
NOISE_COPY = "城東路 夜間施工噪音擾民嚴重！！晚上十一點以後~還在打樁……請有關部門管一管?"
# The same topic words (城东路, 夜间, 施工, 噪音, 有关部门), another matter.
SAME_WORDS = "城东路夜间施工结束后路面噪音不大，但积水严重，请有关部门管一管排水"


def _reference_keys(text: str) -> list[int]:
    """The band keys as first written (one blake2b of each band's values, salted with its number)."""
    raw = signature(text).values.astype("<u4")
    return [
        int.from_bytes(
            hashlib.blake2b(raw[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8, salt=bytes([band])).digest(),
            "little",
        )
        & ((1 << 63) - 1)
        for band in range(BANDS)
    ]


def test_band_keys_are_the_stored_ones():
    for text in (NOISE, NOISE_COPY, SAME_WORDS):
        assert signature(text).band_keys() == _reference_keys(text)


def test_candidates_find_the_copy_and_not_the_same_topic_words(db):
    now = clock.now()
    items_index(items=[Incoming(ItemKind.POST, 1, NOISE, now - timedelta(days=1))], now=now)
    copy, other = signature(NOISE_COPY), signature(SAME_WORDS)
    with CaptureQueriesContext(connection) as queries:
        found = similar_candidates(keys=copy.band_keys(), since=now - timedelta(days=30))
    assert len(queries.captured_queries) == 1
    # Folded, the copy is the complaint itself: every one of its 32 bands is shared.
    assert len(found) == 32
    assert {(c.kind, c.item_id) for _key, c in found} == {(ItemKind.POST, 1)}
    assert found[0][1].signature.similarity(copy) == 1.0
    assert similar_candidates(keys=other.band_keys(), since=now - timedelta(days=30)) == []
    # The window: received a day ago, so a window starting 12 hours ago leaves it out.
    assert similar_candidates(keys=copy.band_keys(), since=now - timedelta(hours=12)) == []


def test_typed_copy_is_found_and_same_topic_words_are_not(cast, channel_factory):
    post = posts_ingest(channel=channel_factory(), items=[IncomingItem(title=NOISE, body="")]).created_ids[0]
    user = cast["supervisor"].user
    matches = similar_to_text(user=user, text=NOISE_COPY)
    assert [(m.kind, m.similarity, m.url) for m in matches] == [("post", 100, f"/opinions/posts/{post}/")]
    assert similar_to_text(user=user, text=SAME_WORDS) == []

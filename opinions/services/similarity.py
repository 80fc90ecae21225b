"""Indexing posts and demands at intake and storing their near-duplicates (相似件).

Each new post (feed, manual entry, import) and demand (entry, from a post) gets a MinHash signature
of its folded title and text (``opinions.similarity.minhash``), kept with its LSH band keys, so a
later item never rescans history: a batch computes its signatures in memory, reads every candidate
sharing a band key within the admins' window with one query (``similar_candidates``), verifies each
by estimated similarity against the admins' threshold, and writes its signatures, bands and
near-duplicates with three bulk inserts. Items of one batch are compared with each other too.
Texts too short to compare are neither indexed nor looked up."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction

from bureau import clock
from opinions.models import Demand, ItemKind, NearDuplicate, Post, SimilarityBand, SimilaritySignature
from opinions.selectors.similarity import Indexed, similar_candidates, similarity_rules
from opinions.similarity.minhash import Signature, signature

# A flood of templated items (a feed repeating one notice with a number changed) must not make
# intake quadratic: each new item examines at most this many candidates and keeps its best matches.
MAX_CANDIDATES = 1000
MAX_MATCHES = 10


@dataclass(frozen=True)
class Incoming:
    """One item to index: what it is, its text, when it was received, and items it is not to be
    matched with (a demand made from a post is not a duplicate of that post)."""

    kind: str
    item_id: int
    text: str
    received_at: datetime
    not_with: frozenset[tuple[str, int]] = field(default_factory=frozenset)


def _near_duplicate(item: tuple[str, int], similar: tuple[str, int], score: int, now: datetime) -> NearDuplicate:
    row = NearDuplicate(similarity=score, found_at=now)
    if item[0] == ItemKind.POST:
        row.post_id = item[1]
    else:
        row.demand_id = item[1]
    if similar[0] == ItemKind.POST:
        row.similar_post_id = similar[1]
    else:
        row.similar_demand_id = similar[1]
    return row


@transaction.atomic
def items_index(*, items: list[Incoming], now: datetime | None = None) -> int:
    """Index ``items`` and store their near-duplicates (both directions). Returns the pairs found.
    Guarantees: one candidate query and three inserts per call whatever the batch size; an item is
    matched only with items received within the window before it (the boundary included)."""
    now = now or clock.now()
    rules = similarity_rules()
    signed = [(item, sig) for item in items if (sig := signature(item.text)) is not None]
    if not signed:
        return 0
    keys_of = {(item.kind, item.item_id): sig.band_keys() for item, sig in signed}
    since = min(item.received_at for item, _sig in signed) - rules.window
    by_key: dict[int, list[Indexed]] = {}
    for key, candidate in similar_candidates(keys=[k for keys in keys_of.values() for k in keys], since=since):
        by_key.setdefault(key, []).append(candidate)

    found: list[NearDuplicate] = []
    for item, sig in signed:
        me = (item.kind, item.item_id)
        seen: set[tuple[str, int]] = set()
        matches: list[tuple[int, tuple[str, int]]] = []
        for key in keys_of[me]:
            for candidate in reversed(by_key.get(key, ())):  # the batch's own, newest, first
                other = (candidate.kind, candidate.item_id)
                if other in seen or other == me or other in item.not_with:
                    continue
                if len(seen) >= MAX_CANDIDATES:
                    break
                seen.add(other)
                if candidate.received_at < item.received_at - rules.window:
                    continue
                score = round(sig.similarity(candidate.signature) * 100)
                if score >= rules.threshold:
                    matches.append((score, other))
            if len(seen) >= MAX_CANDIDATES:
                break
        for score, other in sorted(matches, key=lambda match: -match[0])[:MAX_MATCHES]:
            found += [_near_duplicate(me, other, score, now), _near_duplicate(other, me, score, now)]
        # Later items of the batch see this one.
        mine = Indexed(item.kind, item.item_id, item.received_at, sig)
        for key in keys_of[me]:
            by_key.setdefault(key, []).append(mine)

    ids = _signatures_insert(signed)
    _bands_insert(ids, [item for item, _sig in signed], keys_of)
    NearDuplicate.objects.bulk_create(found, batch_size=1000)
    return len(found) // 2


def _signatures_insert(signed: list[tuple[Incoming, Signature]]) -> list[int]:
    """Store the signatures; their ids in the order given. On PostgreSQL one INSERT from arrays
    (building a model instance per row would cost more than the lookup)."""
    if connection.vendor != "postgresql":
        stored = SimilaritySignature.objects.bulk_create(
            [
                SimilaritySignature(
                    kind=item.kind, item_id=item.item_id, received_at=item.received_at, signature=sig.to_bytes()
                )
                for item, sig in signed
            ],
            batch_size=1000,
        )
        return [row.pk for row in stored]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SimilaritySignature._meta.db_table} (kind, item_id, received_at, signature) "  # noqa: S608 - our table name
            "SELECT * FROM unnest(%s::varchar[], %s::bigint[], %s::timestamptz[], %s::bytea[]) "
            "RETURNING id, kind, item_id",
            [
                [item.kind for item, _sig in signed],
                [item.item_id for item, _sig in signed],
                [item.received_at for item, _sig in signed],
                [sig.to_bytes() for _item, sig in signed],
            ],
        )
        # Mapped back by (kind, item), which is unique: RETURNING promises no order.
        by_item = {(kind, item_id): pk for pk, kind, item_id in cursor.fetchall()}
    return [by_item[(item.kind, item.item_id)] for item, _sig in signed]


def _bands_insert(ids: list[int], items: list[Incoming], keys_of: dict[tuple[str, int], list[int]]) -> None:
    """The band rows of the new signatures (32 per item): on PostgreSQL one INSERT from arrays."""
    rows = [
        (pk, band, key, item.received_at)
        for pk, item in zip(ids, items, strict=True)
        for band, key in enumerate(keys_of[(item.kind, item.item_id)])
    ]
    if connection.vendor != "postgresql":
        SimilarityBand.objects.bulk_create(
            [SimilarityBand(signature_id=pk, band=band, key=key, received_at=at) for pk, band, key, at in rows],
            batch_size=5000,
        )
        return
    columns = list(zip(*rows, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SimilarityBand._meta.db_table} (signature_id, band, key, received_at) "  # noqa: S608 - our table name
            "SELECT * FROM unnest(%s::bigint[], %s::smallint[], %s::bigint[], %s::timestamptz[])",
            [list(column) for column in columns],
        )


def post_text(post: Post) -> str:
    return f"{post.title}\n{post.body}"


def demand_text(demand: Demand) -> str:
    return f"{demand.subject}\n{demand.content}"


def posts_index(*, posts: list[Post], now: datetime | None = None) -> int:
    """Index new posts (received when found) and store their near-duplicates."""
    return items_index(
        items=[Incoming(ItemKind.POST, post.pk, post_text(post), post.found_at) for post in posts], now=now
    )


def demand_index(*, demand: Demand, now: datetime | None = None) -> int:
    """Index a new demand and store its near-duplicates; the post it was made from is not one."""
    not_with = frozenset({(ItemKind.POST, demand.post_id)}) if demand.post_id else frozenset()
    return items_index(
        items=[Incoming(ItemKind.DEMAND, demand.pk, demand_text(demand), demand.received_at, not_with)], now=now
    )

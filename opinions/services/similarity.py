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

import numpy as np
from django.db import connection, transaction

from bureau import clock
from opinions.models import Demand, ItemKind, NearDuplicate, Post, SimilarityBand, SimilaritySignature
from opinions.selectors.knowledge import demand_text
from opinions.selectors.similarity import Indexed, similar_candidates, similarity_rules
from opinions.similarity.minhash import NUM_PERM, Signature, signature

# A flood of templated items (a feed repeating one notice with a number changed) must not make
# intake quadratic: each new item examines at most this many candidates (the newest) and keeps
# its best matches.
MAX_CANDIDATES = 500
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


Found = list[tuple[tuple[str, int], tuple[str, int], int]]  # (item, similar item, percent)


def _near_duplicates_insert(found: Found, *, now: datetime) -> None:
    """Each pair found, stored both ways (item → similar, similar → item); on PostgreSQL one
    INSERT from arrays."""
    rows = []
    for item, similar, score in found:
        for one, other in ((item, similar), (similar, item)):
            rows.append(
                (
                    one[1] if one[0] == ItemKind.POST else None,
                    one[1] if one[0] == ItemKind.DEMAND else None,
                    other[1] if other[0] == ItemKind.POST else None,
                    other[1] if other[0] == ItemKind.DEMAND else None,
                    score,
                )
            )
    if not rows:
        return
    if connection.vendor != "postgresql":
        NearDuplicate.objects.bulk_create(
            [
                NearDuplicate(
                    post_id=post,
                    demand_id=demand,
                    similar_post_id=s_post,
                    similar_demand_id=s_demand,
                    similarity=score,
                    found_at=now,
                )
                for post, demand, s_post, s_demand, score in rows
            ],
            batch_size=2000,
        )
        return
    columns = [list(column) for column in zip(*rows, strict=True)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {NearDuplicate._meta.db_table} "  # noqa: S608 - our table name
            "(post_id, demand_id, similar_post_id, similar_demand_id, similarity, found_at) "
            "SELECT p, d, sp, sd, s, %s FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::bigint[], "
            "%s::smallint[]) AS t(p, d, sp, sd, s)",
            [now, *columns],
        )


@dataclass
class Lookup:
    """What the lookup of a batch found, and what indexing it then writes."""

    signed: list[tuple[Incoming, Signature]]
    keys_of: dict[tuple[str, int], list[int]]
    found: Found


def items_lookup(*, items: list[Incoming]) -> Lookup:
    """The near-duplicates of ``items`` among the indexed items and each other, without writing:
    the signatures, one candidate query whatever the batch size, and the verification. An item is
    matched only with items received within the window before it (the boundary included)."""
    rules = similarity_rules()
    signed = [(item, sig) for item in items if (sig := signature(item.text)) is not None]
    keys_of = {(item.kind, item.item_id): sig.band_keys() for item, sig in signed}
    if not signed:
        return Lookup(signed, keys_of, [])
    since = min(item.received_at for item, _sig in signed) - rules.window
    candidates = similar_candidates(keys=[k for keys in keys_of.values() for k in keys], since=since)

    # Every signature that may be compared, as rows of one matrix (the candidates read, then the
    # batch's own), so each item verifies all its candidates with one vectorised comparison.
    position: dict[tuple[str, int], int] = {}
    pool: list[Indexed] = []
    by_key: dict[int, list[int]] = {}
    for key, candidate in candidates:
        at = position.setdefault((candidate.kind, candidate.item_id), len(pool))
        if at == len(pool):
            pool.append(candidate)
        by_key.setdefault(key, []).append(at)
    matrix = np.empty((len(pool) + len(signed), NUM_PERM), dtype=np.uint32)
    for at, candidate in enumerate(pool):
        matrix[at] = candidate.signature.values

    received = np.empty(len(pool) + len(signed), dtype=np.float64)
    received[: len(pool)] = [candidate.received_at.timestamp() for candidate in pool]

    found: Found = []
    for item, sig in signed:
        me = (item.kind, item.item_id)
        lists = [by_key[key][-MAX_CANDIDATES:] for key in keys_of[me] if key in by_key]
        if lists:
            # Positions grow with recency (the batch's own last): keep the newest in the window.
            chosen = np.unique(np.concatenate([np.asarray(positions) for positions in lists]))
            chosen = chosen[received[chosen] >= (item.received_at - rules.window).timestamp()][-MAX_CANDIDATES:]
            if item.not_with:
                chosen = np.array(
                    [at for at in chosen if (pool[at].kind, pool[at].item_id) not in item.not_with], dtype=np.int64
                )
            percent = np.rint(np.count_nonzero(matrix[chosen] == sig.values, axis=1) / NUM_PERM * 100)
            kept = np.flatnonzero(percent >= rules.threshold)
            for index in kept[np.argsort(-percent[kept], kind="stable")][:MAX_MATCHES]:
                other = pool[int(chosen[index])]
                found.append((me, (other.kind, other.item_id), int(percent[index])))
        # Later items of the batch see this one.
        at = len(pool)
        pool.append(Indexed(item.kind, item.item_id, item.received_at, sig))
        matrix[at], received[at] = sig.values, item.received_at.timestamp()
        for key in keys_of[me]:
            by_key.setdefault(key, []).append(at)

    return Lookup(signed, keys_of, found)


# No savepoint of its own inside the caller's transaction (intake, demand entry): all or nothing
# with the caller's change anyway, and a savepoint is two more round trips per item entered.
@transaction.atomic(savepoint=False)
def items_index(*, items: list[Incoming], now: datetime | None = None) -> int:
    """Index ``items`` and store their near-duplicates (both directions). Returns the pairs found.
    Guarantees: ``items_lookup``'s, then three inserts per call whatever the batch size."""
    now = now or clock.now()
    lookup = items_lookup(items=items)
    if not lookup.signed:
        return 0
    ids = _signatures_insert(lookup.signed)
    _bands_insert(ids, [item for item, _sig in lookup.signed], lookup.keys_of)
    _near_duplicates_insert(lookup.found, now=now)
    return len(lookup.found)


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


def posts_index(*, posts: list[Post], now: datetime | None = None) -> int:
    """Index new posts (received when found) and store their near-duplicates."""
    return items_index(
        items=[Incoming(ItemKind.POST, post.pk, post_text(post), post.found_at) for post in posts], now=now
    )


def demand_index(*, demand: Demand, now: datetime | None = None) -> int:
    """Index a new demand and store its near-duplicates; the post it was made from is not one."""
    return demands_index(demands=[demand], now=now)


def demands_index(*, demands: list[Demand], now: datetime | None = None) -> int:
    """Index new demands (a batch: one candidate query and three inserts) and store their
    near-duplicates; the post a demand was made from is not one of them."""
    return items_index(
        items=[
            Incoming(
                ItemKind.DEMAND,
                demand.pk,
                demand_text(demand),
                demand.received_at,
                frozenset({(ItemKind.POST, demand.post_id)}) if demand.post_id else frozenset(),
            )
            for demand in demands
        ],
        now=now,
    )

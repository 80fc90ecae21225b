"""Reads of the near-duplicate index: the candidates sharing a band in the window (one query), an
item's near-duplicates for its page (one query), and the matches of a text being typed."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse

from bureau import clock
from bureau.config_cache import config_row
from bureau.types import AnyUser
from opinions.models import (
    Demand,
    ItemKind,
    NearDuplicate,
    Post,
    SimilarityBand,
    SimilarityRules,
    SimilaritySignature,
)
from opinions.selectors.demands import demands_visible
from opinions.similarity.minhash import Signature, signature


def similarity_rules() -> SimilarityRules:
    """The admins' row, or the defaults (30 days, 50 %)."""
    return config_row("similarity_rules", lambda: SimilarityRules.objects.filter(pk=1).first() or SimilarityRules())


@dataclass(frozen=True)
class Indexed:
    """An indexed post or demand, as read back for verification."""

    kind: str
    item_id: int
    received_at: datetime
    signature: Signature


# The candidate statement on PostgreSQL, written out: the keys go as one bigint array (one
# parameter, one plan whatever their number) and the ORM's compilation of the query, which cost
# twice the statement itself per lookup, is skipped. Measured in tests/benchmarks/bench_similarity.py.
_CANDIDATES_SQL = (
    f"SELECT b.key, s.kind, s.item_id, b.received_at, s.signature "  # noqa: S608 - our table names
    f"FROM {SimilarityBand._meta.db_table} b JOIN {SimilaritySignature._meta.db_table} s ON s.id = b.signature_id "
    "WHERE b.key = ANY(%s::bigint[]) AND b.received_at >= %s"
)


def similar_candidates(*, keys: Iterable[int], since: datetime) -> list[tuple[int, Indexed]]:
    """The indexed items received from ``since`` on that share at least one of the band ``keys``,
    each with the key it shares (an item sharing two keys comes twice): one query, the band index
    (key, received_at) finding the rows, each joined to its signature."""
    keys = list(set(keys))
    if not keys:
        return []
    rows: Iterable[tuple[int, str, int, datetime, bytes]]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(_CANDIDATES_SQL, [keys, since])
            rows = cursor.fetchall()
    else:
        rows = (
            SimilarityBand.objects.filter(key__in=keys, received_at__gte=since)
            .order_by()
            .values_list("key", "signature__kind", "signature__item_id", "received_at", "signature__signature")
        )
    return [(key, Indexed(kind, item_id, at, Signature.from_bytes(data))) for key, kind, item_id, at, data in rows]


def near_duplicates(*, user: AnyUser, post: Post | None = None, demand: Demand | None = None) -> QuerySet:
    """The near-duplicates found for one post or demand, most similar first, with the similar item
    and its channel loaded: one query whatever their number. Demands the user may not see are left
    out (posts are visible to whoever reads the monitor)."""
    rows = NearDuplicate.objects.select_related("similar_post__channel", "similar_demand__channel")
    rows = rows.filter(post=post) if post is not None else rows.filter(demand=demand)
    visible = Q(similar_demand__isnull=True) | Q(similar_demand__in=demands_visible(user=user).values("pk"))
    if not user.has_perm("opinions.view_monitor"):
        visible &= Q(similar_post__isnull=True)
    return rows.filter(visible).order_by("-similarity", "pk")[:20]


@dataclass(frozen=True)
class Match:
    """One match for the entry form: what it is, how alike, where it is."""

    kind: str  # "post" or "demand"
    number: str  # the demand's case number ("" for a post)
    channel: str
    title: str
    similarity: int
    url: str
    received_at: datetime


def similar_to_text(*, user: AnyUser, text: str, limit: int = 5, now: datetime | None = None) -> list[Match]:
    """The posts and demands near ``text`` (being typed at entry), most similar first; nothing for
    a text too short to compare. At most three queries: candidates, then their demands and posts."""
    now = now or clock.now()
    typed = signature(text)
    if typed is None:
        return []
    rules = similarity_rules()
    unique = {
        (candidate.kind, candidate.item_id): candidate
        for _key, candidate in similar_candidates(keys=typed.band_keys(), since=now - rules.window)
    }
    scored = [(round(typed.similarity(candidate.signature) * 100), candidate) for candidate in unique.values()]
    scored = sorted(
        ((score, candidate) for score, candidate in scored if score >= rules.threshold),
        key=lambda pair: (-pair[0], -pair[1].received_at.timestamp()),
    )
    demand_ids = [c.item_id for _s, c in scored if c.kind == ItemKind.DEMAND]
    post_ids = [c.item_id for _s, c in scored if c.kind == ItemKind.POST]
    demands = (
        {d.pk: d for d in demands_visible(user=user).filter(pk__in=demand_ids).select_related("channel")}
        if demand_ids
        else {}
    )
    posts = (
        {p.pk: p for p in Post.objects.filter(pk__in=post_ids).select_related("channel")}
        if post_ids and user.has_perm("opinions.view_monitor")
        else {}
    )
    matches = []
    for score, candidate in scored:
        if candidate.kind == ItemKind.DEMAND and candidate.item_id in demands:
            found = demands[candidate.item_id]
            matches.append(
                Match(
                    "demand",
                    found.number,
                    found.channel.name,
                    found.subject[:80],
                    score,
                    reverse("opinions:demand-detail", args=[found.pk]),
                    found.received_at,
                )
            )
        elif candidate.kind == ItemKind.POST and candidate.item_id in posts:
            post = posts[candidate.item_id]
            matches.append(
                Match(
                    "post",
                    "",
                    post.channel.name,
                    post.title[:80],
                    score,
                    reverse("opinions:post-detail", args=[post.pk]),
                    post.found_at,
                )
            )
        if len(matches) == limit:
            break
    return matches

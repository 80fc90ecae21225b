"""Evidence snapshots (取证快照): what was fetched when a post was first seen and when it was taken
down, kept so there is proof after the author deletes it.

Each snapshot's SHA-256 is over ``snapshot_content`` (title, text, the raw item and the moment, as
one canonical JSON text) and is written in the archive record made with it, inside the same
transaction (one record per intake batch, one per takedown): the hash-chained archive vouches for
the hash, the hash for the snapshot."""

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils.translation import gettext as _

from archive.services import archive_record
from bureau import clock
from bureau.types import AnyUser
from opinions.models import Channel, Post, PostSnapshot


def snapshot_content(*, title: str, body: str, raw: dict[str, Any], fetched_at: datetime) -> str:
    """The text a snapshot's hash is computed over (keys sorted, UTC ISO time, no ASCII escaping)."""
    return json.dumps(
        {"title": title, "body": body, "raw": raw, "fetched_at": fetched_at.isoformat()},
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
        sort_keys=True,
    )


def snapshot_hash(*, title: str, body: str, raw: dict[str, Any], fetched_at: datetime) -> str:
    content = snapshot_content(title=title, body=body, raw=raw, fetched_at=fetched_at)
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _json_safe(raw: dict[str, Any]) -> dict[str, Any]:
    # The JSON column gives back what json gives back: hash what will be read, not the feed's objects.
    return json.loads(json.dumps(raw, cls=DjangoJSONEncoder, ensure_ascii=False, default=str))


def _record(snapshot: PostSnapshot, *, actor: AnyUser | None, request: HttpRequest | None, now: datetime) -> None:
    archive_record(
        action="opinions.post.snapshot_taken",
        actor=actor,
        request=request,
        target=snapshot.post,
        summary=_("Evidence snapshot (%(kind)s), SHA-256 %(sha)s")
        % {"kind": snapshot.get_kind_display(), "sha": snapshot.sha256},
        after={"snapshot_id": snapshot.pk, "kind": snapshot.kind, "sha256": snapshot.sha256},
        now=now,
    )


def posts_snapshot_first_seen(
    *,
    channel: Channel,
    posts: Iterable[tuple[Post, dict[str, Any]]],
    actor: AnyUser | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> list[PostSnapshot]:
    """The first-seen snapshot of each new post of one intake batch (with the raw item it came
    from). One archive record for the batch carries every snapshot's hash (``[snapshot, post,
    sha256]``): one record per post would make intake ten times slower. Inside the caller's
    transaction (intake)."""
    now = now or clock.now()
    snapshots = []
    for post, raw in posts:
        raw = _json_safe(raw)
        snapshots.append(
            PostSnapshot(
                post=post,
                kind=PostSnapshot.Kind.FIRST_SEEN,
                title=post.title,
                body=post.body,
                raw=raw,
                fetched_at=now,
                sha256=snapshot_hash(title=post.title, body=post.body, raw=raw, fetched_at=now),
            )
        )
    if not snapshots:
        return []
    PostSnapshot.objects.bulk_create(snapshots, batch_size=500)
    archive_record(
        action="opinions.channel.snapshots_taken",
        actor=actor,
        request=request,
        target=channel,
        summary=_("%(count)s evidence snapshots of new posts") % {"count": len(snapshots)},
        after={"snapshots": [[s.pk, s.post_id, s.sha256] for s in snapshots]},
        now=now,
    )
    return snapshots


def post_snapshot_taken_down(
    *, post: Post, actor: AnyUser | None, request: HttpRequest | None = None, now: datetime | None = None
) -> PostSnapshot:
    """The snapshot at takedown: the post's text as stored now and the raw item last fetched."""
    now = now or clock.now()
    last = PostSnapshot.objects.filter(post=post).order_by("-fetched_at", "-pk").values_list("raw", flat=True).first()
    raw = _json_safe(last or {})
    snapshot = PostSnapshot.objects.create(
        post=post,
        kind=PostSnapshot.Kind.TAKEN_DOWN,
        title=post.title,
        body=post.body,
        raw=raw,
        fetched_at=now,
        sha256=snapshot_hash(title=post.title, body=post.body, raw=raw, fetched_at=now),
    )
    _record(snapshot, actor=actor, request=request, now=now)
    return snapshot

"""Storing incoming items as posts: dedupe, screening, edits kept in the archive; polling feeds.

Guarantees: a post is stored once per channel whatever happens (unique constraint on
(channel, dedupe_key), and the channel row is locked while a batch is stored); an item that comes
back edited updates the post and the archive keeps its earlier text; screening runs on every new
or edited post; one channel's failure never stops another's (each poll is its own task)."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.services import archive_record
from bureau import clock
from bureau.models import Role, Section, User
from bureau.notifications import notification_create
from bureau.search import SEARCH_COLUMNS, search_fill
from bureau.types import AnyUser
from opinions.hooks import posts_created
from opinions.intake.feeds import parse_feed
from opinions.intake.fetch import FetchError, fetch_feed
from opinions.intake.items import IncomingItem
from opinions.models import Channel, Post, PostSpreadSample
from opinions.models.channels import FAILING_AFTER
from opinions.services.evidence import posts_snapshot_first_seen
from opinions.services.screening import ScreeningMatcher, screen_text, screening_matcher
from opinions.services.similarity import posts_index

logger = logging.getLogger(__name__)

LOOKUP_CHUNK = 2000
EDIT_FIELDS = [
    "title",
    "body",
    "link",
    "author",
    "content_hash",
    "hits",
    "category",
    "is_relevant",
    "screening",
    *SEARCH_COLUMNS,
]


@dataclass
class IntakeResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    created_ids: list[int] | None = None

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged, "flagged": self.flagged}


def _unique_items(items: list[IncomingItem]) -> dict[str, IncomingItem]:
    """The last version of each item in the batch (a feed may repeat one)."""
    return {item.dedupe_key: item for item in items}


@transaction.atomic
def posts_ingest(
    *,
    channel: Channel,
    items: list[IncomingItem],
    source: str = Post.Source.FEED,
    actor: User | None = None,
    request: HttpRequest | None = None,
    section: Section | None = None,
    now: datetime | None = None,
) -> IntakeResult:
    """Store a batch of items from one channel. Known items with the same content are skipped
    without being screened again; edited ones are updated and re-screened."""
    now = now or clock.now()
    # Lock the channel row only (not its section): batches for one channel queue up, others don't.
    channel = Channel.objects.select_for_update(of=("self",)).select_related("section").get(pk=channel.pk)
    section = section or channel.section
    batch = _unique_items(items)
    existing: dict[str, tuple[int, str]] = {}
    keys = list(batch)
    for start in range(0, len(keys), LOOKUP_CHUNK):
        chunk = keys[start : start + LOOKUP_CHUNK]
        for pk, key, content_hash in Post.objects.filter(channel=channel, dedupe_key__in=chunk).values_list(
            "pk", "dedupe_key", "content_hash"
        ):
            existing[key] = (pk, content_hash)

    result = IntakeResult(created_ids=[])
    matcher: ScreeningMatcher | None = None
    new_posts: list[Post] = []
    edited: list[tuple[int, IncomingItem]] = []
    for key, item in batch.items():
        known = existing.get(key)
        if known is None:
            matcher = matcher or screening_matcher()
            screening = screen_text(title=item.title, body=item.body, matcher=matcher)
            new_posts.append(
                search_fill(
                    Post(
                        channel=channel,
                        section=section,
                        source=source,
                        external_id=item.external_id,
                        dedupe_key=key,
                        content_hash=item.content_hash,
                        link=item.link,
                        title=item.title[:500],
                        body=item.body,
                        author=item.author[:200],
                        posted_at=item.posted_at or now,
                        found_at=now,
                        hits=screening.hits,
                        category_id=screening.category_id,
                        is_relevant=screening.is_relevant,
                        screening=Post.Screening.FLAGGED if screening.is_prohibited else Post.Screening.CLEAN,
                        entered_by=actor if source != Post.Source.FEED else None,
                        replies=item.replies,
                        reposts=item.reposts,
                        views=item.views,
                    )
                )
            )
        elif known[1] != item.content_hash:
            edited.append((known[0], item))
        else:
            result.unchanged += 1

    created = Post.objects.bulk_create(new_posts, batch_size=1000)
    result.created = len(created)
    result.created_ids = [post.pk for post in created]
    posts_snapshot_first_seen(
        channel=channel,
        posts=[(post, batch[post.dedupe_key].raw) for post in created],
        actor=actor,
        request=request,
        now=now,
    )
    _sample_spread(batch, existing=existing, created=created, now=now)
    posts_index(posts=created, now=now)  # near-duplicates across channels: one lookup for the batch
    for post in created:
        if post.screening == Post.Screening.FLAGGED:
            result.flagged += 1
            _record_flagged(post, actor=actor, request=request, now=now)

    for pk, item in edited:
        matcher = matcher or screening_matcher()
        if _apply_edit(pk, item, matcher=matcher, actor=actor, request=request, now=now):
            result.flagged += 1
        result.updated += 1

    if result.created or result.updated:
        archive_record(
            action="opinions.channel.posts_received",
            actor=actor,
            request=request,
            target=channel,
            summary=_("%(created)s new, %(updated)s edited, %(flagged)s flagged")
            % {"created": result.created, "updated": result.updated, "flagged": result.flagged},
            # found_on: the day these posts count on, read by the daily figures refresh.
            after={**result.as_dict(), "source": source, "found_on": timezone.localdate(now).isoformat()},
            now=now,
        )
    posts_created(result.created_ids)  # after commit: the alerts app evaluates them at once
    return result


def _sample_spread(
    batch: dict[str, IncomingItem], *, existing: dict[str, tuple[int, str]], created: list[Post], now: datetime
) -> None:
    """Keep the spread each item states as a sample, and on the post as its latest figures."""
    ids = {post.dedupe_key: post.pk for post in created} | {key: pk for key, (pk, _hash) in existing.items()}
    samples = [
        PostSpreadSample(post_id=ids[key], sampled_at=now, replies=item.replies, reposts=item.reposts, views=item.views)
        for key, item in batch.items()
        if item.has_spread and key in ids
    ]
    if not samples:
        return
    PostSpreadSample.objects.bulk_create(samples, batch_size=1000)
    known_ids = {pk for pk, _hash in existing.values()}
    known = [sample for sample in samples if sample.post_id in known_ids]
    Post.objects.bulk_update(
        [Post(pk=s.post_id, replies=s.replies, reposts=s.reposts, views=s.views) for s in known],
        ["replies", "reposts", "views"],
        batch_size=1000,
    )


def _record_flagged(post: Post, *, actor: AnyUser | None, request: HttpRequest | None, now: datetime) -> None:
    words = sorted({hit["text"] for hit in post.hits if hit["purpose"] == "prohibited"})
    archive_record(
        action="opinions.post.flagged",
        actor=actor,
        request=request,
        target=post,
        summary=_("Prohibited words found: %(words)s") % {"words": "、".join(words)[:300]},
        after={"category_id": post.category_id, "words": words[:50]},
        now=now,
    )


def _apply_edit(
    pk: int,
    item: IncomingItem,
    *,
    matcher: ScreeningMatcher,
    actor: AnyUser | None,
    request: HttpRequest | None,
    now: datetime,
) -> bool:
    """Update an edited post, keeping its earlier text in the archive. Returns True if it is newly flagged."""
    post = Post.objects.select_for_update().get(pk=pk)
    before = {"title": post.title, "body": post.body, "link": post.link, "author": post.author}
    screening = screen_text(title=item.title, body=item.body, matcher=matcher)
    post.title, post.body, post.link, post.author = item.title[:500], item.body, item.link, item.author[:200]
    post.content_hash = item.content_hash
    search_fill(post)
    post.hits, post.is_relevant = screening.hits, screening.is_relevant
    newly_flagged = False
    # A decided post keeps its decision; an undecided one follows the new text.
    if post.screening in (Post.Screening.CLEAN, Post.Screening.FLAGGED):
        post.category_id = screening.category_id
        newly_flagged = screening.is_prohibited and post.screening == Post.Screening.CLEAN
        post.screening = Post.Screening.FLAGGED if screening.is_prohibited else Post.Screening.CLEAN
    post.save(update_fields=EDIT_FIELDS)
    archive_record(
        action="opinions.post.edited",
        actor=actor,
        request=request,
        target=post,
        summary=_("The post was edited at its source."),
        before=before,
        after={"title": post.title, "body": post.body, "link": post.link, "author": post.author},
        now=now,
    )
    if newly_flagged:
        _record_flagged(post, actor=actor, request=request, now=now)
    return newly_flagged


# --- Polling ------------------------------------------------------------------------------------


# A claimed poll must report back within this (the poll task's hard limit is 300 s): a poll whose
# worker was killed is due again after it, not after the channel's whole interval.
POLL_LEASE = timedelta(minutes=6)


def _next_turn(started: datetime, interval_minutes: int) -> datetime:
    # Slightly under the interval, so a poll that ran a few seconds late does not skip a turn.
    return started + timedelta(minutes=interval_minutes) - timedelta(seconds=10)


def channels_claim_due(*, now: datetime | None = None) -> list[int]:
    """Claim every feed channel whose poll is due; returns their ids.

    Each claim is a conditional UPDATE that moves ``next_poll_at`` forward, so two beats (or a
    beat and a retry) never claim the same poll twice. The claim holds for ``POLL_LEASE`` at most;
    the poll itself, when it ends (fetched or failed), sets the next turn a whole interval on."""
    now = now or clock.now()
    due = list(
        Channel.objects.feeds()
        .filter(Q(next_poll_at__lte=now) | Q(next_poll_at__isnull=True))
        .values_list("pk", "poll_interval_minutes", "next_poll_at")
    )
    claimed = []
    for pk, interval, next_poll_at in due:
        following = min(_next_turn(now, interval), now + POLL_LEASE)
        updated = Channel.objects.filter(pk=pk, next_poll_at=next_poll_at).update(next_poll_at=following)
        if updated:
            claimed.append(pk)
    return claimed


def channels_dispatch_due(*, now: datetime | None = None) -> list[int]:
    """The beat job: claim due channels and queue one fetch task each (after commit)."""
    # imported here: the task module imports this service (a task and its service)
    from opinions.tasks import channel_poll_task

    with transaction.atomic():
        claimed = channels_claim_due(now=now)

        def publish() -> None:
            for pk in claimed:
                try:
                    channel_poll_task.delay(pk)
                except Exception:  # noqa: BLE001 - broker hiccup: the next minute's beat claims it again
                    logger.warning("opinions.poll.publish_failed channel=%s", pk)
                    Channel.objects.filter(pk=pk).update(next_poll_at=None)

        transaction.on_commit(publish)
    return claimed


def channel_poll(*, channel_id: int, now: datetime | None = None) -> IntakeResult | None:
    """Fetch, parse, screen, dedupe and store one channel's feed, then record its health.

    Never raises for a feed problem: the error is stored on the channel."""
    now = now or clock.now()
    channel = Channel.objects.filter(pk=channel_id).select_related("section").first()
    if channel is None or not channel.is_active or not channel.feed_url:
        return None
    try:
        fetched = fetch_feed(channel.feed_url, etag=channel.feed_etag, last_modified=channel.feed_last_modified)
        health = {
            "last_polled_at": now,
            "last_success_at": now,
            "last_error": "",
            "consecutive_failures": 0,
            "next_poll_at": _next_turn(now, channel.poll_interval_minutes),
        }
        if not fetched.not_modified:
            health.update(feed_etag=fetched.etag, feed_last_modified=fetched.last_modified, feed_digest=fetched.digest)
        # The posts and the channel's health commit together: whoever sees the posts sees the poll
        # recorded, and the hooks that run after the commit (alerts) find both.
        with transaction.atomic():
            if fetched.not_modified or fetched.digest == channel.feed_digest:
                result = IntakeResult(created_ids=[])  # nothing changed since the last successful poll
            else:
                result = posts_ingest(channel=channel, items=parse_feed(fetched.body), now=now)
            Channel.objects.filter(pk=channel.pk).update(**health)
    except FetchError as error:
        channel_record_failure(channel_id=channel.pk, error=str(error), now=now)
        return None
    except Exception:
        logger.exception("opinions.poll.failed channel=%s", channel.pk)
        # Details are in the log; the channel page and the notice get a sentence.
        channel_record_failure(channel_id=channel.pk, error=str(_("The feed could not be read.")), now=now)
        return None
    return result


@transaction.atomic
def channel_record_failure(*, channel_id: int, error: str, now: datetime | None = None) -> int:
    """Count one more consecutive failure; on reaching the limit, tell the supervisors once."""
    now = now or clock.now()
    interval = Channel.objects.filter(pk=channel_id).values_list("poll_interval_minutes", flat=True).first() or 60
    Channel.objects.filter(pk=channel_id).update(
        last_polled_at=now,
        last_error=error[:2000],
        consecutive_failures=F("consecutive_failures") + 1,
        next_poll_at=_next_turn(now, interval),
    )
    channel = Channel.objects.get(pk=channel_id)
    if channel.consecutive_failures == FAILING_AFTER:
        _notify_failing(channel, now=now)
    return channel.consecutive_failures


def _notify_failing(channel: Channel, *, now: datetime) -> None:
    from django.contrib.auth import get_user_model

    since = channel.last_success_at.isoformat() if channel.last_success_at else "never"
    supervisors = get_user_model().objects.filter(person__role=Role.OFFICE_HEAD, is_active=True)
    for user in supervisors:
        notification_create(
            recipient=user,
            kind="opinions.channel_failing",
            dedupe_key=f"opinions.channel_failing:{channel.pk}:{since}",
            title=_("Channel %(name)s is failing") % {"name": channel.name},
            body=_("The last %(count)s polls failed. Last error: %(error)s")
            % {"count": channel.consecutive_failures, "error": channel.last_error},
            link=reverse("opinions:channel-list"),
            now=now,
        )

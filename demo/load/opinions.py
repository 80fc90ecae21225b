"""Load for benchmarks: many posts over many channels and sections, and long keyword lists,
written with bulk_create. Rows bypass the services (no archive records); generated posts carry an
external id starting with "load-" and generated keyword lists a code starting with "load-".

Posts have a stated near-duplicate rate (``--opinions-near-duplicates``, default 20 %): that share
of posts are a re-post of an earlier post on another channel, minutes to two days later, retyped
as people do (traditional characters half the time, other punctuation, about one character in
twenty-five changed, dropped or added), so their folded three-character shingles keep a Jaccard
similarity around 0.7 with the original; the rest are unrelated texts of their own. Several
re-posts may copy one original (a complaint going round the channels). The near-duplicate index is
then filled as intake fills it: the new posts in the order they were found, through
``posts_index``, 5,000 at a time (one candidate query and three inserts per batch). A re-post's
external id names its original (``load-<n>-copies-<original n>``).

Demands repeat at the same rate (重复件: the same citizen's complaint again, through another
channel, one hour to three days after the first, retyped the same way); a repeat's subject names
the demand it repeats (``负载诉求<n>-重复<original n>``). Only handled (closed) demands are
repeated, so the open backlog stays the newest tenth. The demands are indexed as intake indexes
them, in received order, through ``demands_index``."""

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

import opencc
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import QuerySet

from bureau import clock
from bureau.models import Person, Role, Section
from bureau.search import search_fill
from opinions.models import Channel, Demand, DemandKind, Post, ScreeningCategory
from opinions.services.demand_rounds import demand_rounds_backfill
from opinions.services.demands import demand_numbers_take
from opinions.services.similarity import demands_index, posts_index

BATCH = 5_000
# Common characters, so that generated text reads like Chinese and keywords do occur in it.
ALPHABET = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可也你过家学下得里么"
    "文化旅游局县网吧图书馆广电视节目信号投诉建议咨询反映群众市民景区门票演出活动政策公开领导工作"
)
CLOSING = "，。！？"
# What a retyping puts in: another punctuation mark (full or half width), a filler character.
OTHER_PUNCTUATION = "!?,.~ 、；…"
FILLERS = "的了是在有和也就都啊呢吧"
NEAR_DUPLICATE_SHARE = 0.2
# Re-posts copy one of this many originals kept at random (memory stays bounded at any size).
ORIGINALS_KEPT = 5_000


def add_arguments(parser) -> None:
    group = parser.add_argument_group("opinions")
    group.add_argument("--opinions-posts", type=int, default=100_000, help="posts to add")
    group.add_argument("--opinions-channels", type=int, default=20, help="channels to spread them over")
    group.add_argument("--opinions-keywords", type=int, default=10_000, help="keywords over the load lists")
    group.add_argument("--opinions-days", type=int, default=365, help="spread the posts over this many days")
    group.add_argument("--opinions-min-chars", type=int, default=200, help="shortest post text")
    group.add_argument("--opinions-max-chars", type=int, default=400, help="longest post text")
    group.add_argument("--opinions-demands", type=int, default=100_000, help="demands to add (10%% open)")
    group.add_argument(
        "--opinions-near-duplicates",
        type=float,
        default=NEAR_DUPLICATE_SHARE,
        help="share of posts (and of handled demands) that repeat an earlier one, retyped, on another channel "
        "(default 0.2)",
    )


def random_text(rng: random.Random, length: int) -> str:
    parts = []
    while length > 0:
        run = min(length, rng.randint(8, 30))
        parts.append("".join(rng.choices(ALPHABET, k=run)) + rng.choice(CLOSING))
        length -= run + 1
    return "".join(parts)


def random_keywords(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choices(ALPHABET, k=rng.randint(3, 6))))
    return sorted(words)


def generate_keywords(*, count: int, rng: random.Random | None = None) -> int:
    """Spread ``count`` keywords over six load lists (replacing earlier load lists)."""
    rng = rng or random.Random(3)  # noqa: S311 - synthetic data
    ScreeningCategory.objects.filter(code__startswith="load-").delete()
    words = random_keywords(rng, count)
    now = clock.now()
    lists = [
        ScreeningCategory(
            code=f"load-{index}",
            name=f"负载名单{index}",
            purpose=ScreeningCategory.Purpose.PROHIBITED,
            keywords="\n".join(words[index::6]),
            updated_at=now,
            revision=int(time.time()) % 1_000_000,
        )
        for index in range(6)
    ]
    ScreeningCategory.objects.bulk_create(lists)
    return len(words)


def ensure_channels(count: int) -> list[Channel]:
    sections = list(Section.objects.filter(is_active=True))
    if not sections:
        raise CommandError("opinions load needs website sections: run seed_demo first.")
    kinds = [kind for kind, _label in Channel.Kind.choices]
    channels = []
    for index in range(count):
        channel, _ = Channel.objects.get_or_create(
            name=f"负载渠道{index:03d}",
            defaults={"kind": kinds[index % len(kinds)], "section": sections[index % len(sections)]},
        )
        channels.append(channel)
    return channels


@cache
def _to_traditional() -> opencc.OpenCC:
    return opencc.OpenCC("s2t")


def retyped(rng: random.Random, text: str) -> str:
    """``text`` as someone re-posting it elsewhere types it: traditional characters half the time,
    other punctuation, and about one character in twenty-five changed, dropped or added."""
    chars = list(_to_traditional().convert(text) if rng.random() < 0.5 else text)
    for _ in range(max(1, len(chars) // 25)):
        where = rng.randrange(len(chars))
        action = rng.random()
        if action < 0.4:
            chars[where] = rng.choice(FILLERS)
        elif action < 0.7:
            del chars[where]
        else:
            chars.insert(where, rng.choice(FILLERS))
    return "".join(rng.choice(OTHER_PUNCTUATION) if char in CLOSING and rng.random() < 0.5 else char for char in chars)


@dataclass
class _Original:
    number: int
    title: str
    body: str
    found_at: datetime
    channel: int


@dataclass
class LoadedPosts:
    """What ``generate_posts`` wrote: how many posts, and each re-post's number with the number of
    the post it copies (the planted near-duplicates)."""

    written: int = 0
    copies: dict[int, int] = field(default_factory=dict)
    pairs: int = 0  # near-duplicate pairs the index found (each stored both ways)


def generate_posts(
    *,
    count: int,
    channels: list[Channel],
    days: int,
    min_chars: int,
    max_chars: int,
    near_duplicates: float = NEAR_DUPLICATE_SHARE,
    index: bool = True,
    stdout=None,
) -> LoadedPosts:
    """``count`` posts, ``near_duplicates`` of them re-posts (module docstring); with ``index`` the
    near-duplicate index is filled as intake fills it (a benchmark of other pages may skip it)."""
    rng = random.Random(11)  # noqa: S311 - synthetic data
    now = clock.now()
    start = Post.objects.filter(external_id__startswith="load-").count()
    newest_before = Post.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    statuses = (
        [Post.Status.NEW] * 2
        + [Post.Status.READ, Post.Status.FOLLOWED_UP, Post.Status.ANSWERED]
        + [Post.Status.FILED] * 5
    )
    categories = list(ScreeningCategory.objects.filter(purpose="prohibited").values_list("pk", flat=True)) or [None]
    span = days * 24 * 3600
    loaded = LoadedPosts()
    originals: list[_Original] = []
    for batch_start in range(start, start + count, BATCH):
        posts = []
        for number in range(batch_start, min(batch_start + BATCH, start + count)):
            if originals and rng.random() < near_duplicates:
                source = rng.choice(originals)
                # Another channel, minutes to two days after the original (never in the future).
                at = (source.channel + rng.randrange(1, len(channels))) % len(channels) if len(channels) > 1 else 0
                found = min(source.found_at + timedelta(seconds=rng.randint(300, 2 * 86400)), now)
                title, body = f"{retyped(rng, source.title)}#{number}", retyped(rng, source.body)
                loaded.copies[number] = source.number
            else:
                at = number % len(channels)
                found = now - timedelta(seconds=rng.randint(0, span))
                title = random_text(rng, 18)
                body = random_text(rng, rng.randint(min_chars, max_chars))
                original = _Original(number, title, body, found, at)
                if len(originals) < ORIGINALS_KEPT:
                    originals.append(original)
                else:
                    originals[rng.randrange(ORIGINALS_KEPT)] = original
                title = f"{title}#{number}"
            channel = channels[at]
            flagged = rng.random() < 0.01
            posts.append(
                search_fill(
                    Post(
                        channel_id=channel.pk,
                        section_id=channel.section_id,
                        # A re-post names its original: the planted pairs are in the data.
                        external_id=f"load-{number}-copies-{loaded.copies[number]}"
                        if number in loaded.copies
                        else f"load-{number}",
                        dedupe_key=hashlib.sha256(f"load-{number}".encode()).hexdigest(),
                        content_hash="0" * 64,
                        title=title,
                        body=body,
                        author="负载用户",
                        posted_at=found - timedelta(minutes=5),
                        found_at=found,
                        status=rng.choice(statuses),
                        screening=Post.Screening.FLAGGED if flagged else Post.Screening.CLEAN,
                        category_id=rng.choice(categories) if flagged else None,
                        is_relevant=rng.random() < 0.1,
                    )
                )
            )
        Post.objects.bulk_create(posts, batch_size=BATCH)
        loaded.written += len(posts)
        if stdout is not None and loaded.written % 100_000 < BATCH:
            stdout.write(f"opinions: {loaded.written} posts")
    if index:
        loaded.pairs = _posts_index_in_found_order(newer_than=newest_before)
    return loaded


def _posts_index_in_found_order(*, newer_than: int) -> int:
    """Index the new posts as intake would have, oldest first: each is compared only with what was
    found before it within the window."""
    rows = (
        Post.objects.filter(pk__gt=newer_than, external_id__startswith="load-")
        .only("pk", "title", "body", "found_at")
        .order_by("found_at", "pk")
    )
    return _index_in_batches(rows, lambda batch: posts_index(posts=batch))


def _index_in_batches(rows: QuerySet, index: Callable[[list], int]) -> int:
    """``index`` over ``rows`` (already in intake order), ``BATCH`` at a time: the pairs found."""
    batch: list = []
    pairs = 0
    for row in rows.iterator(chunk_size=BATCH):
        batch.append(row)
        if len(batch) == BATCH:
            pairs += index(batch)
            batch = []
    if batch:
        pairs += index(batch)
    return pairs


def generate(*, options, stdout) -> dict:
    channels = ensure_channels(max(options.get("opinions_channels", 20), 1))
    keywords = generate_keywords(count=options.get("opinions_keywords", 10_000))
    share = options.get("opinions_near_duplicates")
    near_duplicates = NEAR_DUPLICATE_SHARE if share is None else min(max(share, 0.0), 1.0)
    posts = generate_posts(
        count=options.get("opinions_posts", 100_000),
        channels=channels,
        days=max(options.get("opinions_days", 365), 1),
        min_chars=options.get("opinions_min_chars", 200),
        max_chars=options.get("opinions_max_chars", 400),
        near_duplicates=near_duplicates,
        stdout=stdout,
    )
    demands = (
        generate_demands(
            count=options.get("opinions_demands", 0),
            near_duplicates=near_duplicates,
            stdout=stdout,
        )
        if options.get("opinions_demands")
        else LoadedDemands()
    )
    return {
        "opinions channels": len(channels),
        "opinions keywords": keywords,
        "opinions posts": posts.written,
        "opinions near-duplicate rows (pairs both ways)": 2 * posts.pairs,
        "opinions demands": demands.written,
        "opinions demand near-duplicate rows (pairs both ways)": 2 * demands.pairs,
    }


def ensure_demand_setup() -> tuple[list[int], list[int]]:
    """Channel ids and staff person ids to spread generated demands over."""

    channel_ids = list(Channel.objects.values_list("pk", flat=True)) or [ch.pk for ch in ensure_channels(5)]
    handler_ids = list(Person.objects.filter(role=Role.STAFF, is_active=True).values_list("pk", flat=True))
    if not handler_ids:
        raise CommandError("opinions load needs staff people: run seed_demo first.")
    return channel_ids, handler_ids


def _number(rows: list[Demand]) -> None:
    """Case numbers for a batch, per year of receipt and in received order, from the real counter."""
    by_year: dict[int, list[Demand]] = {}
    for row in sorted(rows, key=lambda row: row.received_at):
        by_year.setdefault(clock.local_year(row.received_at), []).append(row)
    for year_rows in by_year.values():
        numbers = demand_numbers_take(received_at=year_rows[0].received_at, count=len(year_rows))
        for row, number in zip(year_rows, numbers, strict=True):
            row.number = number


@dataclass
class LoadedDemands:
    """What ``generate_demands`` wrote: how many demands, and the near-duplicate pairs the index
    found (the planted repeats are named in their subjects)."""

    written: int = 0
    pairs: int = 0


@dataclass
class _OriginalDemand:
    number: int
    content: str
    received_at: datetime
    channel: int  # a position in the channel ids


def generate_demands(
    *,
    count: int,
    open_share: float = 0.1,
    days: int = 365,
    near_duplicates: float = NEAR_DUPLICATE_SHARE,
    stdout=None,
) -> LoadedDemands:
    """``count`` demands over ``days``, the newest ``open_share`` of them still open (about half
    of those past their deadline), ``near_duplicates`` of the handled ones repeats (module
    docstring), with bulk_create; then indexed for near-duplicates as intake indexes them.
    Subjects start with "负载诉求"."""

    rng = random.Random(13)  # noqa: S311 - synthetic data
    channel_ids, handler_ids = ensure_demand_setup()
    now = clock.now()
    kinds = list(DemandKind.values)
    open_from = int(count * (1 - open_share))
    loaded = LoadedDemands()
    newest_before = Demand.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    originals: list[_OriginalDemand] = []
    for batch_start in range(0, count, BATCH):
        rows = []
        for number in range(batch_start, min(batch_start + BATCH, count)):
            is_open = number >= open_from
            at = number % len(channel_ids)
            if is_open:
                received = now - timedelta(seconds=rng.randint(0, 48 * 3600))
                content = random_text(rng, 60)
                subject = f"负载诉求{number}"
            elif originals and rng.random() < near_duplicates:
                source = rng.choice(originals)
                if len(channel_ids) > 1:
                    at = (source.channel + rng.randrange(1, len(channel_ids))) % len(channel_ids)
                # One hour to three days later: still handled and called back before now.
                received = source.received_at + timedelta(seconds=rng.randint(3600, 3 * 86400))
                content = retyped(rng, source.content)
                subject = f"负载诉求{number}-重复{source.number}"
            else:
                received = now - timedelta(days=days) + timedelta(seconds=rng.randint(0, (days - 6) * 86400))
                content = random_text(rng, 60)
                subject = f"负载诉求{number}"
                original = _OriginalDemand(number, content, received, at)
                if len(originals) < ORIGINALS_KEPT:
                    originals.append(original)
                else:
                    originals[rng.randrange(ORIGINALS_KEPT)] = original
            replied = None if is_open else received + timedelta(hours=rng.choice([1, 3, 8, 20, 30]))
            rows.append(
                Demand(
                    kind=kinds[number % len(kinds)],
                    channel_id=channel_ids[at],
                    handler_id=handler_ids[number % len(handler_ids)],
                    subject=subject,
                    content=content,
                    state=Demand.State.ASSIGNED if is_open else Demand.State.COMPLETED,
                    received_at=received,
                    due_at=received + timedelta(hours=24),
                    assigned_at=received,
                    replied_at=replied,
                    first_replied_at=replied,
                    completed_at=replied + timedelta(hours=24) if replied else None,
                    satisfaction="" if is_open or number % 3 else Demand.Satisfaction.SATISFIED,
                )
            )
        with transaction.atomic():
            _number(rows)
            for row in rows:
                search_fill(row)
            Demand.objects.bulk_create(rows, batch_size=BATCH)
        loaded.written += len(rows)
        if stdout is not None and loaded.written % 100_000 < BATCH:
            stdout.write(f"opinions: {loaded.written} demands")
    demand_rounds_backfill(demands=Demand.objects.filter(subject__startswith="负载诉求"))  # the rows' rounds
    loaded.pairs = _demands_index_in_received_order(newer_than=newest_before)
    return loaded


def _demands_index_in_received_order(*, newer_than: int) -> int:
    """Index the new demands as intake would have, oldest first (``_posts_index_in_found_order``)."""
    rows = (
        Demand.objects.filter(pk__gt=newer_than, subject__startswith="负载诉求")
        .only("pk", "subject", "content", "received_at", "post_id")
        .order_by("received_at", "pk")
    )
    return _index_in_batches(rows, lambda batch: demands_index(demands=batch))

"""Suggested events: recent posts and demands that seem to be about one issue.

Suggestions come from a list of SOURCES, each a function from the recent items (with their
keywords) to candidate groups: shared keywords, and the near-duplicates intake found across
channels (``opinions.models.NearDuplicate``). Groups from all sources that share an item are joined,
so another source is one more function in ``SOURCES``."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q

from bureau import clock
from bureau.types import AnyUser
from events.keywords import keywords_of
from events.models import EventDemand, EventPost
from opinions.models import Demand, NearDuplicate, Post
from opinions.selectors.demands import demands_visible

WINDOW = timedelta(days=3)
MAX_ITEMS = 500  # the newest; older items of a growing issue join its event by hand
MIN_SHARED = 2  # keywords two items must share to be grouped by the keyword source


@dataclass(frozen=True)
class Item:
    kind: str  # "post" or "demand"
    pk: int
    title: str
    at: datetime
    channel: str
    keywords: tuple[str, ...]

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.pk)


@dataclass
class Candidate:
    """A proposed event: its items, the words they share and which sources proposed it."""

    items: list[Item]
    keywords: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)

    @property
    def post_ids(self) -> list[int]:
        return sorted(i.pk for i in self.items if i.kind == "post")

    @property
    def demand_ids(self) -> list[int]:
        return sorted(i.pk for i in self.items if i.kind == "demand")

    @property
    def channels(self) -> list[str]:
        return sorted({i.channel for i in self.items})

    @property
    def title(self) -> str:
        return "、".join(self.keywords[:3])


Source = Callable[[Sequence[Item]], list[Candidate]]


class _Groups:
    """Union-find over item keys."""

    def __init__(self) -> None:
        self.parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(self, key: tuple[str, int]) -> tuple[str, int]:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def join(self, a: tuple[str, int], b: tuple[str, int]) -> None:
        self.parent[self.find(a)] = self.find(b)


def shared_keywords(items: Sequence[Item]) -> list[Candidate]:
    """Items sharing at least MIN_SHARED keywords belong together (and so, transitively, do their
    partners)."""
    groups = _Groups()
    for i, first in enumerate(items):
        words = set(first.keywords)
        for second in items[i + 1 :]:
            if len(words & set(second.keywords)) >= MIN_SHARED:
                groups.join(first.key, second.key)
    return _candidates(items, groups, source="keywords")


def _candidates(items: Sequence[Item], groups: _Groups, *, source: str) -> list[Candidate]:
    by_root: dict[tuple[str, int], list[Item]] = {}
    for item in items:
        if item.key in groups.parent:
            by_root.setdefault(groups.find(item.key), []).append(item)
    return [Candidate(items=members, sources=[source]) for members in by_root.values() if len(members) > 1]


def near_duplicates(items: Sequence[Item]) -> list[Candidate]:
    """Items that intake found to be near-duplicates of each other (the same complaint on the forum,
    at 12345 and in the mailbox) belong together; one read of the stored pairs among the items."""
    post_ids = [i.pk for i in items if i.kind == "post"]
    demand_ids = [i.pk for i in items if i.kind == "demand"]
    if len(post_ids) + len(demand_ids) < 2:
        return []
    pairs = NearDuplicate.objects.filter(Q(post_id__in=post_ids) | Q(demand_id__in=demand_ids)).values_list(
        "post_id", "demand_id", "similar_post_id", "similar_demand_id"
    )
    present = {i.key for i in items}
    groups = _Groups()
    for post_id, demand_id, similar_post_id, similar_demand_id in pairs:
        item = ("post", post_id) if post_id else ("demand", demand_id)
        similar = ("post", similar_post_id) if similar_post_id else ("demand", similar_demand_id)
        if item in present and similar in present:
            groups.join(item, similar)
    return _candidates(items, groups, source="near-duplicates")


SOURCES: list[tuple[str, Source]] = [("keywords", shared_keywords), ("near-duplicates", near_duplicates)]


def _shared_words(items: Sequence[Item]) -> list[str]:
    """Words in at least two of the items, the most shared first (ties in order of appearance)."""
    counts: dict[str, int] = {}
    for item in items:
        for word in dict.fromkeys(item.keywords):
            counts[word] = counts.get(word, 0) + 1
    return [word for word, n in sorted(counts.items(), key=lambda pair: -pair[1]) if n > 1]


def combine(candidates: list[Candidate]) -> list[Candidate]:
    """Join candidates that share an item; the biggest first, then the newest."""
    groups = _Groups()
    by_key: dict[tuple[str, int], Item] = {}
    sources: dict[tuple[str, int], set[str]] = {}
    for candidate in candidates:
        first = candidate.items[0].key
        for item in candidate.items:
            by_key[item.key] = item
            groups.join(item.key, first)
            sources.setdefault(item.key, set()).update(candidate.sources)
    joined: dict[tuple[str, int], list[Item]] = {}
    for key, item in by_key.items():
        joined.setdefault(groups.find(key), []).append(item)
    result = []
    for members in joined.values():
        members.sort(key=lambda i: (i.at, i.kind, i.pk))
        found_by = sorted(set().union(*(sources[i.key] for i in members)))
        result.append(Candidate(items=members, keywords=_shared_words(members), sources=found_by))
    result.sort(key=lambda c: (-len(c.items), -max(i.at for i in c.items).timestamp()))
    return result


def recent_items(*, user: AnyUser, now: datetime, window: timedelta = WINDOW) -> list[Item]:
    """Posts and demands of the window that the user may see and no event holds yet, newest first,
    with their keywords (two reads and one extraction)."""
    since = now - window
    posts: list[tuple] = []
    if user.has_perm("opinions.view_monitor"):
        posts = list(
            Post.objects.filter(found_at__gte=since, found_at__lte=now)
            .exclude(pk__in=EventPost.objects.values("post_id"))
            .order_by("-found_at", "-pk")
            .values_list("pk", "title", "body", "found_at", "channel__name")[:MAX_ITEMS]
        )
    demands = list(
        demands_visible(user=user)
        .filter(received_at__gte=since, received_at__lte=now)
        .exclude(state=Demand.State.MERGED)
        .exclude(pk__in=EventDemand.objects.values("demand_id"))
        .order_by("-received_at", "-pk")
        .values_list("pk", "subject", "content", "received_at", "channel__name")[:MAX_ITEMS]
    )
    rows = [("post", *row) for row in posts] + [("demand", *row) for row in demands]
    words = keywords_of(f"{title}\n{body}" for _kind, _pk, title, body, _at, _channel in rows)
    return [
        Item(kind=kind, pk=pk, title=title, at=at, channel=channel, keywords=tuple(words[i]))
        for i, (kind, pk, title, _body, at, channel) in enumerate(rows)
    ]


def event_suggestions(*, user: AnyUser, now: datetime | None = None, window: timedelta = WINDOW) -> list[Candidate]:
    """The proposed events of the last ``window``, from every source, joined where they overlap."""
    now = now or clock.now()
    items = recent_items(user=user, now=now, window=window)
    candidates: list[Candidate] = []
    for _name, source in SOURCES:
        candidates.extend(source(items))
    return combine(candidates)

"""The evaluators: each looks at what happened and calls ``alert_raise``.

Two registries, a dict kind → evaluator function each:

- ``POST_EVALUATORS`` look at new posts (keyword schemes, watched sections). ``alerts_evaluate_posts``
  reads the posts stored since its high-water mark (``EvaluationMark``, locked while it runs, so two
  runs never evaluate a post twice) and gives each rule of these kinds the batch. It runs right after
  each intake commits (``opinions.hooks`` → ``alerts.dispatch``) and as a beat job every minute, which
  catches up on anything the broker did not take.
- ``SWEEP_EVALUATORS`` look at the state of things every minute: a prohibited post not handled in
  M minutes; an event with N items that arrived in the last T minutes (``EVENT_VOLUME``); an event
  newly graded level II or higher (``EVENT_LEVEL``). A rule of a kind with no evaluator is skipped
  (and refused in the admin).

Subject keys (one alert per rule and key per quiet window): the keyword scheme's subject word, the
watched section, "unhandled" for the prohibited-content rule (one reminder per window while any post
waits), the event for the volume rule (one alert per event per window: no storms while it grows),
and the event with its level for the level rule (reaching level I after level II is news again)."""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.matching import KeywordScheme
from alerts.models import AlertRule, EvaluationMark
from alerts.services.raising import alert_raise
from bureau import clock
from events.models import Event, EventDemand, EventPost, Level, event_open_q
from opinions.models import Post

logger = logging.getLogger(__name__)

Kind = AlertRule.Kind
PostEvaluator = Callable[[AlertRule, list[Post], datetime], int]
SweepEvaluator = Callable[[AlertRule, datetime], int]

POSTS_MARK = "posts"
POSTS_BATCH = 2000


def keyword_scheme(rule: AlertRule) -> KeywordScheme:
    return KeywordScheme.build(
        subjects=rule.subject_list,
        events=rule.event_list,
        excluded=rule.excluded_list,
        in_title=rule.scope in (AlertRule.Scope.TITLE, AlertRule.Scope.EITHER),
        in_body=rule.scope in (AlertRule.Scope.BODY, AlertRule.Scope.EITHER),
    )


def _post_text(post: Post) -> str:
    return _("%(section)s · %(channel)s\n%(title)s") % {
        "section": post.section.name,
        "channel": post.channel.name,
        "title": post.title,
    }


def evaluate_keywords(rule: AlertRule, posts: list[Post], now: datetime) -> int:
    scheme = keyword_scheme(rule)
    raised = 0
    for post in posts:
        subject = scheme.match(title=post.title, body=post.body)
        if subject is None:
            continue
        alert = alert_raise(
            rule=rule,
            key=f"word:{subject}",
            title=_("%(rule)s: %(title)s") % {"rule": rule.name, "title": post.title},
            text=_post_text(post),
            link=post.get_absolute_url(),
            post=post,
            now=now,
        )
        raised += alert is not None
    return raised


def evaluate_watched_section(rule: AlertRule, posts: list[Post], now: datetime) -> int:
    watched = set(rule.sections.values_list("pk", flat=True))
    raised = 0
    for post in posts:
        if not post.is_relevant or post.section_id not in watched:
            continue
        alert = alert_raise(
            rule=rule,
            key=f"section:{post.section_id}",
            title=_("Relevant post on %(section)s: %(title)s") % {"section": post.section.name, "title": post.title},
            text=_post_text(post),
            link=post.get_absolute_url(),
            post=post,
            now=now,
        )
        raised += alert is not None
    return raised


def evaluate_prohibited_unhandled(rule: AlertRule, now: datetime) -> int:
    """Posts still in the takedown queue ``rule.minutes`` after they were found (found in the last
    day: older ones are the backlog's, already alerted): one alert per quiet window while any waits."""
    limit = timedelta(minutes=rule.minutes or 15)
    waiting = Post.objects.filter(
        screening=Post.Screening.FLAGGED, found_at__lte=now - limit, found_at__gt=now - limit - timedelta(days=1)
    ).order_by("found_at", "pk")
    count = waiting.count()
    if not count:
        return 0
    oldest = waiting.select_related("section", "channel").first()
    assert oldest is not None  # counted above
    alert = alert_raise(
        rule=rule,
        key="unhandled",
        title=_("%(count)s prohibited posts not handled within %(minutes)s minutes")
        % {"count": count, "minutes": rule.minutes or 15},
        text=_post_text(oldest),
        link=reverse("opinions:takedown-queue"),
        post=oldest,
        now=now,
    )
    return int(alert is not None)


def evaluate_event_volume(rule: AlertRule, now: datetime) -> int:
    """Open events with at least ``rule.threshold`` items that arrived (a post found, a demand
    received) at or after ``now - rule.minutes``. Two reads, each starting from the window's items
    (the posts' and demands' time indexes) and grouping them by event."""
    since = now - timedelta(minutes=rule.minutes or 60)
    threshold = rule.threshold or 10
    live = event_open_q("event")
    counts: dict[int, list[int]] = {}
    posts = EventPost.objects.filter(live, post__found_at__gte=since, post__found_at__lte=now)
    for event_id, n in posts.values_list("event_id").annotate(n=Count("pk")).order_by():
        counts.setdefault(event_id, [0, 0])[0] = n
    demands = EventDemand.objects.filter(live, demand__received_at__gte=since, demand__received_at__lte=now)
    for event_id, n in demands.values_list("event_id").annotate(n=Count("pk")).order_by():
        counts.setdefault(event_id, [0, 0])[1] = n
    growing = [pk for pk, (p, d) in counts.items() if p + d >= threshold]
    raised = 0
    for event in Event.objects.filter(pk__in=growing).order_by("pk"):
        posts_n, demands_n = counts[event.pk]
        alert = alert_raise(
            rule=rule,
            key=f"event:{event.pk}",
            title=_("%(rule)s: %(title)s, %(count)s items in %(minutes)s minutes")
            % {"rule": rule.name, "title": event.title, "count": posts_n + demands_n, "minutes": rule.minutes or 60},
            text=_("%(posts)s posts and %(demands)s demands arrived on the event since %(since)s")
            % {"posts": posts_n, "demands": demands_n, "since": timezone.localtime(since).strftime("%H:%M")},
            link=event.get_absolute_url(),
            now=now,
        )
        raised += alert is not None
    return raised


# Level I is above level II: an event "reaching level II" is one graded II or I.
LEVELS_FROM_II = (Level.I, Level.II)


def evaluate_event_level(rule: AlertRule, now: datetime) -> int:
    """Events graded level II or higher within the rule's quiet window: each (event, level) alerts
    once; an event regraded from II to I alerts again."""
    since = now - timedelta(minutes=rule.quiet_minutes)
    graded = Event.objects.filter(
        level__in=LEVELS_FROM_II, graded_at__gt=since, graded_at__lte=now, merged_into__isnull=True
    ).order_by("graded_at", "pk")
    raised = 0
    for event in graded:
        alert = alert_raise(
            rule=rule,
            key=f"event-level:{event.pk}:{event.level}",
            title=_("%(rule)s: %(title)s graded %(level)s")
            % {"rule": rule.name, "title": event.title, "level": event.get_level_display()},
            text=event.summary,
            link=event.get_absolute_url(),
            now=now,
        )
        raised += alert is not None
    return raised


POST_EVALUATORS: dict[str, PostEvaluator] = {
    Kind.KEYWORDS: evaluate_keywords,
    Kind.WATCHED_SECTION: evaluate_watched_section,
}
SWEEP_EVALUATORS: dict[str, SweepEvaluator] = {
    Kind.PROHIBITED_UNHANDLED: evaluate_prohibited_unhandled,
    Kind.EVENT_VOLUME: evaluate_event_volume,
    Kind.EVENT_LEVEL: evaluate_event_level,
}


def has_evaluator(kind: str) -> bool:
    return kind in POST_EVALUATORS or kind in SWEEP_EVALUATORS


def _active_rules(kinds: dict) -> list[AlertRule]:
    return list(AlertRule.objects.filter(is_active=True, kind__in=list(kinds)).prefetch_related("sections"))


# The first run starts with the posts of the last few minutes, not the whole history.
FIRST_RUN_LOOKBACK = timedelta(minutes=10)


def _evaluate_batch(*, now: datetime) -> tuple[int, int]:
    """One batch: (posts evaluated, alerts raised)."""
    with transaction.atomic():
        mark = EvaluationMark.objects.select_for_update().get(name=POSTS_MARK)
        if mark.evaluated_at is None:
            before = Post.objects.filter(found_at__lt=now - FIRST_RUN_LOOKBACK).order_by("-pk")
            mark.last_post_id = max(mark.last_post_id, before.values_list("pk", flat=True).first() or 0)
        posts = list(
            Post.objects.filter(pk__gt=mark.last_post_id)
            .select_related("section", "channel")
            .order_by("pk")[:POSTS_BATCH]
        )
        raised = 0
        if posts:
            for rule in _active_rules(POST_EVALUATORS):
                raised += POST_EVALUATORS[rule.kind](rule, posts, now)
            mark.last_post_id = posts[-1].pk
        mark.evaluated_at = now
        mark.save(update_fields=["last_post_id", "evaluated_at"])
    return len(posts), raised


def alerts_evaluate_posts(*, now: datetime | None = None) -> int:
    """Evaluate the posts stored since the last run against every post rule; returns the alerts raised.

    The mark row is locked for each batch (a second run waits, then finds nothing new) and moved
    to the last post evaluated in the same transaction as the alerts it raised. Posts are taken in
    id order: a post whose intake commits after a later id was evaluated would be passed over —
    intake holds its batch's transaction for milliseconds, and the beat run evaluates at most a few
    seconds behind it, so this is a window we accept rather than a rescan of history."""
    now = now or clock.now()
    EvaluationMark.objects.get_or_create(name=POSTS_MARK)
    raised = 0
    while True:
        evaluated, batch_raised = _evaluate_batch(now=now)
        raised += batch_raised
        if evaluated < POSTS_BATCH:
            return raised


def alerts_evaluate_sweeps(*, now: datetime | None = None) -> int:
    """The beat job's rules (prohibited content not handled in time, the event rules)."""
    now = now or clock.now()
    raised = 0
    for rule in _active_rules(SWEEP_EVALUATORS):
        raised += SWEEP_EVALUATORS[rule.kind](rule, now)
    return raised

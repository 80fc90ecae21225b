"""Briefing benchmark: drafting a day's briefing with BENCH_BRIEFING_POSTS (10,000) posts found
that day, against the dashboard for the same day.

``run()`` expects Django set up on a benchmark database (tests/benchmarks/run.py does that). The
posts are written by one INSERT ... SELECT generate_series over yesterday (Shanghai), 1 in 50 taken
down by category, 1 in 5 relevant; 20 events hold 50 of them each, with a response apiece; the daily
aggregates are rebuilt once, as the beat job would have. Measured (median of five): drafting the
daily briefing (figures, main events, reports upward, the text, the row and its archive record;
the last round's draft deleted before each round, untimed, as a period holds one unsigned
briefing), drafting the same day again while its draft exists (which only opens it), the
dashboard's selector and its page for the same day, and the ratios."""

import os
import statistics
import sys
import time
from pathlib import Path

POSTS = int(os.environ.get("BENCH_BRIEFING_POSTS", "10000"))
EVENTS = 20
POSTS_PER_EVENT = 50


def _result(name, value, unit, target, met) -> dict:
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target, "met": bool(met)}


def _timed(call, repeat: int = 5, before=None) -> float:
    """The median of ``repeat`` timed calls; ``before()`` runs before each, untimed."""
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _fill(total: int, day) -> None:
    from django.db import connection

    from bureau import clock
    from bureau.models import User
    from demo.load.opinions import ensure_channels
    from events.models import Event, EventPost, EventResponse, Level
    from opinions.models import Post, ScreeningCategory

    channels = ensure_channels(20)
    categories = list(
        ScreeningCategory.objects.filter(purpose=ScreeningCategory.Purpose.PROHIBITED).values_list("pk", flat=True)
    ) or [None]
    start = clock.local_midnight(day)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE opinions_post RESTART IDENTITY CASCADE")
        cursor.execute(
            """
            INSERT INTO opinions_post (source, external_id, dedupe_key, content_hash, link, title, body, author,
                posted_at, found_at, status, screening, hits, is_relevant, status_before_takedown, decision_reason,
                channel_id, section_id, category_id, search_text, search_grams)
            SELECT 'feed', 'brief-' || g, md5('brief' || g), md5('c' || g), '', '负载帖子 ' || g, '内容', '',
                r, r,
                CASE WHEN g %% 50 = 0 THEN 'taken_down' WHEN g %% 7 = 0 THEN 'filed' ELSE 'read' END,
                CASE WHEN g %% 50 = 0 THEN 'confirmed' ELSE 'clean' END, '[]'::jsonb, g %% 5 = 0,
                '', '', c.id, c.section_id,
                CASE WHEN g %% 50 = 0
                    THEN (%(categories)s::bigint[])[1 + g %% array_length(%(categories)s::bigint[], 1)] END,
                '', '{}'::text[]
            FROM generate_series(1, %(total)s) AS g
            JOIN LATERAL (SELECT %(start)s + (g * (interval '86399 seconds' / %(total)s)) AS r) t ON true
            JOIN opinions_channel c ON c.id = (%(channels)s::bigint[])[1 + g %% array_length(%(channels)s::bigint[], 1)]
            """,
            {"total": total, "start": start, "channels": [c.pk for c in channels], "categories": categories},
        )
        cursor.execute("VACUUM ANALYZE opinions_post")
    creator = User.objects.get(username="supervisor")
    post_ids = list(Post.objects.order_by("pk").values_list("pk", flat=True)[: EVENTS * POSTS_PER_EVENT])
    levels = [Level.I, Level.II, Level.III, ""]
    for number in range(EVENTS):
        event = Event.objects.create(
            title=f"负载事件 {number}",
            level=levels[number % 4],
            first_seen_at=start,
            created_at=start,
            created_by=creator,
        )
        chunk = post_ids[number * POSTS_PER_EVENT : (number + 1) * POSTS_PER_EVENT]
        EventPost.objects.bulk_create([EventPost(event=event, post_id=pk, added_at=start) for pk in chunk])
        EventResponse.objects.create(
            event=event,
            kind="first_response",
            responded_at=start,
            text="已回应",
            recorded_by=creator,
            recorded_at=start,
        )


def bench_briefings() -> list[dict]:
    from datetime import timedelta

    from django.test import Client

    from bureau import clock
    from bureau.models import User
    from opinions.services.daily_figures import daily_figures_rebuild
    from reports.briefings.services import briefing_draft
    from reports.dashboard.selectors import Period, dashboard
    from reports.models import Briefing

    day = clock.today() - timedelta(days=1)
    _fill(POSTS, day)
    daily_figures_rebuild()
    staff = User.objects.get(username="staff")
    supervisor = User.objects.get(username="supervisor")
    period = Period("range", day, day)
    draft, drafted = briefing_draft(actor=staff, kind=Briefing.Kind.DAILY, day=day)
    assert drafted
    assert draft.figures["posts_found"] == POSTS, draft.figures
    assert dashboard(period=period).posts.found == POSTS

    def drafts_gone() -> None:
        # A period holds one unsigned briefing: a second drafting would only open the first, so
        # each round drafts the day afresh after the last round's draft is deleted (untimed).
        Briefing.objects.filter(kind=Briefing.Kind.DAILY, first=day).delete()

    def draft_afresh() -> None:
        _briefing, drafted = briefing_draft(actor=staff, kind=Briefing.Kind.DAILY, day=day)
        assert drafted

    briefing_time = _timed(draft_afresh, before=drafts_gone)
    opened_time = _timed(lambda: briefing_draft(actor=staff, kind=Briefing.Kind.DAILY, day=day))
    selector_time = _timed(lambda: dashboard(period=period))
    client = Client()
    client.force_login(supervisor)
    url = f"/dashboard/?period=range&from={day.isoformat()}&to={day.isoformat()}"
    assert client.get(url).status_code == 200
    page_time = _timed(lambda: client.get(url))
    return [
        _result(f"briefing: draft a day's briefing, {POSTS:,} posts", briefing_time * 1000, "ms", None, True),
        _result("briefing: draft the same day again (opens the draft)", opened_time * 1000, "ms", None, True),
        _result("briefing: dashboard selector, same day", selector_time * 1000, "ms", None, True),
        _result("briefing: dashboard page, same day", page_time * 1000, "ms", None, True),
        _result("briefing: draft ÷ dashboard selector", briefing_time / selector_time, "×", None, True),
        _result("briefing: draft ÷ dashboard page", briefing_time / page_time, "×", None, True),
    ]


def run() -> list[dict]:
    from django.db import connection

    from bureau import clock
    from demo import organisation as bureau_demo

    bureau_demo.seed(today=clock.today())  # the office's people and sections
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    return bench_briefings()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    import django

    django.setup()
    for row in run():
        print(row)

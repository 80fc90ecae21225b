"""Load for benchmarks: many years of publicity posts, coverage and ledger entries, with bulk_create.

Needs the demo office's people (``seed_demo``) or at least some people; platforms and outlets are
created from the demo lists when missing. Rows are marked with a "[load]" title prefix."""

import random
from datetime import date, datetime, time, timedelta

from django.core.management.base import CommandError
from django.utils import timezone

from bureau import clock
from bureau.models import Person, Role
from bureau.search import search_fill
from demo import publicity as demo
from publicity.models import DisclosureItem, MediaCoverage, PublicityPost, PublicityQuota

PREFIX = "[load] "


def add_arguments(parser) -> None:
    group = parser.add_argument_group("publicity")
    group.add_argument("--publicity-posts", type=int, default=20_000, help="publicity posts to add")
    group.add_argument("--publicity-coverage", type=int, default=5_000, help="media coverage rows to add")
    group.add_argument("--publicity-disclosure", type=int, default=5_000, help="disclosure ledger entries to add")
    group.add_argument("--publicity-years", type=int, default=3, help="spread over this many years up to today")


def generate(*, options, stdout) -> dict:
    rng = random.Random(6)
    today = clock.today()
    people = list(Person.objects.select_related("department"))
    if not people:
        raise CommandError("publicity load needs people: run seed_demo first.")
    leaders = [p for p in people if p.role in (Role.LEADER, Role.DIRECTOR)] or people
    platforms = list(demo._seed_platforms().values())
    outlets = demo._seed_outlets()
    years = max(options.get("publicity_years", 3), 1)
    first_day = date(today.year - years + 1, 1, 1)
    span = (today - first_day).days + 1
    for year in range(first_day.year, today.year + 1):
        PublicityQuota.objects.get_or_create(
            year=year, department=None, platform=None, platform_kind="", defaults={"minimum": 40}
        )
    now = clock.now()
    states = [PublicityPost.State.PUBLISHED] * 8 + list(PublicityPost.State.values)

    def moment(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(9)))

    posts = []
    for index in range(options.get("publicity_posts", 20_000)):
        author = rng.choice(people)
        day = first_day + timedelta(days=rng.randrange(span))
        state = rng.choice(states)
        reviewed = state in ("approved", "returned", "published")
        posts.append(
            PublicityPost(
                title=f"{PREFIX}{rng.choice(demo.ACTIVITIES)} {index}",
                body="近日，我局开展活动，群众反响良好。",
                department=author.department,
                author=author,
                platform=rng.choice(platforms),
                planned_on=day,
                state=state,
                created_at=moment(day),
                updated_at=now,
                submitted_at=moment(day) if state != "draft" else None,
                reviewer=rng.choice(leaders) if reviewed else None,
                reviewed_at=moment(day) if reviewed else None,
                published_on=day if state == "published" else None,
                published_by=author if state == "published" else None,
            )
        )
    created_posts = PublicityPost.objects.bulk_create([search_fill(p) for p in posts], batch_size=2_000)
    published = [p for p in created_posts if p.state == "published"] or [None]
    coverage = [
        MediaCoverage(
            outlet=rng.choice(outlets),
            reported_on=first_day + timedelta(days=rng.randrange(span)),
            title=f"{PREFIX}报道 {index}",
            post=rng.choice(published),
            recorded_by=rng.choice(people),
            recorded_at=now,
        )
        for index in range(options.get("publicity_coverage", 5_000))
    ]
    MediaCoverage.objects.bulk_create([search_fill(c) for c in coverage], batch_size=2_000)
    disclosure = [
        DisclosureItem(
            title=f"{PREFIX}政府信息 {index}",
            category=rng.choice(DisclosureItem.Category.values),
            published_on=first_day + timedelta(days=rng.randrange(span)),
            platform=rng.choice(platforms),
            department=(person := rng.choice(people)).department,
            approved_by=rng.choice(leaders),
            recorded_by=person,
            recorded_at=now,
        )
        for index in range(options.get("publicity_disclosure", 5_000))
    ]
    DisclosureItem.objects.bulk_create([search_fill(d) for d in disclosure], batch_size=2_000)
    counts = {
        "publicity posts": len(created_posts),
        "media coverage": len(coverage),
        "disclosure ledger entries": len(disclosure),
    }
    if stdout is not None:
        stdout.write("publicity: " + ", ".join(f"{label}: {count}" for label, count in counts.items()))
    return counts

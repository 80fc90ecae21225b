"""Demo publicity: platforms and outlets, last year's quota met early, this year's behind pace,
posts at every stage (some waiting too long, some returned), coverage, monthly statistics and
the disclosure ledger. Posts and coverage go through the publicity services (created, submitted,
approved, published, recorded at the times they happened). Idempotent: rows are found by natural
keys (titles, names, months) that do not depend on the day the demo is seeded."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from bureau import clock
from bureau.models import Department, Person
from publicity.models import (
    DisclosureItem,
    MediaCoverage,
    MediaOutlet,
    Platform,
    PlatformStatistic,
    PublicityPost,
    PublicityQuota,
)
from publicity.services import posts as services
from publicity.services.records import coverage_create

# key → (name, section, kind, url)
PLATFORMS = {
    "site": ("县文化广电和旅游局网站", "工作动态", Platform.Kind.BUREAU_SITE, "https://wgl.example.gov.cn"),
    "county": ("县人民政府门户网站", "部门动态", Platform.Kind.COUNTY_SITE, "https://www.example.gov.cn"),
    "county_open": ("县人民政府门户网站", "政府信息公开", Platform.Kind.COUNTY_SITE, "https://www.example.gov.cn/xxgk"),
    "rongmei": ("县融媒体中心“今日县城”", "文旅频道", Platform.Kind.COUNTY_SITE, "https://news.example.cn"),
    "weibo": ("@县文广旅局 官方微博", "", Platform.Kind.MICROBLOG, "https://weibo.example.com/wgl"),
    "wechat": ("“文旅县城”微信公众号", "", Platform.Kind.WECHAT, ""),
    "paper": ("南通日报", "县域版", Platform.Kind.NEWSPAPER, ""),
    "tv": ("县电视台", "新闻联播", Platform.Kind.TV, ""),
}

# name, level, kind
OUTLETS = [
    ("人民网", MediaOutlet.Level.NATIONAL, MediaOutlet.Kind.WEB),
    ("新华日报", MediaOutlet.Level.PROVINCIAL, MediaOutlet.Kind.PRINT),
    ("交汇点新闻客户端", MediaOutlet.Level.PROVINCIAL, MediaOutlet.Kind.NEW_MEDIA),
    ("江苏新闻网", MediaOutlet.Level.PROVINCIAL, MediaOutlet.Kind.WEB),
    ("南通日报", MediaOutlet.Level.CITY, MediaOutlet.Kind.PRINT),
    ("江海明珠网", MediaOutlet.Level.CITY, MediaOutlet.Kind.WEB),
    ("南通电视台", MediaOutlet.Level.CITY, MediaOutlet.Kind.TV),
    ("县融媒体中心", MediaOutlet.Level.COUNTY, MediaOutlet.Kind.NEW_MEDIA),
]

ACTIVITIES = [
    "开展“送戏下乡”惠民演出",
    "举办非物质文化遗产展演",
    "组织农家书屋阅读推广活动",
    "开展文化市场综合执法检查",
    "举办全民健身广场舞大赛",
    "推进公共文化服务体系建设",
    "开展安全生产大检查",
    "召开旅游发展工作推进会",
    "开展网吧专项整治行动",
    "举办乡村文化旅游节",
    "推进广播电视户户通工程",
    "开展文物安全巡查",
    "举办青少年书法美术作品展",
    "开展“扫黄打非”进基层活动",
    "组织文艺骨干业务培训",
    "推出精品旅游线路",
    "开展政策法规宣传进社区",
    "完成县图书馆数字化改造",
    "举办民俗文化摄影大赛",
    "开展节前旅游市场检查",
]

# (username of author, platform keys it rotates through)
AUTHORS = [
    ("wangli", ["county", "site", "weibo"]),
    ("staff", ["site", "county", "wechat"]),
    ("zhaomin", ["rongmei", "weibo", "county"]),
    ("liuyang", ["site", "county"]),
    ("sunhao", ["tv", "rongmei"]),
    ("zhouting", ["county", "paper"]),
    ("zhangwei", ["wechat", "site"]),
]
REVIEWERS = ["lichunhua", "leader"]

DISCLOSURES = [
    ("关于公布县级非物质文化遗产代表性项目名录的通知", DisclosureItem.Category.NOTICE),
    ("部门预算公开", DisclosureItem.Category.BUDGET),
    ("部门决算公开", DisclosureItem.Category.BUDGET),
    ("行政许可事项清单", DisclosureItem.Category.LICENSING),
    ("文化市场行政处罚结果公示", DisclosureItem.Category.PENALTY),
    ("文化旅游发展规划", DisclosureItem.Category.PLANNING),
    ("局机关内设机构及职能", DisclosureItem.Category.ORGANISATION),
    ("公开招聘工作人员拟聘用人员公示", DisclosureItem.Category.PERSONNEL),
    ("关于加强网吧管理的若干规定", DisclosureItem.Category.POLICY),
    ("A级旅游景区复核结果公告", DisclosureItem.Category.NOTICE),
]


def _moment(day: date, hour: int = 9) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _seed_platforms() -> dict[str, Platform]:
    platforms = {}
    for order, (key, (name, section, kind, url)) in enumerate(PLATFORMS.items()):
        platforms[key], _ = Platform.objects.update_or_create(
            name=name, section=section, defaults={"kind": kind, "url": url, "sort_order": order}
        )
    return platforms


def _seed_outlets() -> list[MediaOutlet]:
    return [
        MediaOutlet.objects.update_or_create(name=name, defaults={"level": level, "kind": kind, "sort_order": order})[0]
        for order, (name, level, kind) in enumerate(OUTLETS)
    ]


def _seed_quotas(today: date, platforms: dict[str, Platform]) -> None:
    publicity_department = Department.objects.filter(name="宣传科").first()
    tourism = Department.objects.filter(name="旅游发展科").first()
    for year in (today.year - 1, today.year):
        PublicityQuota.objects.update_or_create(
            year=year,
            department=None,
            platform=None,
            platform_kind="",
            defaults={"minimum": 30 if year < today.year else 50, "notes": "县委宣传部下达的年度正面宣传任务数"},
        )
        PublicityQuota.objects.update_or_create(
            year=year,
            department=None,
            platform=None,
            platform_kind=Platform.Kind.COUNTY_SITE,
            defaults={"minimum": 15 if year < today.year else 30, "notes": "县指定网站及版块"},
        )
    if publicity_department:
        PublicityQuota.objects.update_or_create(
            year=today.year, department=publicity_department, platform=None, platform_kind="", defaults={"minimum": 3}
        )
    if tourism:
        PublicityQuota.objects.update_or_create(
            year=today.year, department=tourism, platform=None, platform_kind="", defaults={"minimum": 10}
        )


_STEPS_DONE = {"draft": 1, "submitted": 2, "returned": 3, "approved": 3, "published": 4}


@dataclass
class _PostPlan:
    title: str
    activity: str
    author: Person
    platform: Platform
    planned_on: date
    state: str  # where the post ends up
    reviewer: Person | None = None
    comment: str = ""
    link: str = ""


def _history(today: date, platforms: dict[str, Platform], people: dict[str, Person]) -> list[_PostPlan]:
    """Last year's and this year's published posts: one every eight days from 3 January, up to four
    days ago. The dates come from the calendar alone, so a later seed day only adds new posts."""
    plans = []
    for year in (today.year - 1, today.year):
        day, number = date(year, 1, 3), 0
        while day.year == year and day <= today - timedelta(days=4):
            serial = year * 100 + number
            username, keys = AUTHORS[serial % len(AUTHORS)]
            platform = platforms[keys[serial % len(keys)]]
            activity = ACTIVITIES[serial % len(ACTIVITIES)]
            plans.append(
                _PostPlan(
                    title=f"{day.year}年{day.month}月{day.day}日：我局{activity}",
                    activity=activity,
                    author=people[username],
                    platform=platform,
                    planned_on=day,
                    state=PublicityPost.State.PUBLISHED,
                    reviewer=people[REVIEWERS[serial % 2]],
                    link=f"{platform.url or 'https://wgl.example.gov.cn'}/art/{day:%Y%m%d}/{serial}.html",
                )
            )
            number, day = number + 1, day + timedelta(days=8)
    return plans


# (days from today, author, platform, state, comment): posts waiting at every stage. Their titles
# carry no date, so a later seed day finds the same posts (their dates stay where they were).
PENDING = [
    (-12, "wangli", "county", PublicityPost.State.SUBMITTED, ""),  # waiting far too long
    (-1, "zhaomin", "rongmei", PublicityPost.State.SUBMITTED, ""),
    (2, "staff", "site", PublicityPost.State.SUBMITTED, ""),
    (3, "liuyang", "county", PublicityPost.State.SUBMITTED, ""),
    (-6, "sunhao", "tv", PublicityPost.State.RETURNED, "数据需与县统计局口径一致，请核实后再报。"),
    (1, "staff", "weibo", PublicityPost.State.RETURNED, "标题过长，请精简；配图需注明来源。"),
    (-4, "zhouting", "paper", PublicityPost.State.APPROVED, "同意。"),  # approved, not yet out
    (1, "wangli", "wechat", PublicityPost.State.APPROVED, ""),
    (5, "staff", "county", PublicityPost.State.DRAFT, ""),
    (7, "zhangwei", "site", PublicityPost.State.DRAFT, ""),
]


def _pending(today: date, platforms: dict[str, Platform], people: dict[str, Person]) -> list[_PostPlan]:
    plans = []
    for offset, (days, username, key, state, comment) in enumerate(PENDING):
        activity = ACTIVITIES[(offset * 3) % len(ACTIVITIES)]
        plans.append(
            _PostPlan(
                title=f"我局{activity}",
                activity=activity,
                author=people[username],
                platform=platforms[key],
                planned_on=today + timedelta(days=days),
                state=state,
                reviewer=people[REVIEWERS[offset % 2]] if state in ("approved", "returned") else None,
                comment=comment,
            )
        )
    return plans


def _advance(plan: _PostPlan, post: PublicityPost | None, now: datetime) -> PublicityPost:
    """Take the post through the real services up to its planned state, from wherever it is."""
    target = _STEPS_DONE[plan.state]
    done = _STEPS_DONE[post.state] if post is not None else 0
    times = [
        _moment(plan.planned_on - timedelta(days=5)),
        _moment(plan.planned_on - timedelta(days=3), 10),
        _moment(plan.planned_on - timedelta(days=2), 15),
        _moment(plan.planned_on, 9),
    ]
    # Nothing happens in the future: steps planned after now are moved to just before it, in order.
    times = [min(moment, now - timedelta(minutes=10 * (len(times) - index))) for index, moment in enumerate(times)]
    author = plan.author.user
    for step in range(done, target):
        moment = times[step]
        if step == 0:
            post = services.post_create(
                actor=author,
                title=plan.title,
                body=f"近日，我局{plan.activity}。活动得到群众广泛好评，进一步提升了群众的获得感和满意度。",
                department=plan.author.department,
                platform=plan.platform,
                planned_on=plan.planned_on,
                now=moment,
            )
        elif step == 1:
            post = services.post_submit(post=post, actor=author, now=moment)
        elif step == 2 and plan.state == PublicityPost.State.RETURNED:
            post = services.post_return(post=post, actor=plan.reviewer.user, comment=plan.comment, now=moment)
        elif step == 2:
            post = services.post_approve(post=post, actor=plan.reviewer.user, comment=plan.comment, now=moment)
        else:
            post = services.post_publish(
                post=post, actor=author, published_on=plan.planned_on, link=plan.link, now=moment
            )
    return post


def _seed_posts(today: date, platforms: dict[str, Platform], people: dict[str, Person]) -> list[PublicityPost]:
    """Published at one post every eight days (last year's quota met early; this year's, raised,
    is behind pace), plus posts waiting at every stage, all through the publicity services."""
    now = clock.now()
    plans = _history(today, platforms, people) + _pending(today, platforms, people)
    titles = [plan.title for plan in plans]
    existing = {post.title: post for post in PublicityPost.objects.filter(title__in=titles).order_by("pk")}
    published = []
    for plan in plans:
        post = existing.get(plan.title)
        if post is None or _STEPS_DONE[post.state] < _STEPS_DONE[plan.state]:
            try:
                post = _advance(plan, post, now)
            except ValidationError:
                continue  # changed by hand in the demo meanwhile: leave it as it is
        if plan.state == PublicityPost.State.PUBLISHED:
            published.append(post)
    return published


# Who picks up the bureau's news, in turn: the county's own media most often, then the city paper
# and news site, now and then a provincial outlet or the national one. No name repeats within three
# places, so a post reported by several outlets is reported by different ones.
COVERAGE_ROTATION = [
    "县融媒体中心",
    "南通日报",
    "江海明珠网",
    "县融媒体中心",
    "交汇点新闻客户端",
    "南通日报",
    "县融媒体中心",
    "新华日报",
    "江海明珠网",
    "县融媒体中心",
    "南通日报",
    "人民网",
]
# How many outlets report the n-th published post of a year, in turn (one on average).
COVERAGE_PER_POST = [1, 0, 2, 1, 0, 3, 1, 0]


def _seed_coverage(today: date, outlets: list[MediaOutlet], posts: list[PublicityPost], recorder: Person) -> None:
    """Published posts picked up by the media a day or two later, spread over outlets of every level
    (the county's, the city's, the province's) in a fixed rotation that starts again each year, so a
    later seed day only adds the new reports. Recorded through the service."""
    by_name = {outlet.name: outlet for outlet in outlets}
    known = set(MediaCoverage.objects.values_list("outlet_id", "title", "reported_on"))
    position: dict[int, tuple[int, int]] = {}  # year → (posts seen, reports planned)
    for post in sorted((p for p in posts if p.published_on is not None), key=lambda p: (p.published_on, p.pk)):
        year = post.published_on.year
        seen, planned = position.get(year, (0, 0))
        reports = COVERAGE_PER_POST[seen % len(COVERAGE_PER_POST)]
        position[year] = (seen + 1, planned + reports)
        title = post.title.split("：", 1)[-1].replace("我局", "县文广旅局", 1)
        for number in range(reports):
            outlet = by_name.get(COVERAGE_ROTATION[(planned + number) % len(COVERAGE_ROTATION)])
            reported_on = post.published_on + timedelta(days=1 + number)
            if outlet is None or reported_on > today or (outlet.pk, title, reported_on) in known:
                continue
            coverage_create(
                actor=recorder.user,
                outlet=outlet,
                reported_on=reported_on,
                title=title,
                post=post,
                now=min(_moment(reported_on + timedelta(days=1)), clock.now()),
            )


def _seed_statistics(
    today: date, platforms: dict[str, Platform], recorder: Person, *, now: datetime | None = None
) -> None:
    """A month's figures are recorded early in the month after next (first day + 34 days, 09:00);
    figures not yet recorded at ``now`` are left out, so no row is dated after the seeding."""
    now = now or clock.now()
    month = date(today.year - 1, 1, 1)
    last = today.replace(day=1) - timedelta(days=1)  # the current month is not over yet
    bases = {"weibo": (8200, 120, 24), "wechat": (5600, 90, 12), "site": (0, 0, 30)}
    step = 0
    while month <= last:
        recorded_at = _moment(month + timedelta(days=34))
        for key, (followers, growth, posts) in bases.items():
            if recorded_at > now:
                continue
            PlatformStatistic.objects.update_or_create(
                platform=platforms[key],
                month=month,
                defaults={
                    "followers": followers + growth * step,
                    "posts_published": posts + (step * 7) % 9,
                    "recorded_by": recorder,
                    "recorded_at": recorded_at,
                },
            )
        step += 1
        month = (month + timedelta(days=32)).replace(day=1)


def _seed_disclosure(
    today: date, platforms: dict[str, Platform], people: dict[str, Person], *, now: datetime | None = None
) -> None:
    """Entries are recorded at 09:00 on the day they are published; one not yet recorded at
    ``now`` (seeding early on its day) is left out."""
    now = now or clock.now()
    for year in (today.year - 1, today.year):
        for index, (title, category) in enumerate(DISCLOSURES):
            day = date(year, 1, 10) + timedelta(days=index * 33)
            if day > today or _moment(day) > now:
                continue
            DisclosureItem.objects.update_or_create(
                title=f"{year}年{title}",
                defaults={
                    "category": category,
                    "document_number": f"县文广旅〔{year}〕{index + 3}号" if category in ("policy", "notice") else "",
                    "published_on": day,
                    "platform": platforms["county_open"] if index % 2 else platforms["site"],
                    "link": f"https://www.example.gov.cn/xxgk/{year}/{index + 1}.html",
                    "department": people["zhouting"].department,
                    "approved_by": people[REVIEWERS[index % 2]] if index % 3 else people["director"],
                    "recorded_by": people["zhouting"],
                    "recorded_at": _moment(day),
                },
            )


@transaction.atomic
def seed(*, today: date, now: datetime | None = None) -> dict[str, int]:
    now = now or clock.now()
    people = {p.user.username: p for p in Person.objects.select_related("user", "department")}
    platforms = _seed_platforms()
    outlets = _seed_outlets()
    _seed_quotas(today, platforms)
    posts = _seed_posts(today, platforms, people)
    _seed_coverage(today, outlets, posts, people["supervisor"])
    _seed_statistics(today, platforms, people["staff"], now=now)
    _seed_disclosure(today, platforms, people, now=now)
    return {
        "publicity posts": PublicityPost.objects.count(),
        "quotas": PublicityQuota.objects.count(),
        "media coverage": MediaCoverage.objects.count(),
        "platform statistics": PlatformStatistic.objects.count(),
        "disclosure ledger entries": DisclosureItem.objects.count(),
    }

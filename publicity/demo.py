"""Demo publicity: platforms and outlets, last year's quota met early, this year's behind pace,
posts at every stage (some waiting too long, some returned), coverage, monthly statistics and
the disclosure ledger. Idempotent: rows are found by natural keys (titles, names, months)."""

from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

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
            defaults={"minimum": 30 if year < today.year else 40, "notes": "县委宣传部下达的年度正面宣传任务数"},
        )
        PublicityQuota.objects.update_or_create(
            year=year,
            department=None,
            platform=None,
            platform_kind=Platform.Kind.COUNTY_SITE,
            defaults={"minimum": 20 if year < today.year else 30, "notes": "县指定网站及版块"},
        )
    if publicity_department:
        PublicityQuota.objects.update_or_create(
            year=today.year, department=publicity_department, platform=None, platform_kind="", defaults={"minimum": 3}
        )
    if tourism:
        PublicityQuota.objects.update_or_create(
            year=today.year, department=tourism, platform=None, platform_kind="", defaults={"minimum": 10}
        )


def _post(
    *, title, activity, author, platform, planned_on, state, reviewer=None, comment="", published_on=None, link=""
):
    submitted_at = _moment(planned_on - timedelta(days=3), 10) if state != PublicityPost.State.DRAFT else None
    reviewed_at = _moment(planned_on - timedelta(days=2), 15) if reviewer else None
    post, _ = PublicityPost.objects.update_or_create(
        title=title,
        defaults={
            "body": f"近日，我局{activity}。活动得到群众广泛好评，进一步提升了群众的获得感和满意度。",
            "department": author.department,
            "author": author,
            "platform": platform,
            "planned_on": planned_on,
            "state": state,
            "created_at": _moment(planned_on - timedelta(days=5)),
            "updated_at": reviewed_at or submitted_at or _moment(planned_on - timedelta(days=5)),
            "submitted_at": submitted_at,
            "reviewer": reviewer,
            "reviewed_at": reviewed_at,
            "review_comment": comment,
            "published_on": published_on,
            "link": link,
            "published_by": author if published_on else None,
        },
    )
    return post


def _seed_posts(today: date, platforms: dict[str, Platform], people: dict[str, Person]) -> list[PublicityPost]:
    """Last year: 46 published (met early in the autumn). This year: published at about four
    fifths of the pace the quota needs, so it is behind; plus posts waiting at every stage."""
    published = []
    start_last = date(today.year - 1, 1, 1)
    this_year_start = date(today.year, 1, 1)
    elapsed = max((today - this_year_start).days, 1)
    plan = [(start_last, 46, 365)]
    this_year_count = max(int(40 * 0.78 * elapsed / 365), 1)
    plan.append((this_year_start, this_year_count, max(elapsed - 4, 1)))
    serial = 0
    for first_day, count, span in plan:
        for index in range(count):
            username, keys = AUTHORS[serial % len(AUTHORS)]
            author = people[username]
            day = first_day + timedelta(days=(index * span) // count + 2)
            platform = platforms[keys[serial % len(keys)]]
            activity = ACTIVITIES[serial % len(ACTIVITIES)]
            published.append(
                _post(
                    title=f"{day.year}年{day.month}月{day.day}日：我局{activity}",
                    activity=activity,
                    author=author,
                    platform=platform,
                    planned_on=day,
                    state=PublicityPost.State.PUBLISHED,
                    reviewer=people[REVIEWERS[serial % 2]],
                    published_on=day,
                    link=f"{platform.url or 'https://wgl.example.gov.cn'}/art/{day:%Y%m%d}/{serial}.html",
                )
            )
            serial += 1
    pending = [
        # (days from today, author, platform, state, comment)
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
    for offset, (days, username, key, state, comment) in enumerate(pending):
        day = today + timedelta(days=days)
        reviewer = people[REVIEWERS[offset % 2]] if state in ("approved", "returned") else None
        activity = ACTIVITIES[(offset * 3) % len(ACTIVITIES)]
        _post(
            title=f"我局{activity}（{day.month}月{day.day}日）",
            activity=activity,
            author=people[username],
            platform=platforms[key],
            planned_on=day,
            state=state,
            reviewer=reviewer,
            comment=comment,
        )
    return published


def _seed_coverage(today: date, outlets: list[MediaOutlet], posts: list[PublicityPost], recorder: Person) -> None:
    for index, post in enumerate(posts[::3]):
        outlet = outlets[(index * 5) % len(outlets)]
        MediaCoverage.objects.update_or_create(
            outlet=outlet,
            title=post.title.split("：", 1)[-1].replace("我局", "县文广旅局", 1),
            reported_on=post.published_on + timedelta(days=1),
            defaults={
                "post": post,
                "recorded_by": recorder,
                "recorded_at": _moment(post.published_on + timedelta(days=2)),
            },
        )


def _seed_statistics(today: date, platforms: dict[str, Platform], recorder: Person) -> None:
    month = date(today.year - 1, 1, 1)
    last = today.replace(day=1) - timedelta(days=1)  # the current month is not over yet
    bases = {"weibo": (8200, 120, 24), "wechat": (5600, 90, 12), "site": (0, 0, 30)}
    step = 0
    while month <= last:
        for key, (followers, growth, posts) in bases.items():
            PlatformStatistic.objects.update_or_create(
                platform=platforms[key],
                month=month,
                defaults={
                    "followers": followers + growth * step,
                    "posts_published": posts + (step * 7) % 9,
                    "recorded_by": recorder,
                    "recorded_at": _moment(month + timedelta(days=34)),
                },
            )
        step += 1
        month = (month + timedelta(days=32)).replace(day=1)


def _seed_disclosure(today: date, platforms: dict[str, Platform], people: dict[str, Person]) -> None:
    for year in (today.year - 1, today.year):
        for index, (title, category) in enumerate(DISCLOSURES):
            day = date(year, 1, 10) + timedelta(days=index * 33)
            if day > today:
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
def seed(*, today: date) -> dict[str, int]:
    people = {p.user.username: p for p in Person.objects.select_related("user", "department")}
    platforms = _seed_platforms()
    outlets = _seed_outlets()
    _seed_quotas(today, platforms)
    posts = _seed_posts(today, platforms, people)
    _seed_coverage(today, outlets, posts, people["supervisor"])
    _seed_statistics(today, platforms, people["staff"])
    _seed_disclosure(today, platforms, people)
    return {
        "publicity posts": PublicityPost.objects.count(),
        "quotas": PublicityQuota.objects.count(),
        "media coverage": MediaCoverage.objects.count(),
        "platform statistics": PlatformStatistic.objects.count(),
        "disclosure ledger entries": DisclosureItem.objects.count(),
    }

"""Demo data for the opinions app: channels, a year of posts, screening results, takedowns and
the patrol log. Idempotent: rows are found by natural keys (channel name, a fixed dedupe key per
demo post, section and review time), so running it twice leaves the same data."""

import hashlib
import random
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from archive.models import ArchiveRecord
from bureau import clock
from bureau.models import Person, Section, User
from bureau.search import SEARCH_COLUMNS, search_fill
from demo import demands as demo_demands
from opinions.models import Channel, PatrolRecord, PatrolRule, Post, ScreeningCategory
from opinions.services.screening import screen_text, screening_category_save, screening_matcher
from opinions.services.similarity import posts_index
from opinions.services.takedowns import takedown_clear, takedown_confirm

# (name, kind, section name, demo feed (demo/feeds.py) or "" for a channel typed in by hand, interval,
# failures, last error). The feeds are the office's own, at settings.DEMO_FEED_BASE: offline, they work.
CHANNELS = [
    ("本局论坛", Channel.Kind.OWN_FORUM, "民生诉求", "forum", 2, 0, ""),
    ("局长信箱（网站）", Channel.Kind.OWN_FORUM, "局长信箱互动区", "", 2, 0, ""),
    (
        "县新闻网论坛",
        Channel.Kind.WEBSITE,
        "工作动态",
        "news",
        3,
        0,
        "",
    ),
    ("12345政务服务热线", Channel.Kind.HOTLINE_12345, "民生诉求", "", 2, 0, ""),
    ("县长信箱", Channel.Kind.MAGISTRATE_MAILBOX, "局长信箱互动区", "", 2, 0, ""),
    ("网上信访", Channel.Kind.ONLINE_PETITION, "政务公开", "", 2, 0, ""),
    ("民意直通车热线", Channel.Kind.PARTICIPATION_HOTLINE, "民生诉求", "", 2, 0, ""),
    ("本局官方微博", Channel.Kind.MICROBLOG, "文旅资讯", "weibo", 5, 0, ""),
]

EXTRA_KEYWORDS = {
    "gambling": ["网上赌场", "赌资", "开设赌场", "老虎机"],
    "pornography": ["约炮", "黄片"],
    "violence": ["持刀伤人", "打砸"],
    "guns": ["猎枪出售", "火药枪"],
    "drugs": ["吸毒", "贩毒", "麻古"],
    "defamation": ["恶意中伤", "捏造事实"],
    "watch": ["文化广电", "图书馆", "文化馆", "陈立新", "郁志强", "网吧", "文化市场执法"],
}

SUBJECTS = [
    (
        "城东{n}号网吧深夜仍接纳未成年人",
        "网友反映：城东某网吧晚上十一点后仍有中学生上网，希望文化市场执法大队检查。",
        "文化市场",
    ),
    ("县图书馆周末开放时间咨询", "请问县图书馆周六周日几点开门？少儿阅览室是否开放？", "文旅资讯"),
    ("建议文化馆增开老年舞蹈班", "文化馆的舞蹈班报名太火爆，建议增加周末班次，方便上班族的老人家属。", "民生诉求"),
    ("有线电视信号经常中断", "我家在城南小区，最近一周有线电视信号时断时续，打客服电话没人接。", "广播电视"),
    ("点赞文广旅局的送戏下乡活动", "昨晚村里演出的锡剧非常精彩，老百姓看得很开心，感谢文广旅局！", "工作动态"),
    ("景区门票价格是否有优惠", "请问本县A级景区对六十岁以上老人有没有门票优惠政策？", "文旅资讯"),
    ("广场舞音响噪音扰民", "文化广场每天晚上音响声音太大，一直到十点，影响孩子学习休息。", "民生诉求"),
    ("政府信息公开申请进度", "我上月提交的政府信息公开申请至今没有答复，请问办理进度。", "政务公开"),
    ("KTV违规经营至凌晨", "滨河路一家KTV经常营业到凌晨三点，门口停车混乱，希望有关部门管一管。", "文化市场"),
    ("农家书屋图书更新太慢", "我们村农家书屋的书好几年没更新了，希望能配送一些新书。", "民生诉求"),
    ("文物保护单位周边违章搭建", "县文物保护单位旁边有人搭建彩钢棚，破坏了古建筑的风貌。", "政务公开"),
    ("旅游投诉：导游强制购物", "参加本地一日游，导游带我们进了三个购物店，不买东西就甩脸色。", "文旅资讯"),
]
PROHIBITED = [
    ("群里有人组织賭 博，每晚开局", "有个微信群每天晚上组织网上賭-博，输赢很大，希望警方查处。"),
    ("出售仿真枪、气枪出售，价格优惠", "各类仿真枪、火药枪现货，私聊。"),
    ("某某局领导收受贿赂（造谣）", "有人在论坛捏造事实，恶意中伤局领导，内容完全不实。"),
    ("高价收购冰 毒", "长期收购，联系方式见主页。"),
    ("网上百家乐，稳赚不赔", "注册就送彩金，澳门网上赌场线上开户。"),
    ("同城约炮交友，私信发黄片资源", "同城交友，私聊获取资源。"),
    ("城北夜市持刀伤人视频流出", "有人上传了夜市打砸、持刀伤人的现场视频，画面血腥。"),
]
AUTHORS = [
    "热心市民",
    "城东居民",
    "一位家长",
    "老张",
    "游客小王",
    "匿名网友",
    "退休教师",
    "李女士",
    "赵先生",
    "文艺爱好者",
]


REASONS = {Post.Status.TAKEN_DOWN: "经核实含违禁内容，已删除", Post.Status.FILED: "误报：群众举报线索，予以保留"}


def _key(external_id: str) -> str:
    return hashlib.sha256(f"demo-post-{external_id}".encode()).hexdigest()


def _seed_keywords() -> None:
    admin = User.objects.filter(username="admin").first()
    for code, extra in EXTRA_KEYWORDS.items():
        category = ScreeningCategory.objects.filter(code=code).first()
        if category is None:
            continue
        missing = [word for word in extra if word not in category.keyword_list]
        if missing:
            screening_category_save(category=category, actor=admin, added_text="\n".join(missing))


def _seed_channels() -> dict[str, Channel]:
    sections = {section.name: section for section in Section.objects.all()}
    channels = {}
    for order, (name, kind, section, url, interval, failures, error) in enumerate(CHANNELS):
        channels[name], _ = Channel.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "section": sections[section],
                "feed_url": f"{settings.DEMO_FEED_BASE}/demo/feeds/{url}.rss" if url else "",
                "poll_interval_minutes": interval,
                "consecutive_failures": failures,
                "last_error": error,
                "sort_order": order,
            },
        )
    return channels


def _post_specs(today: date, channels: dict[str, Channel], *, now: datetime):
    """About a year of posts: 3–6 a day, some prohibited, most handled, the last days still new.
    Each day's posts come from that day alone (a seeded random per day, keys like
    ``demo-20260302-3``), so seeding again on a later day keeps every earlier post as it was.
    Today's posts not yet found at ``now`` are left out (seeding at 05:30 showed posts found at
    16:44); seeding again later in the day adds them, as it adds later days."""
    names = list(channels)
    for days_ago in range(365, -1, -1):
        day = today - timedelta(days=days_ago)
        rng = random.Random(f"demo-posts-{day.isoformat()}")  # noqa: S311 - demo data, reproducible
        for number in range(1, rng.randint(3, 6) + 1):
            found = timezone.make_aware(datetime.combine(day, time(rng.randint(7, 22), rng.randint(0, 59))))
            # Every fifth day brings at least one prohibited post, so the queue is never empty for long.
            if rng.random() < 0.03 or (number == 1 and day.toordinal() % 5 == 0):
                title, body = rng.choice(PROHIBITED)
                section = None
            else:
                title, body, section = rng.choice(SUBJECTS)
                title = title.format(n=rng.randint(1, 9))
            channel = channels[rng.choice(names)]
            spec = {
                "key": f"demo-{day:%Y%m%d}-{number}",
                "days_ago": days_ago,
                "channel": channel,
                "section_name": section,
                "title": f"{title}（{day:%m月%d日}）",
                "body": body,
                "author": rng.choice(AUTHORS),
                "found_at": found,
                "posted_at": found - timedelta(minutes=rng.randint(1, 90)),
                "roll": rng.random(),
            }
            if found <= now:  # checked after every draw of this post, so the later posts stay as they were
                yield spec


def _status_for(spec, flagged: bool) -> tuple[str, str]:
    """(status, screening) for a demo post: old prohibited posts were taken down (a few cleared),
    recent ones wait in the queue; old posts were handled, the last two days' are new."""
    if flagged:
        if spec["days_ago"] <= 6:
            return Post.Status.NEW, Post.Screening.FLAGGED
        if spec["roll"] < 0.15:
            return Post.Status.FILED, Post.Screening.CLEARED
        return Post.Status.TAKEN_DOWN, Post.Screening.CONFIRMED
    if spec["days_ago"] <= 1:
        return (Post.Status.NEW if spec["roll"] < 0.7 else Post.Status.READ), Post.Screening.CLEAN
    if spec["roll"] < 0.35:
        return Post.Status.ANSWERED, Post.Screening.CLEAN
    if spec["roll"] < 0.6:
        return Post.Status.FOLLOWED_UP, Post.Screening.CLEAN
    return Post.Status.FILED, Post.Screening.CLEAN


def _seed_posts(today: date, channels: dict[str, Channel]) -> None:
    """Posts arrive as the feed stores them (flagged ones wait in the queue); takedowns and
    cleared flags are then decided through the takedown services, at the time they were decided,
    so the archive and the figures hold what the office did. A decided post is left alone."""
    matcher = screening_matcher()
    sections = {section.name: section for section in Section.objects.all()}
    staff = User.objects.filter(username="staff").first()
    existing = {
        key: (pk, status, screening)
        for key, pk, status, screening in Post.objects.filter(external_id__startswith="demo-").values_list(
            "external_id", "pk", "status", "screening"
        )
    }
    new_posts, updates, decisions = [], [], []
    for spec in _post_specs(today, channels, now=clock.now()):
        screening = screen_text(title=spec["title"], body=spec["body"], matcher=matcher)
        status, screening_state = _status_for(spec, screening.is_prohibited)
        decided = screening_state in (Post.Screening.CONFIRMED, Post.Screening.CLEARED)
        values = {
            "channel": spec["channel"],
            "section": sections.get(spec["section_name"]) or spec["channel"].section,
            "source": Post.Source.FEED if spec["channel"].feed_url else Post.Source.MANUAL,
            "external_id": spec["key"],
            "dedupe_key": _key(spec["key"]),
            "content_hash": hashlib.sha256((spec["title"] + spec["body"]).encode()).hexdigest(),
            "title": spec["title"],
            "body": spec["body"],
            "author": spec["author"],
            "posted_at": spec["posted_at"],
            "found_at": spec["found_at"],
            # Before any decision: a flagged post waits in the queue (read, or filed if cleared later).
            "status": (Post.Status.READ if status == Post.Status.TAKEN_DOWN else status) if decided else status,
            "screening": Post.Screening.FLAGGED if decided else screening_state,
            "category_id": screening.category_id,
            "hits": screening.hits,
            "is_relevant": screening.is_relevant,
        }
        known = existing.get(spec["key"])
        if known is not None and known[2] in (Post.Screening.CONFIRMED, Post.Screening.CLEARED):
            continue  # already decided: history stays as it was
        if known is None:
            new_posts.append(search_fill(Post(**values)))
        else:
            updates.append(search_fill(Post(pk=known[0], **values)))
        if decided and staff is not None:
            decisions.append((spec["key"], screening_state, screening.category_id, spec["found_at"]))
    created = Post.objects.bulk_create(new_posts, batch_size=1000)
    # The demo's posts enter the near-duplicate index as intake's would, oldest first.
    posts_index(posts=sorted(created, key=lambda post: (post.found_at, post.pk)))
    fields = [name for name in values if name not in ("channel", "dedupe_key", "external_id")] + SEARCH_COLUMNS
    Post.objects.bulk_update(updates, fields, batch_size=500)
    if not decisions:
        return
    keys = [key for key, *_rest in decisions]
    posts = {post.external_id: post for post in Post.objects.filter(external_id__in=keys)}
    categories = ScreeningCategory.objects.in_bulk()
    for key, outcome, category_id, found_at in sorted(decisions, key=lambda decision: decision[3]):
        post, decided_at = posts[key], found_at + timedelta(minutes=8)
        if outcome == Post.Screening.CONFIRMED and category_id in categories:
            takedown_confirm(
                post=post,
                actor=staff,
                category=categories[category_id],
                reason=REASONS[Post.Status.TAKEN_DOWN],
                now=decided_at,
            )
        else:
            takedown_clear(post=post, actor=staff, reason=REASONS[Post.Status.FILED], now=decided_at)


def _seed_patrol(today: date) -> None:
    """A week of reviews in working hours, every 8–14 minutes, with a few lapses."""
    rng = random.Random(7)  # noqa: S311 - demo data
    now = timezone.make_aware(datetime.combine(today, time(9, 0)))
    people = {person.pk: person for person in Person.objects.select_related("user")}
    existing = set(PatrolRecord.objects.values_list("section_id", "reviewed_at"))
    records = []
    for section in Section.objects.filter(is_active=True):
        rule, _ = PatrolRule.objects.get_or_create(section=section)
        owner = people[section.owner_id]
        last = None
        for days_ago in range(7, -1, -1):
            day = today - timedelta(days=days_ago)
            if day.weekday() >= 5:
                continue
            moment = timezone.make_aware(datetime.combine(day, time(8, 30)))
            end = timezone.make_aware(datetime.combine(day, time(17, 30)))
            while moment < min(end, now):
                seen = rng.choice([0, 0, 0, 1, 1, 2, 3])  # drawn every time: the same stream on every run
                if (section.pk, moment) not in existing:
                    records.append(
                        PatrolRecord(
                            section=section,
                            reviewer=owner,
                            user=owner.user,
                            reviewed_at=moment,
                            posts_seen=seen,
                        )
                    )
                last = moment
                moment += timedelta(minutes=rng.choice([8, 9, 10, 12, 14, 25]))
        if last:
            PatrolRule.objects.filter(pk=rule.pk).update(
                last_reviewed_at=last, due_at=last + timedelta(minutes=rule.limit_minutes)
            )
    PatrolRecord.objects.bulk_create(records, batch_size=1000)


@transaction.atomic
def seed(*, today: date) -> dict[str, int]:
    _seed_keywords()
    channels = _seed_channels()
    _seed_posts(today, channels)
    _seed_patrol(today)
    demand_counts = demo_demands.seed(today=today)
    return {
        "channels": Channel.objects.count(),
        "posts": Post.objects.count(),
        "in the takedown queue": Post.objects.filter(screening=Post.Screening.FLAGGED).count(),
        "taken down": Post.objects.filter(status=Post.Status.TAKEN_DOWN).count(),
        "patrol records": PatrolRecord.objects.count(),
        **demand_counts,
        "archive records": ArchiveRecord.objects.count(),
    }

"""Demo opinion events: the bureau's own terms and grading rules, three events growing across
channels (one major, graded, with its clocks: authoritative information met, the press response
overdue and escalated), and a few recent posts on one subject left for the suggestions page.

Posts arrive through the intake service (so each has its first-seen snapshot) at the moment they
were found; events and their changes go through the events services. Idempotent: posts are keyed
by external id, events by title, and the clock sweep escalates a clock once."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from assignments.models import CountyTask, IncidentReport
from bureau import clock
from bureau.models import User
from events.models import BureauTerm, Event, EventClock, GradingRule
from events.services import event_clocks_sweep, event_confirm, event_create, event_grade, event_link, event_respond
from opinions.intake.items import IncomingItem
from opinions.models import Channel, Post
from opinions.services.intake import posts_ingest

TERMS = [
    ("县文旅局", BureauTerm.Kind.NAME),
    ("文化和旅游局", BureauTerm.Kind.NAME),
    ("城关镇", BureauTerm.Kind.PLACE),
    ("龙山景区", BureauTerm.Kind.PLACE),
    ("县图书馆", BureauTerm.Kind.SERVICE),
    ("县博物馆", BureauTerm.Kind.SERVICE),
    ("文化广场", BureauTerm.Kind.PLACE),
    ("郁志强", BureauTerm.Kind.LEADER),
    ("陈立新", BureauTerm.Kind.LEADER),
]
RULES = [
    ("I", "24小时内20条以上、4个渠道以上", 24, 20, 4, ""),
    ("I", "涉及伤亡或安全事故", 24, 1, 1, "伤亡\n踩踏\n坍塌"),
    ("II", "24小时内8条以上、3个渠道以上", 24, 8, 3, ""),
    ("III", "24小时内3条以上", 24, 3, 1, ""),
]

# (title, hours before now of its first post, level, items: (hours after the first, channel, title, body,
#  replies, views))
FORUM, NEWS, WEIBO = "本局论坛", "县新闻网论坛", "本局官方微博"
TICKETS = [
    (0, FORUM, "龙山景区门票突然涨价", "龙山景区门票从60元涨到120元，没有听证", None, None),
    (1, WEIBO, "龙山景区门票翻倍？", "龙山景区门票涨价一倍，游客不满", 35, 4200),
    (2, NEWS, "龙山景区门票涨价引热议", "网友热议龙山景区门票涨价", 12, None),
    (3, FORUM, "龙山景区门票涨价合理吗", "龙山景区门票涨价，县文旅局怎么说", None, None),
    (4, WEIBO, "龙山景区门票涨价 县文旅局回应呢", "龙山景区门票涨价，等县文旅局回应", 80, 9100),
    (6, NEWS, "龙山景区门票涨价 网友质疑", "龙山景区门票涨价质疑声不断", 20, None),
    (9, FORUM, "龙山景区门票涨价 本地人也要买票", "龙山景区门票涨价，本地居民也不免票", None, None),
    (12, WEIBO, "龙山景区门票 县文旅局发布说明", "县文旅局就龙山景区门票价格发布说明", 150, 22000),
    (20, FORUM, "龙山景区门票说明还不够", "龙山景区门票涨价说明不清楚", None, None),
    (26, NEWS, "龙山景区门票调整听证何时开", "龙山景区门票价格听证何时召开", 9, None),
]
LIBRARY = [
    (0, FORUM, "县图书馆空调坏了", "县图书馆阅览室空调坏了一周，太热", None, None),
    (5, WEIBO, "县图书馆阅览室太热", "县图书馆空调不制冷，自习的学生很多", 6, 800),
    (22, FORUM, "县图书馆空调什么时候修", "县图书馆空调还没修好", None, None),
    (30, NEWS, "县图书馆空调问题", "县图书馆空调坏了影响读者", 2, None),
]
DANCE = [
    (0, FORUM, "文化广场广场舞噪音扰民", "文化广场晚上广场舞音响太响，噪音扰民", None, None),
    (2, WEIBO, "文化广场噪音太大", "文化广场广场舞噪音到十点", 3, 300),
    (3, FORUM, "文化广场广场舞能不能小声点", "文化广场广场舞噪音影响休息", None, None),
]
# Recent posts on one subject in no event: what the suggestions page proposes.
MUSEUM = [
    (0, FORUM, "县博物馆周一闭馆不方便", "县博物馆周一闭馆，外地游客白跑", None, None),
    (1, WEIBO, "县博物馆闭馆白跑一趟", "县博物馆周一闭馆没提前通知", 4, 500),
    (2, NEWS, "县博物馆闭馆时间建议调整", "建议县博物馆闭馆日调整", None, None),
]
EVENTS = [
    ("龙山景区门票涨价", 30, "I", TICKETS),
    ("县图书馆空调损坏", 60, "II", LIBRARY),
    ("文化广场广场舞噪音", 5, "", DANCE),
]


def _ingest(key: str, start: datetime, items: list[tuple], channels: dict[str, Channel]) -> list[int]:
    """Each item arrives on its channel at its moment; returns the posts' ids (found again on a rerun)."""
    ids = []
    for n, (hours, channel_name, title, body, replies, views) in enumerate(items):
        external_id = f"demo-event-{key}-{n}"
        found = start + timedelta(hours=hours)
        channel = channels[channel_name]
        item = IncomingItem(
            title=title,
            body=body,
            external_id=external_id,
            author="网友",
            posted_at=found - timedelta(minutes=5),
            replies=replies,
            views=views,
            raw={"id": external_id, "title": title, "description": body, "slash_comments": replies},
        )
        if not Post.objects.filter(channel=channel, external_id=external_id).exists():
            posts_ingest(channel=channel, items=[item], now=found)
        ids.append(Post.objects.get(channel=channel, external_id=external_id).pk)
    return ids


def seed(*, today: date) -> dict[str, int]:
    now = clock.now()
    for word, kind in TERMS:
        BureauTerm.objects.get_or_create(word=word, defaults={"kind": kind})
    for level, name, window, items, channels_reached, terms in RULES:
        GradingRule.objects.get_or_create(
            name=name,
            defaults={
                "level": level,
                "window_hours": window,
                "min_items": items,
                "min_channels": channels_reached,
                "watch_terms": terms,
            },
        )
    staff = User.objects.filter(username="staff").first()
    supervisor = User.objects.filter(username="supervisor").first()
    channels = {c.name: c for c in Channel.objects.filter(name__in=[FORUM, NEWS, WEIBO])}
    if staff is None or supervisor is None or len(channels) < 3:
        return {"events": Event.objects.count()}
    for title, hours_ago, level, items in EVENTS:
        start = now - timedelta(hours=hours_ago)
        post_ids = _ingest(title, start, items, channels)
        if Event.objects.filter(title=title).exists():
            continue
        created_at = start + timedelta(hours=items[min(2, len(items) - 1)][0], minutes=10)
        event = event_create(actor=staff, post_ids=post_ids, title=title, now=max(created_at, start))
        if not level:
            continue
        event_confirm(event=event, actor=staff, now=created_at + timedelta(minutes=5))
        event_grade(
            event=event,
            actor=supervisor,
            level=level,
            reason="景区门票价格涉及群众切身利益，多渠道集中反映",
            now=created_at + timedelta(minutes=20),
        )
        if level == "I":
            # Authoritative information within its 5 hours; the press response (24 h) never made: overdue.
            event_respond(
                event=event,
                actor=staff,
                kind="authoritative",
                responded_at=start + timedelta(hours=4, minutes=30),
                text="县文旅局在官方网站发布《关于龙山景区门票价格调整的说明》",
                now=start + timedelta(hours=4, minutes=40),
            )
            event_respond(
                event=event,
                actor=staff,
                kind="first_response",
                responded_at=start + timedelta(hours=3),
                text="官方微博回复：已关注，正在核实",
                now=start + timedelta(hours=3, minutes=5),
            )
            task = CountyTask.objects.order_by("-received_at").first()
            report = IncidentReport.objects.order_by("-reported_at").first()
            if task or report:
                event_link(
                    event=event,
                    actor=staff,
                    task_id=task.pk if task else None,
                    report_id=report.pk if report else None,
                    now=created_at + timedelta(hours=1),
                )
        else:
            event_respond(
                event=event,
                actor=staff,
                kind="first_response",
                responded_at=start + timedelta(hours=20),
                text="县图书馆在论坛回复：已报修，本周内修好",
                now=start + timedelta(hours=20, minutes=5),
            )
    museum_start = timezone.make_aware(datetime.combine(today, time(8, 0)))
    _ingest("museum", min(museum_start, now - timedelta(hours=3)), MUSEUM, channels)
    event_clocks_sweep(now=now)
    return {
        "events": Event.objects.count(),
        "clocks overdue": EventClock.objects.filter(met_at__isnull=True, due_at__lt=now).count(),
        "bureau terms": BureauTerm.objects.count(),
    }

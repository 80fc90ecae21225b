"""The demo office's own feeds, served by the office itself, so a new user sees feed polling work on
a machine with no internet (the demo channels point here, not at made-up public sites).

Each feed shows the posts of the last few ten-minute slots; a new slot brings new posts, so the
monitor fills while `make run` runs. The texts are fixed and contain a few of the screening words,
so the takedown queue and the watch list have something to show."""

from datetime import datetime, timedelta
from email.utils import format_datetime
from xml.sax.saxutils import escape

from django.http import Http404, HttpRequest, HttpResponse

from bureau import clock

SLOT = timedelta(minutes=10)
SLOTS_SHOWN = 6

# slug → (feed title, the titles its posts take in turn)
FEEDS = {
    "forum": (
        "本局论坛",
        [
            "城东图书馆周末开放时间能否延长",
            "建议在文化广场增设夜间照明",
            "反映某网吧晚上仍接纳未成年人",
            "咨询非遗展演的报名方式",
            "小区附近有人开设赌场，请查处",
            "感谢文化馆组织的少儿书法班",
        ],
    ),
    "news": (
        "县新闻网论坛",
        [
            "县博物馆新馆下月试运行",
            "网友热议景区门票调整",
            "乡村文化站建设进展如何",
            "市民点赞广场舞场地改造",
        ],
    ),
    "weibo": (
        "本局官方微博",
        [
            "【提醒】国庆假期文化场馆开放安排",
            "【活动】全民阅读月启动",
            "网友留言：体育馆预约系统打不开",
        ],
    ),
}


def _slot_start(moment: datetime) -> datetime:
    epoch = moment.replace(minute=0, second=0, microsecond=0)
    return epoch + SLOT * ((moment - epoch) // SLOT)


def demo_feed_rss(slug: str, *, now: datetime | None = None) -> bytes:
    """The feed as RSS 2.0: one post per slot for the last ``SLOTS_SHOWN`` slots, newest first."""
    if slug not in FEEDS:
        raise KeyError(slug)
    title, posts = FEEDS[slug]
    latest = _slot_start(now or clock.now())
    items = []
    for back in range(SLOTS_SHOWN):
        slot = latest - SLOT * back
        number = int(slot.timestamp() // SLOT.total_seconds())
        post_title = posts[number % len(posts)]
        items.append(
            "<item>"
            f'<guid isPermaLink="false">demo-{slug}-{number}</guid>'
            f"<title>{escape(post_title)}</title>"
            f"<description>{escape(post_title)}。（演示数据，由本系统自带的演示订阅源生成）</description>"
            f"<author>网友{number % 97:02d}</author>"
            f"<pubDate>{format_datetime(slot)}</pubDate>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://demo.local/</link><description>演示订阅源</description>"
        + "".join(items)
        + "</channel></rss>"
    ).encode("utf-8")


def demo_feed(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        body = demo_feed_rss(slug)
    except KeyError as error:
        raise Http404 from error
    return HttpResponse(body, content_type="application/rss+xml; charset=utf-8")

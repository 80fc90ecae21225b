"""Near-duplicate lookup at intake (MinHash-LSH, ``opinions.services.similarity``) at scale.

``run()`` expects Django set up on a benchmark database (tests/benchmarks/run.py does that).
Sizes come from the environment: BENCH_SIMILARITY_POSTS (1000000 posts indexed in the window),
BENCH_SIMILARITY_PLANTED (1000 planted near-duplicates), BENCH_SIMILARITY_PROBES (300 posts timed
one by one), BENCH_SIMILARITY_KEYWORDS (10000 screening keywords).

The window is filled with short posts (20–90 characters) written from 40 topics of 30 words each
plus common words, so unrelated posts share topic words as real ones do (a road, a school, a
noise complaint). Their signatures and bands are written straight into the index tables (COPY on
PostgreSQL); the posts themselves are not needed by the lookup. Measured:
- the lookup of one new post (``items_lookup``: signature, one candidate query, verification),
  and of the same posts FEED_BATCH at a time as a feed poll brings them, against the screening
  step (``screen_text`` with the keyword lists) for the same post, per post, with the floor of any
  lookup that asks the database (a bare ``SELECT 1`` round trip plus the signature);
- a batch of 1,000 new posts indexed (``items_index``: lookup plus the three inserts), per post;
- recall: 1,000 posts planted as near-duplicates of indexed ones (a few characters changed,
  some traditional characters, other punctuation) must find their original (≥ 90 %);
- false matches: 1,000 new unrelated posts on the same topics must find nothing (≤ 1 %)."""

import io
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

POSTS = int(os.environ.get("BENCH_SIMILARITY_POSTS", "1000000"))
PLANTED = int(os.environ.get("BENCH_SIMILARITY_PLANTED", "1000"))
PROBES = int(os.environ.get("BENCH_SIMILARITY_PROBES", "300"))
KEYWORDS = int(os.environ.get("BENCH_SIMILARITY_KEYWORDS", "10000"))
CHUNK = 20_000
# A feed poll brings its new posts together and intake looks them up together (one candidate
# query); this many is a busy forum's poll.
FEED_BATCH = int(os.environ.get("BENCH_SIMILARITY_FEED_BATCH", "20"))
NEW_ITEM = 10**9  # the id of a post being looked up: not one of the indexed ones

PLACES = [
    "城东路",
    "西门",
    "南街",
    "北关",
    "县一中",
    "实验小学",
    "人民医院",
    "汽车站",
    "菜市场",
    "文化广场",
    "新城小区",
    "幸福里",
    "滨河公园",
    "工业园",
    "老城区",
]
COMMON = [
    "请",
    "有关部门",
    "尽快",
    "处理",
    "希望",
    "领导",
    "重视",
    "一下",
    "市民",
    "反映",
    "问题",
    "严重",
    "多次",
    "至今",
    "没有",
    "解决",
    "谢谢",
    "影响",
    "群众",
    "生活",
]
TOPIC_STEMS = [
    "施工",
    "噪音",
    "扰民",
    "打桩",
    "夜间",
    "工地",
    "渣土",
    "车辆",
    "路面",
    "坑洼",
    "积水",
    "下水道",
    "路灯",
    "不亮",
    "停车",
    "乱收费",
    "食堂",
    "收费",
    "饭菜",
    "质量",
    "学生",
    "老师",
    "补课",
    "校车",
    "安全",
    "医生",
    "挂号",
    "排队",
    "药品",
    "医保",
    "报销",
    "公交",
    "班次",
    "司机",
    "绕路",
    "摊贩",
    "占道",
    "卫生",
    "垃圾",
    "异味",
    "供暖",
    "温度",
    "不热",
    "物业",
    "电梯",
    "故障",
    "漏水",
    "维修",
    "广场舞",
    "音响",
    "网吧",
    "未成年人",
    "演出",
    "门票",
    "景区",
    "图书馆",
    "开放",
    "时间",
    "信号",
    "电视",
]
TRADITIONAL = str.maketrans(
    "东门区长车场医园广书馆时间质费饭学师补乱脏垃圾电视没问题严重尽处领导谢响众",
    "東門區長車場醫園廣書館時間質費飯學師補亂髒垃圾電視沒問題嚴重盡處領導謝響眾",
)
PUNCTUATION = "，。！？、；… "


def _result(name, value, unit, target, met) -> dict:
    return {"name": name, "value": round(value, 3), "unit": unit, "target": target, "met": bool(met)}


def _topics(rng: random.Random) -> list[list[str]]:
    """40 topics of 30 words: a place and stems, overlapping as real complaints do."""
    return [rng.sample(PLACES, 2) + rng.sample(TOPIC_STEMS, 28) for _ in range(40)]


def _post(rng: random.Random, topics: list[list[str]]) -> str:
    topic = rng.choice(topics)
    words = rng.sample(topic, rng.randint(5, 10)) + rng.sample(COMMON, rng.randint(2, 5))
    rng.shuffle(words)
    text = ""
    for word in words:
        text += word + (rng.choice(PUNCTUATION) if rng.random() < 0.3 else "")
    return text


def _near_copy(rng: random.Random, text: str) -> str:
    """Retyped elsewhere: traditional characters, other punctuation, and about one character in
    twenty changed, dropped or added."""
    chars = list(text.translate(TRADITIONAL) if rng.random() < 0.5 else text)
    for _ in range(max(1, len(chars) // 20)):
        where = rng.randrange(len(chars))
        action = rng.random()
        if action < 0.4:
            chars[where] = rng.choice("的了是在有和也就都")
        elif action < 0.7:
            del chars[where]
        else:
            chars.insert(where, rng.choice("的了啊呢吧"))
    copy = "".join(chars)
    for mark in "，。！？":
        if rng.random() < 0.5:
            copy = copy.replace(mark, rng.choice("!?,.~ "))
    return copy


def _fill_index(texts: list[str]) -> None:
    """Signatures and bands of ``texts`` as posts 1…N received over the last 29 days."""
    from django.db import connection

    from bureau import clock
    from opinions.models import SimilarityBand, SimilaritySignature
    from opinions.similarity.minhash import signature

    now = clock.now()
    started = time.perf_counter()
    for start in range(0, len(texts), CHUNK):
        signatures, bands = [], []
        for offset, text in enumerate(texts[start : start + CHUNK]):
            item_id = start + offset + 1
            sig = signature(text)
            if sig is None:
                continue
            at = now - timedelta(days=29) + timedelta(seconds=item_id * 29 * 86400 // len(texts))
            signatures.append((item_id, at, sig))
            bands.extend((item_id, band, key, at) for band, key in enumerate(sig.band_keys()))
        if connection.vendor == "postgresql":
            sig_rows = io.StringIO(
                "".join(f"{i}\tpost\t{i}\t{at.isoformat()}\t\\\\x{sig.to_bytes().hex()}\n" for i, at, sig in signatures)
            )
            band_rows = io.StringIO("".join(f"{i}\t{b}\t{k}\t{at.isoformat()}\n" for i, b, k, at in bands))
            with connection.cursor() as cursor:
                cursor.copy_expert(
                    "COPY opinions_similaritysignature (id, kind, item_id, received_at, signature) FROM STDIN", sig_rows
                )
                cursor.copy_expert(
                    "COPY opinions_similarityband (signature_id, band, key, received_at) FROM STDIN", band_rows
                )
        else:
            SimilaritySignature.objects.bulk_create(
                SimilaritySignature(pk=i, kind="post", item_id=i, received_at=at, signature=sig.to_bytes())
                for i, at, sig in signatures
            )
            SimilarityBand.objects.bulk_create(
                (SimilarityBand(signature_id=i, band=b, key=k, received_at=at) for i, b, k, at in bands),
                batch_size=5000,
            )
        print(f"similarity: {start + CHUNK:,} indexed, {time.perf_counter() - started:.0f}s", file=sys.stderr)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('opinions_similaritysignature', 'id'), "
                "(SELECT MAX(id) FROM opinions_similaritysignature))"
            )
            cursor.execute("ANALYZE opinions_similaritysignature")
            cursor.execute("ANALYZE opinions_similarityband")


def _lookup(text: str, now) -> list[tuple[int, int]]:
    """What intake does for one new post before writing (``items_lookup``): the matches (item id,
    percent)."""
    from opinions.models import ItemKind
    from opinions.services.similarity import Incoming, items_lookup

    lookup = items_lookup(items=[Incoming(ItemKind.POST, NEW_ITEM, text, now)])
    return [(similar[1], percent) for _item, similar, percent in lookup.found]


def bench_similarity() -> list[dict]:
    from django.db import connection, transaction

    from bureau import clock
    from demo.load.opinions import generate_keywords
    from opinions.models import ItemKind
    from opinions.services.screening import screen_text, screening_matcher
    from opinions.services.similarity import Incoming, items_index, items_lookup
    from opinions.similarity.minhash import signature

    rng = random.Random(16)  # noqa: S311 - synthetic data
    topics = _topics(rng)
    texts = [_post(rng, topics) for _ in range(POSTS)]
    _fill_index(texts)
    generate_keywords(count=KEYWORDS)
    matcher = screening_matcher()
    now = clock.now()

    probes = [_post(rng, topics) for _ in range(PROBES)]
    # The floor of any lookup that asks the database: one bare round trip, and the signature with
    # its band keys computed in Python, timed with the same posts in the same loop.
    lookup_times, screen_times, trip_times, signature_times = [], [], [], []
    cursor = connection.cursor()
    for text in probes[:20]:  # warm the caches (fold table, permutations, index pages)
        _lookup(text, now)
        screen_text(title=text, body="", matcher=matcher)
    for text in probes:
        started = time.perf_counter()
        screen_text(title=text, body="", matcher=matcher)
        screen_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        _lookup(text, now)
        lookup_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        cursor.execute("SELECT 1")
        cursor.fetchall()
        trip_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        sig = signature(text)
        if sig is not None:
            sig.band_keys()
        signature_times.append(time.perf_counter() - started)
    cursor.close()
    # The same posts as a feed poll brings them, FEED_BATCH at a time: per post.
    batch_times = []
    for start in range(0, len(probes) - FEED_BATCH + 1, FEED_BATCH):
        poll = [
            Incoming(ItemKind.POST, NEW_ITEM + n, text, now)
            for n, text in enumerate(probes[start : start + FEED_BATCH])
        ]
        started = time.perf_counter()
        items_lookup(items=poll)
        batch_times.append((time.perf_counter() - started) / FEED_BATCH)
    feed_ms = statistics.median(batch_times) * 1000
    lookup_ms = statistics.median(lookup_times) * 1000
    screen_ms = statistics.median(screen_times) * 1000
    trip_ms = statistics.median(trip_times) * 1000
    signature_ms = statistics.median(signature_times) * 1000

    planted_ids = rng.sample(range(1, POSTS + 1), min(PLANTED, POSTS))
    found = sum(1 for item_id in planted_ids if item_id in dict(_lookup(_near_copy(rng, texts[item_id - 1]), now)))
    recall = found / len(planted_ids) * 100
    unrelated = [_post(rng, topics) for _ in range(PLANTED)]
    false = sum(1 for text in unrelated if _lookup(text, now))
    false_rate = false / len(unrelated) * 100

    batch = [
        Incoming(ItemKind.POST, POSTS + 10 + n, _post(rng, topics) if n % 10 else _near_copy(rng, texts[n]), now)
        for n in range(1000)
    ]
    started = time.perf_counter()
    with transaction.atomic():
        pairs = items_index(items=batch, now=now)
        batch_ms = (time.perf_counter() - started) * 1000 / len(batch)
        transaction.set_rollback(True)

    print(
        f"similarity: lookup {lookup_ms:.3f} ms ({feed_ms:.3f} ms in a poll of {FEED_BATCH}), "
        f"screening {screen_ms:.3f} ms, SELECT 1 {trip_ms:.3f} ms, "
        f"signature {signature_ms:.3f} ms per post at {POSTS:,}; "
        f"recall {found}/{len(planted_ids)}, false {false}/{len(unrelated)}; batch {batch_ms:.2f} ms/post, "
        f"{pairs} pairs",
        file=sys.stderr,
    )
    return [
        _result(
            f"similarity: lookup per post at {POSTS:,} posts in the window (median)", lookup_ms, "ms", 5, lookup_ms <= 5
        ),
        _result("similarity: screening step per post, same posts (median)", screen_ms, "ms", None, True),
        _result("similarity: lookup ÷ screening per post", lookup_ms / screen_ms, "×", 1, lookup_ms <= screen_ms),
        _result(f"similarity: lookup per post in a feed poll of {FEED_BATCH} (median)", feed_ms, "ms", None, True),
        _result(
            f"similarity: lookup in a feed poll of {FEED_BATCH} ÷ screening, per post",
            feed_ms / screen_ms,
            "×",
            1,
            feed_ms <= screen_ms,
        ),
        _result("similarity: bare database round trip (SELECT 1) per post (median)", trip_ms, "ms", None, True),
        _result("similarity: signature and band keys per post (median)", signature_ms, "ms", None, True),
        _result(
            "similarity: floor (round trip + signature) ÷ screening",
            (trip_ms + signature_ms) / screen_ms,
            "×",
            None,
            True,
        ),
        _result("similarity: batch of 1,000 indexed (lookup + inserts), per post", batch_ms, "ms", 5, batch_ms <= 5),
        _result(f"similarity: recall on {len(planted_ids):,} planted near-duplicates", recall, "%", 90, recall >= 90),
        _result(
            f"similarity: false matches on {len(unrelated):,} unrelated posts", false_rate, "%", 1, false_rate <= 1
        ),
    ]


def run() -> list[dict]:
    return bench_similarity()


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    import django

    django.setup()
    for row in run():
        print(row)

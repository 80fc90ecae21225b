"""Alert latency (issue 16): from a matching post's arrival at intake to the chat robot's webhook
call, with the design's dispatch, against a local webhook (a threading HTTP server, no internet).

The design: intake calls the ``opinions.hooks`` listeners after its batch commits; the alerts app's
listener publishes the post evaluation task at once; the evaluation raises the alert, whose commit
publishes the outbox task; the outbox posts to the robot through apprise. Beat's one-minute jobs
(evaluate new posts, send alert messages) are the safety net: if the broker does not take the
immediate task, the same high-water mark and the same outbox rows are picked up within a minute, so
the worst case without the hook is the beat interval plus the processing measured below.

``run()`` expects Django set up on a benchmark database (tests/benchmarks/run.py does that) and a
Redis broker (CELERY_BROKER_URL=redis://…); one Celery worker runs in a thread of this process.
BENCH_ALERTS_ROUNDS (10): posts measured one after the other."""

import hashlib
import os
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROUNDS = int(os.environ.get("BENCH_ALERTS_ROUNDS", "10"))
TARGET_SECONDS = 5.0


def _server(received: list[float]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server name
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            received.append(time.perf_counter())
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _office(port: int):
    from django.contrib.auth.models import Group

    from alerts.models import AlertRule, ChatRobot
    from bureau.models import Department, Person, Role, Section, User
    from opinions.models import Channel

    department, _ = Department.objects.get_or_create(name="办公室")
    user, _ = User.objects.get_or_create(username="bench-head")
    head, _ = Person.objects.get_or_create(
        user=user, defaults={"name": "值守主任", "department": department, "role": Role.OFFICE_HEAD}
    )
    user.groups.add(Group.objects.get(name="supervisors"))
    section, _ = Section.objects.get_or_create(name="本局论坛", defaults={"owner": head, "site": Section.Site.FORUM})
    channel, _ = Channel.objects.get_or_create(
        name="预警基准论坛", defaults={"kind": Channel.Kind.OWN_FORUM, "section": section}
    )
    robot, _ = ChatRobot.objects.update_or_create(
        name="基准机器人", defaults={"kind": ChatRobot.Kind.WEBHOOK, "url": f"json://127.0.0.1:{port}/hook"}
    )
    rule, _ = AlertRule.objects.update_or_create(
        name="基准关键词方案",
        defaults={
            "kind": AlertRule.Kind.KEYWORDS,
            "subject_words": "图书馆",
            "event_words": "停水",
            "quiet_minutes": 1,
        },
    )
    rule.robots.set([robot])
    return channel


def _item(n: int):
    from opinions.intake.items import IncomingItem

    key = hashlib.sha256(f"bench-alert-{n}-{time.time_ns()}".encode()).hexdigest()
    return IncomingItem(
        title=f"县图书馆第{n}次停水", body="网友反映图书馆停水，读者无法使用卫生间。", external_id=key, author="网友"
    )


def _wait(received: list[float], count: int, timeout: float = 30) -> float | None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if len(received) >= count:
            return received[count - 1]
        time.sleep(0.005)
    return None


def run() -> list[dict]:
    from celery.contrib.testing.worker import start_worker
    from django.conf import settings

    from alerts.models import AlertQuiet
    from alerts.services.delivery import alert_deliveries_send
    from alerts.services.evaluation import alerts_evaluate_posts
    from bureau.celery import app
    from opinions.hooks import _posts_created_hooks
    from opinions.services.intake import posts_ingest

    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        raise RuntimeError("bench_alerts needs CELERY_BROKER_URL=redis://…")
    received: list[float] = []
    server = _server(received)
    try:
        channel = _office(server.server_address[1])
        alerts_evaluate_posts()  # sets the high-water mark before the first measured post
        latencies: list[float] = []
        with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=10):
            for n in range(ROUNDS):
                AlertQuiet.objects.all().delete()  # each round its own alert (the quiet window is 1 minute)
                expected = len(received) + 1
                started = time.perf_counter()
                posts_ingest(channel=channel, items=[_item(n)])
                arrived = _wait(received, expected)
                if arrived is None:
                    raise RuntimeError(f"round {n}: the webhook was not called within 30 s")
                latencies.append(arrived - started)

        # The beat path's own processing, the broker left out: evaluate and send in this process.
        inline: list[float] = []
        for n in range(ROUNDS):
            AlertQuiet.objects.all().delete()
            expected = len(received) + 1
            started = time.perf_counter()
            saved = list(_posts_created_hooks)  # the hook off: what beat would find
            _posts_created_hooks.clear()
            try:
                posts_ingest(channel=channel, items=[_item(ROUNDS + n)])
            finally:
                _posts_created_hooks.extend(saved)
            alerts_evaluate_posts()
            alert_deliveries_send()
            arrived = _wait(received, expected, timeout=10)
            if arrived is None:
                raise RuntimeError(f"inline round {n}: the webhook was not called")
            inline.append(arrived - started)
    finally:
        server.shutdown()
        server.server_close()

    median, worst = statistics.median(latencies), max(latencies)
    inline_median = statistics.median(inline)
    return [
        {
            "name": f"alert: post arrival → webhook, hook + worker (median of {ROUNDS})",
            "value": round(median * 1000),
            "unit": "ms",
            "target": TARGET_SECONDS * 1000,
            "met": median < TARGET_SECONDS,
        },
        {
            "name": f"alert: post arrival → webhook, hook + worker (worst of {ROUNDS})",
            "value": round(worst * 1000),
            "unit": "ms",
            "target": TARGET_SECONDS * 1000,
            "met": worst < TARGET_SECONDS,
        },
        {
            "name": "alert: beat path's processing (evaluate + send, no broker; add up to 60 s wait for beat)",
            "value": round(inline_median * 1000),
            "unit": "ms",
            "target": float("inf"),
            "met": True,
        },
    ]

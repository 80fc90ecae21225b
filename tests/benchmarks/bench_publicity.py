"""Publicity benchmarks: list pages, quota progress, the home page and the xlsx export on a
database with tens of thousands of posts. ``run()`` expects Django set up on a benchmark database
(tests/benchmarks/run.py does that); ``python tests/benchmarks/bench_publicity.py`` also works with
DATABASE_URL pointing at a scratch database that has been migrated."""

import os
import statistics
import sys
import time
from pathlib import Path

POSTS = int(os.environ.get("BENCH_PUBLICITY_POSTS", "20000"))


def _median_ms(action, repeat: int = 5) -> float:
    action()  # warm caches and connections
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(timings), 1)


def _result(name: str, value: float, unit: str, target: float) -> dict:
    return {"name": name, "value": value, "unit": unit, "target": target, "met": value <= target}


def _ensure_data() -> None:
    from bureau import clock
    from demo import organisation as bureau_demo
    from demo import publicity as publicity_demo
    from demo.load import publicity as load
    from publicity.models import PublicityPost

    bureau_demo.seed(today=clock.today())
    publicity_demo.seed(today=clock.today())
    missing = POSTS - PublicityPost.objects.filter(title__startswith=load.PREFIX).count()
    if missing > 0:
        load.generate(
            options={
                "publicity_posts": missing,
                "publicity_coverage": missing // 4,
                "publicity_disclosure": missing // 4,
                "publicity_years": 3,
            },
            stdout=None,
        )


def run() -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from bureau import clock
    from bureau.models import User
    from publicity import selectors
    from publicity.models import Platform, PublicityPost
    from publicity.selectors import quota_progress_list

    _ensure_data()
    supervisor, leader = Client(), Client()
    supervisor.force_login(User.objects.get(username="supervisor"))
    leader.force_login(User.objects.get(username="leader"))
    year = clock.today().year
    platform = Platform.objects.filter(kind=Platform.Kind.COUNTY_SITE).first()
    list_url = reverse("publicity:post-list")

    def get(client, url, params=None):
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, response.status_code)
        return response

    total = PublicityPost.objects.count()
    results = [
        _result(
            f"publicity list page (first page of {total} posts)",
            _median_ms(lambda: get(supervisor, list_url)),
            "ms",
            300,
        ),
        _result(
            "publicity list page filtered (platform, text, dates)",
            _median_ms(
                lambda: get(
                    supervisor,
                    list_url,
                    {
                        "platform": platform.pk,
                        "q": "文化",
                        "date_from": f"{year - 1}-01-01",
                        "date_to": f"{year}-12-31",
                    },
                )
            ),
            "ms",
            300,
        ),
        _result(
            "publicity list page 50 (deep page)", _median_ms(lambda: get(supervisor, list_url, {"page": 50})), "ms", 400
        ),
        _result(
            "quota progress, all quotas of the year", _median_ms(lambda: quota_progress_list(year=year)), "ms", 100
        ),
        _result("home page for a leader (with the publicity panel)", _median_ms(lambda: get(leader, "/")), "ms", 400),
        _result("approval queue page", _median_ms(lambda: get(leader, reverse("publicity:approval-queue"))), "ms", 300),
        _result(
            "disclosure ledger page",
            _median_ms(lambda: get(supervisor, reverse("publicity:disclosure-list"))),
            "ms",
            300,
        ),
        _result(
            "outlets of the year with counts",
            _median_ms(lambda: get(supervisor, reverse("publicity:outlet-counts"))),
            "ms",
            300,
        ),
    ]
    with CaptureQueriesContext(connection) as queries:
        get(supervisor, list_url)
    results.append(_result("publicity list page queries", len(queries), "queries", 15))

    export_params = {"date_from": f"{year - 1}-01-01"}
    exported_rows = selectors.post_list(user=User.objects.get(username="supervisor"), filters=export_params).count()
    start = time.perf_counter()
    get(supervisor, reverse("publicity:post-export"), export_params)
    seconds = round(time.perf_counter() - start, 2)
    results.append(_result(f"xlsx export of {exported_rows} posts (filtered list)", seconds, "s", 15))
    return results


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    import django

    django.setup()
    for row in run():
        print(f"{row['name']:<60} {row['value']:>10} {row['unit']:<8} target {row['target']}  met={row['met']}")

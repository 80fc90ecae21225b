"""Run the benchmarks (``make bench``): outside the test suite, on a database of their own.

    python tests/benchmarks/run.py                     # every tests/benchmarks/bench_*.py
    python tests/benchmarks/run.py archive publicity   # only bench_archive.py and bench_publicity.py
    python tests/benchmarks/run.py --reuse-db          # keep the data of the last run (faster)

The database is DATABASE_URL's with ``_bench`` added to its name (``bureau`` → ``bureau_bench``),
or BENCH_DATABASE_URL if set; on SQLite, var/bench/bench.sqlite3. It is dropped, created and
migrated afresh for each run, so runs compare like with like and no developer data is touched.

Each benchmark module exposes ``run() -> list[dict]``, each dict one measurement:
``{"name": str, "value": number, "unit": str, "target": number, "met": bool}``. The table is
printed and everything is written to var/bench/results.json. Exits 1 if a module failed, and
with ``--strict`` also if a target was missed."""

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RESULTS = ROOT / "var" / "bench" / "results.json"


def bench_database_url(environ: dict[str, str]) -> str:
    """The benchmarks' own database: never the one the developer works in."""
    if environ.get("BENCH_DATABASE_URL"):
        return environ["BENCH_DATABASE_URL"]
    url = environ.get("DATABASE_URL", "")
    if not url or url.startswith("sqlite"):
        return f"sqlite:///{ROOT / 'var' / 'bench' / 'bench.sqlite3'}"
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "bureau"
    if not name.endswith("_bench"):
        name = f"{name}_bench"
    return urlunsplit(parts._replace(path=f"/{name}"))


def recreate_database(reuse: bool) -> None:
    """Drop and create the benchmark database (PostgreSQL) or file (SQLite), then migrate it."""
    from django.core.management import call_command
    from django.db import connection

    settings_dict = connection.settings_dict
    name = settings_dict["NAME"]
    if connection.vendor == "postgresql":
        if not str(name).endswith("_bench"):
            raise SystemExit(f"refusing to recreate {name!r}: the benchmark database's name must end in _bench")
        import psycopg2
        from psycopg2 import sql

        maintenance = psycopg2.connect(
            dbname="postgres",
            user=settings_dict.get("USER") or None,
            password=settings_dict.get("PASSWORD") or None,
            host=settings_dict.get("HOST") or None,
            port=settings_dict.get("PORT") or None,
        )
        maintenance.autocommit = True
        try:
            with maintenance.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
                exists = cursor.fetchone() is not None
                if exists and not reuse:
                    cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
                    exists = False
                if not exists:
                    cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        finally:
            maintenance.close()
    else:
        path = Path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and not reuse:
            connection.close()
            path.unlink()
    call_command("migrate", interactive=False, verbosity=0)


def discover(only: list[str]) -> list[Path]:
    modules = sorted(HERE.glob("bench_*.py"))
    if only:
        wanted = {name.removeprefix("bench_").removesuffix(".py") for name in only}
        modules = [path for path in modules if path.stem.removeprefix("bench_") in wanted]
        missing = wanted - {path.stem.removeprefix("bench_") for path in modules}
        if missing:
            raise SystemExit(f"no such benchmark: {', '.join(sorted(missing))}")
    return modules


def load_module(path: Path):
    spec = importlib.util.spec_from_file_location(f"benchmarks.{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def checked(rows: object, module: str) -> list[dict]:
    if not isinstance(rows, list):
        raise TypeError(f"{module}.run() returned {type(rows).__name__}, not a list")
    for row in rows:
        missing = {"name", "value", "unit", "target", "met"} - set(row)
        if missing:
            raise TypeError(f"{module}: a result lacks {', '.join(sorted(missing))}: {row!r}")
    return [{"module": module, **row, "met": bool(row["met"])} for row in rows]


def number(value: object) -> str:
    if isinstance(value, float):
        if value == float("inf"):
            return "-"
        return f"{value:,.1f}" if abs(value) < 1000 else f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def print_table(results: list[dict], errors: list[dict]) -> None:
    if results:
        width = max(len(row["name"]) for row in results)
        print(f"\n{'benchmark':<{width}}  {'value':>12}  {'unit':<10} {'target':>10}  met")
        print("-" * (width + 44))
        for row in results:
            mark = "yes" if row["met"] else "NO"
            print(
                f"{row['name']:<{width}}  {number(row['value']):>12}  {row['unit']:<10} "
                f"{number(row['target']):>10}  {mark}"
            )
    for error in errors:
        print(f"\n{error['module']} FAILED: {error['error']}", file=sys.stderr)


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("only", nargs="*", help="benchmark names (bench_<name>.py); default: all")
    parser.add_argument("--reuse-db", action="store_true", help="keep the benchmark database of the last run")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)

    modules = discover(args.only)
    os.environ["DATABASE_URL"] = bench_database_url(dict(os.environ))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bureau.settings")
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from bureau import clock

    # Benchmarks measure the office, not the e-mail server.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    started = time.perf_counter()
    print(f"benchmark database: {connection.vendor} {connection.settings_dict['NAME']}", flush=True)
    recreate_database(reuse=args.reuse_db)
    print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)

    results: list[dict] = []
    errors: list[dict] = []
    for path in modules:
        name = path.stem
        print(f"running {name} ...", flush=True)
        step = time.perf_counter()
        try:
            results.extend(checked(load_module(path).run(), name))
        except Exception as error:  # noqa: BLE001 - one failing benchmark must not hide the others
            traceback.print_exc()
            errors.append({"module": name, "error": f"{type(error).__name__}: {error}"})
        print(f"  {name}: {time.perf_counter() - step:.1f} s", flush=True)

    print_table(results, errors)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "finished_at": clock.now().isoformat(timespec="seconds"),
        "commit": git_commit(),
        "database": connection.vendor,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "seconds": round(time.perf_counter() - started, 1),
        "results": [
            {**row, "value": _json_number(row["value"]), "target": _json_number(row["target"])} for row in results
        ],
        "errors": errors,
    }
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {RESULTS.relative_to(ROOT)}")

    if errors:
        return 1
    if args.strict and not all(row["met"] for row in results):
        return 1
    return 0


def _json_number(value: object) -> object:
    """JSON has no infinity: float('inf') (used for "no target") is written as null."""
    return None if isinstance(value, float) and value == float("inf") else value


if __name__ == "__main__":
    sys.exit(main())

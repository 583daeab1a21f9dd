"""Benchmark the atlas as production runs it: gunicorn, production settings, PostgreSQL.

For each data size (by default 1,000 and 100,000 case studies) it fills a separate database with
the synthetic data set (once; later runs reuse it), starts gunicorn on loopback, and drives each
endpoint with wrk (a separate process) at the given concurrency for a bounded time. It prints,
and writes to a JSON file: requests per second, p50/p95/p99 latency, errors, SQL queries per
request (uncached, measured in-process) and the workers' peak memory; and the growth ratio of
each p95 from the smallest size to the largest.

    .venv/bin/python bench/run.py                      # 1,000 and 100,000, concurrency 8
    .venv/bin/python bench/run.py --sizes 1000 --duration 5

Needs PostgreSQL (POSTGRES_URL, default postgres://postgres@127.0.0.1:5432) and wrk (Debian's
package). Only loopback addresses are used. Pages are measured warm: each path is fetched once
before wrk runs, and that first, uncached fetch is reported too ("cold_ms"). Then first visits
(bench/harness/cold.py): streams of distinct URLs, each asked once (random filter states, the
same states through the API, searches, record pages), and the first list after a publication.
The cold streams' p95 growth from the smallest size to the largest is the figure to watch."""

import argparse
import csv
import io
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg
import redis
from harness.cold import COLD_ENDPOINTS, after_publication, cold_paths, measure_cold
from harness.processes import PYTHON, ROOT, free_port, run, start_gunicorn
from harness.report import print_table

ENDPOINTS = [
    "home",
    "list",
    "list_two_facets",
    "list_facets_years",
    "case_study",
    "actor",
    "search",
    "api_list",
    "api_detail",
    "api_stats",
    "csv_10k",
    "json_10k",
    "list_draft_edits",
]
# The exports: a whole body per request, so asked at most two at a time, and their rows counted.
EXPORTS = {"csv_10k", "json_10k"}
DETAIL_SAMPLE = 200
# The export: 10,000 rows at 100,000 case studies; all of them at a smaller size, so the
# export's growth is compared per row.
EXPORT_ROWS = 10_000


def ensure_database(server_url, size, env):
    """A migrated database holding the synthetic data set of `size` case studies."""
    name = f"atlas_bench_{size}"
    url = f"{server_url}/{name}"
    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    env = {**env, "DATABASE_URL": url}
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    with psycopg.connect(url) as connection:
        count = connection.execute("SELECT count(*) FROM casestudies_casestudy").fetchone()[0]
    if count == 0:
        print(f"Generating {size:,} synthetic case studies in {name} ...", flush=True)
        run([PYTHON, "manage.py", "generate_synthetic", "--case-studies", str(size)], env)
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("VACUUM ANALYZE")
    elif count != size:
        sys.exit(f"{name} holds {count} case studies, not {size}: drop it and run again.")
    return url


def export_year(connection):
    """The first year by which EXPORT_ROWS published case studies had begun (the exports'
    `year_to`), or None when there are fewer: then every case study is exported."""
    found = connection.execute(
        """
        SELECT year FROM (
            SELECT extract(year FROM start_date)::int AS year,
                   sum(count(*)) OVER (ORDER BY extract(year FROM start_date)::int) AS running
            FROM casestudies_casestudy WHERE status = 'published' GROUP BY 1
        ) AS years WHERE running >= %s ORDER BY year LIMIT 1
        """,
        [EXPORT_ROWS],
    ).fetchone()
    return found[0] if found else None


def sample_paths(url, seed=1):
    """The request paths of every endpoint, drawn reproducibly from the benchmark database."""
    rng = random.Random(seed)  # noqa: S311 - sampling, not secrets
    with psycopg.connect(url) as connection:

        def slugs(sql):
            return [row[0] for row in connection.execute(sql).fetchall()]

        cases = slugs(
            "SELECT slug FROM casestudies_casestudy WHERE status = 'published' ORDER BY id"
        )
        actors = slugs("SELECT slug FROM cooperation_actor WHERE status = 'published' ORDER BY id")
        regions = slugs("SELECT slug FROM cooperation_region ORDER BY id")
        mechanisms = slugs("SELECT slug FROM cooperation_mechanism ORDER BY id")[:10]
        year = export_year(connection)
    two_facets = [
        f"region={rng.choice(regions)}&mechanism={rng.choice(mechanisms)}" for _ in range(20)
    ]
    words = ["maritime", "intelligence", "border", "financing", "cyber", "coalition", "patrol"]
    export_query = f"year_to={year}" if year else ""
    return {
        "home": ["/"],
        "list": ["/case-studies/"],
        "list_two_facets": [f"/case-studies/?{query}" for query in two_facets],
        "list_facets_years": [
            f"/case-studies/?{query}&year_from={year}&year_to={year + 10}"
            for query, year in zip(two_facets, range(1950, 2020, 3), strict=False)
        ],
        "case_study": [f"/case-studies/{slug}/" for slug in rng.sample(cases, DETAIL_SAMPLE)],
        "actor": [
            f"/actors/{slug}/" for slug in rng.sample(actors, min(DETAIL_SAMPLE, len(actors)))
        ],
        "search": [f"/search/?q={word}" for word in words],
        "api_list": [f"/api/v1/case-studies/?{query}" for query in two_facets],
        "api_detail": [
            f"/api/v1/case-studies/{slug}/" for slug in rng.sample(cases, DETAIL_SAMPLE)
        ],
        "api_stats": [f"/api/v1/stats/regions/?{query}" for query in two_facets],
        "csv_10k": [f"/case-studies/export.csv?{export_query}"],
        "json_10k": [f"/case-studies/export.json?{export_query}"],
        # Read while bench/draft_edits.py saves a draft once a second.
        "list_draft_edits": ["/case-studies/", *[f"/case-studies/?{q}" for q in two_facets]],
    }


def worker_peak_mb(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    peaks = []
    for pid in children:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                peaks.append(int(line.split()[1]) / 1024)
    return round(max(peaks), 1) if peaks else None


def fetch(port, path):
    """Milliseconds to fetch a path, and its body."""
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as response:
        body = response.read()
    return (time.perf_counter() - started) * 1000, body


def rows_in_export(body):
    """The rows of a CSV export (less its header) or a JSON export (an array of rows)."""
    text = body.decode()
    if text.startswith("["):
        return len(json.loads(text))
    return sum(1 for _ in csv.reader(io.StringIO(text))) - 1


def run_wrk(url_file, port, concurrency, duration):
    return subprocess.run(
        [
            "wrk",
            f"--threads={min(2, concurrency)}",
            f"--connections={concurrency}",
            f"--duration={duration}s",
            "--timeout=30s",
            "--script",
            str(ROOT / "bench" / "urls.lua"),
            f"http://127.0.0.1:{port}",
        ],
        env={**os.environ, "BENCH_URLS": url_file},
        capture_output=True,
        text=True,
        check=True,
    )


def stop_editor(editor):
    editor.terminate()
    return json.loads(editor.communicate(timeout=30)[0].strip().splitlines()[-1])


def measure(port, paths, concurrency, duration, env, editing=False, count_rows=False):
    """Each path fetched once (cold), then wrk over them; with `editing`, while an editor saves a
    draft once a second (bench/draft_edits.py); with `count_rows`, the rows of the first path's
    export, from its cold fetch."""
    fetched = [fetch(port, path) for path in paths]
    cold = sorted(ms for ms, _ in fetched)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as url_file:
        url_file.write("\n".join(paths))
    editor = (
        subprocess.Popen(
            [PYTHON, "bench/draft_edits.py"], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        if editing
        else None
    )
    try:
        result = run_wrk(url_file.name, port, concurrency, duration)
    finally:
        os.unlink(url_file.name)
        edits = stop_editor(editor) if editor else {}
    stats = json.loads(result.stdout.strip().splitlines()[-1])
    seconds = stats["duration_us"] / 1e6
    return {
        "requests_per_second": round(stats["requests"] / seconds, 1),
        "p50_ms": round(stats["p50_us"] / 1000, 1),
        "p95_ms": round(stats["p95_us"] / 1000, 1),
        "p99_ms": round(stats["p99_us"] / 1000, 1),
        "errors": stats["errors"],
        "requests": stats["requests"],
        "cold_ms": round(cold[len(cold) // 2], 1),
        **edits,
        **({"rows": rows_in_export(fetched[0][1])} if count_rows else {}),
    }


def query_counts(env, paths):
    first = {name: urls[0] for name, urls in paths.items()}
    output = run(
        [PYTHON, "bench/query_counts.py", json.dumps(first)], env, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def benchmark_size(size, args, base_env):
    url = ensure_database(args.postgres_url, size, base_env)
    env = {**base_env, "DATABASE_URL": url}
    if args.redis_url:
        redis.Redis.from_url(args.redis_url).flushdb()
    paths = sample_paths(url)
    counts = query_counts(env, paths)
    port = free_port()
    server = start_gunicorn(env, port, args.workers)
    results = {}
    try:
        for name in args.endpoints:
            concurrency = min(args.concurrency, 2) if name in EXPORTS else args.concurrency
            print(f"  {size:>7,} {name:<18}", end="", flush=True)
            results[name] = {
                **measure(
                    port,
                    paths[name],
                    concurrency,
                    args.duration,
                    env,
                    editing=name == "list_draft_edits",
                    count_rows=name in EXPORTS,
                ),
                "queries": counts.get(name),
                "concurrency": concurrency,
            }
            print(
                f" {results[name]['requests_per_second']:>8} req/s  p95"
                f" {results[name]['p95_ms']:>7} ms",
                flush=True,
            )
        cold = {}
        streams = cold_paths(url, args.cold) if args.cold else {}
        for name, cold_stream in streams.items():
            print(f"  {size:>7,} {name:<18}", end="", flush=True)
            cold[name] = measure_cold(port, cold_stream, args.concurrency)
            print(
                f" {cold[name]['requests_per_second']:>8} req/s  p95 {cold[name]['p95_ms']:>7} ms"
                " (each URL once)",
                flush=True,
            )
        published_ms = after_publication(port, url)
        print(f"  {size:>7,} first list after a publication: {published_ms} ms", flush=True)
        full_export_ms, _ = fetch(port, "/case-studies/export.csv")
        peak = worker_peak_mb(server.pid)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    return {
        "endpoints": results,
        "cold": cold,
        "after_publication_ms": published_ms,
        "worker_peak_mb": peak,
        "full_export_ms": round(full_export_ms),
    }


def growth(name, small, large):
    """p95 at the largest size over p95 at the smallest; per row for the exports, whose row
    count differs between the sizes."""
    ratio = large["p95_ms"] / max(small["p95_ms"], 0.1)
    if name in EXPORTS:
        ratio *= small["rows"] / max(large["rows"], 1)
    return round(ratio, 2)


def serving_env(redis_url):
    """The environment gunicorn serves the atlas with here: production's settings on loopback,
    without rate limits, its static files collected into a temporary directory."""
    static_root = Path(tempfile.mkdtemp(prefix="atlas-bench-static-"))
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "STATIC_ROOT": str(static_root),
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
        # No rate limits (empty turns each off): a huge rate would still count every request,
        # in a list of the last minute's timestamps that every request reads and writes.
        "API_THROTTLE_ANON": "",
        "API_THROTTLE_USER": "",
        "SITE_THROTTLE": "",
        "REDIS_URL": redis_url,
    }
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=int, default=10, help="Seconds per endpoint.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
    parser.add_argument("--endpoints", nargs="+", default=ENDPOINTS, choices=ENDPOINTS)
    parser.add_argument(
        "--cold",
        type=int,
        default=200,
        help=f"Distinct URLs in each first-visit stream ({', '.join(COLD_ENDPOINTS)}); 0: none.",
    )
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"),
        help="The shared cache, as in production; '' for per-process local memory. "
        "Its database is emptied before each size.",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    args = parser.parse_args()

    base_env = serving_env(args.redis_url)
    report = {
        "machine": {"cores": os.cpu_count(), "platform": sys.platform},
        "settings": {
            "concurrency": args.concurrency,
            "duration_s": args.duration,
            "workers": args.workers,
            "cache": "redis" if args.redis_url else "local memory",
        },
        "endpoints": args.endpoints,
        "sizes": {},
    }
    for size in args.sizes:
        report["sizes"][str(size)] = benchmark_size(size, args, base_env)
    if len(args.sizes) > 1:
        small, large = report["sizes"][str(args.sizes[0])], report["sizes"][str(args.sizes[-1])]
        report["growth_p95"] = {
            name: growth(name, small["endpoints"][name], large["endpoints"][name])
            for name in args.endpoints
        }
        report["cold_growth_p95"] = {
            name: round(large["cold"][name]["p95_ms"] / max(small["cold"][name]["p95_ms"], 0.1), 2)
            for name in large["cold"]
        }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2))
    print_table(report, args.sizes)
    print(f"\nWritten to {args.output}")


if __name__ == "__main__":
    main()

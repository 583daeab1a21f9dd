"""What Python's garbage collector costs gunicorn's workers during first visits: each stream of
distinct URLs sent at concurrency 8, and every collection the workers make recorded (its
generation and the CPU it took, with the GIL held: the worker's other threads wait). Served as
production serves it (cooperation/project/gunicorn.py: what the worker holds frozen, a young
collection every 20,000 objects), and with `--python-defaults` also as Python's defaults would
(nothing frozen, every 700), and with `--thresholds` as production does but with other
thresholds, one after the other. docs/performance.md, "Garbage collection".

    .venv/bin/python bench/collector.py                       # about 2 minutes a setting
    .venv/bin/python bench/collector.py --python-defaults --urls 200
    .venv/bin/python bench/collector.py --thresholds 20000,10,10 100000,10,10"""

import argparse
import os
import re
import tempfile
from pathlib import Path

import redis
from harness.cold import COLD_ENDPOINTS, cold_paths, measure_cold
from harness.processes import ROOT, free_port, log, start_gunicorn
from run import ensure_database, serving_env

STREAMS = ["cold_list", "cold_api_list", "cold_case_study", "cold_api_detail"]
CONCURRENCY = 8
REDIS_URL = "redis://127.0.0.1:6379/14"


def served(paths, streams, setting, base_env):
    """Each stream's measurement, and the workers' collections: [(generation, CPU ms)].
    `setting`: the environment that chooses the collector's settings (collector_hook)."""
    with tempfile.TemporaryDirectory(prefix="atlas-collector-") as logs:
        env = {**base_env, "COLLECTOR_LOG_DIR": logs, **setting}
        port = free_port()
        server = start_gunicorn(env, port, config="harness.collector_hook")
        cache = redis.Redis.from_url(REDIS_URL)
        try:
            measured = {}
            for stream in streams:
                cache.flushdb()
                measured[stream] = measure_cold(port, paths[stream], CONCURRENCY)
        finally:
            server.terminate()
            server.wait()
        collections = []
        for worker_log in Path(logs).glob("*.log"):
            for line in worker_log.read_text().splitlines():
                generation, milliseconds = line.split()
                collections.append((int(generation), float(milliseconds)))
    return measured, collections


def report(name, measured, collections):
    requests = sum(m["requests"] for m in measured.values())
    print(f"\n{name}: {requests} first visits")
    for stream, m in measured.items():
        print(
            f"  {stream:16} p50 {m['p50_ms']:7.1f}  p95 {m['p95_ms']:7.1f}  p99 {m['p99_ms']:7.1f}"
            f" ms  {m['requests_per_second']:6.1f} req/s  errors {m['errors']}"
        )
    total = 0.0
    for generation in range(3):
        spent = [ms for gen, ms in collections if gen == generation]
        total += sum(spent)
        print(
            f"  generation {generation}: {len(spent):5} collections, "
            f"{sum(spent) / requests:5.2f} ms of CPU a request, "
            f"longest {max(spent, default=0):6.1f} ms"
        )
    print(f"  in all: {total / requests:.2f} ms of collection a request")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--urls", type=int, default=400, help="distinct URLs per stream")
    parser.add_argument("--streams", default=",".join(STREAMS))
    parser.add_argument(
        "--python-defaults", action="store_true", help="also serve with Python's defaults, first"
    )
    parser.add_argument(
        "--thresholds",
        nargs="*",
        default=[],
        help="also serve with these thresholds (e.g. 20000,10,10), what production freezes frozen",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    args = parser.parse_args()
    streams = args.streams.split(",")
    unknown = sorted(set(streams) - set(COLD_ENDPOINTS))
    if unknown:
        parser.error(f"--streams: no stream {', '.join(unknown)}; there are {COLD_ENDPOINTS}")
    for thresholds in args.thresholds:
        if not re.fullmatch(r"\d+,\d+,\d+", thresholds):
            parser.error(f"--thresholds: {thresholds!r} is not three whole numbers, e.g. 700,10,10")
    url = ensure_database(args.postgres, args.size, dict(os.environ))
    paths = cold_paths(url, args.urls)
    # Built once (its static files collected once), for every setting.
    base_env = {**serving_env(REDIS_URL), "DATABASE_URL": url, "PYTHONPATH": str(ROOT / "bench")}
    settings = [("Python's defaults", {"COLLECTOR_DEFAULTS": "1"})] if args.python_defaults else []
    settings.append(("production's settings", {}))
    settings += [(f"thresholds {t}", {"COLLECTOR_THRESHOLDS": t}) for t in args.thresholds]
    for name, setting in settings:
        log(f"Serving with {name} ...")
        report(name, *served(paths, streams, setting, base_env))


if __name__ == "__main__":
    main()

"""First visits to two commits of the atlas at once, to measure what a change does.

A machine's speed drifts (here by a fifth within an hour), so two runs of bench/run.py made
minutes apart do not measure a change. This serves an earlier commit (checked out into a
temporary git worktree) and the working tree side by side, each with gunicorn as bench/run.py
serves it, from the same benchmark database, and sends each cold stream to both in rounds: new
URLs in every round, the side that goes first alternating, each side's cache emptied first.
It prints each stream's p50, p95 and requests a second per side, the medians of the rounds.

    .venv/bin/python bench/side_by_side.py HEAD~1                 # 3 rounds of 60 URLs
    .venv/bin/python bench/side_by_side.py 9802f7d --rounds 4 --urls 50 --streams cold_list
    .venv/bin/python bench/side_by_side.py HEAD --nginx --workers 3   # as production runs

With `--nginx`, each side is served behind nginx with its own checkout's
docs/deploy/nginx.conf (Debian's nginx; production's way in), and asked through it.

The searches are 435 pairs of words, so twice the rounds times the URLs must be under 420.
Both commits must agree on the database's schema (migrations) for the comparison to mean
anything."""

import argparse
import os
import statistics
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

import redis
from harness import nginx
from harness.cold import COLD_ENDPOINTS, WORDS, cold_paths, measure_cold
from harness.processes import PYTHON, ROOT, answering, free_port, log, run, start_gunicorn
from run import ensure_database, serving_env

CONCURRENCY = 8
WARM_UP = 16  # URLs of each stream sent to each side first (a worker's first requests load code)
SEARCHES = len(WORDS) * (len(WORDS) - 1) // 2  # the distinct two-word searches there are


@contextmanager
def worktree(commit):
    """`commit` checked out in a temporary directory, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="atlas-side-by-side-") as directory:
        run(["git", "worktree", "add", "--detach", "--quiet", directory, commit])
        try:
            yield directory
        finally:
            run(["git", "worktree", "remove", "--force", directory])


def serve(root, url, redis_db, workers, nginx_directory=None):
    """gunicorn serving the checkout at `root` with `workers` processes, with its own static
    files and its cache in Redis database `redis_db`; with `nginx_directory`, behind nginx and
    the checkout's own docs/deploy/nginx.conf, as production runs it. Returns the processes
    started, the port to ask and the cache."""
    redis_url = f"redis://127.0.0.1:6379/{redis_db}"
    env = {**serving_env(redis_url), "DATABASE_URL": url}
    collect = [PYTHON, "manage.py", "collectstatic", "--noinput", "--clear", "-v0"]
    subprocess.run(collect, env=env, cwd=root, check=True)
    port = free_port()
    processes = [start_gunicorn(env, port, workers=workers, root=root)]
    if nginx_directory is not None:
        front = free_port()
        processes.append(nginx.start(root, nginx_directory, front, port))
        answering(processes[-1], front, "/robots.txt", "nginx")
        port = front
    return processes, port, redis.Redis.from_url(redis_url)


def compare(sides, paths, streams, rounds, urls):
    """{(stream, side): [measurement per round]}"""
    found = {(stream, side): [] for stream in streams for side in sides}
    for stream in streams:
        for _, port, _ in sides.values():
            measure_cold(port, paths[stream][-WARM_UP:], CONCURRENCY)
    for round_number in range(rounds):
        order = list(sides) if round_number % 2 == 0 else list(reversed(sides))
        for stream in streams:
            for position, side in enumerate(order):
                _, port, cache = sides[side]
                cache.flushdb()
                start = (round_number * 2 + position) * urls
                measured = measure_cold(port, paths[stream][start : start + urls], CONCURRENCY)
                found[stream, side].append(measured)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("commit", help="the earlier commit, e.g. HEAD~1")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--urls", type=int, default=60, help="distinct URLs per stream and round")
    parser.add_argument("--streams", default=",".join(COLD_ENDPOINTS))
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's processes (2)")
    parser.add_argument(
        "--nginx", action="store_true", help="each side behind nginx, as production runs it"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    args = parser.parse_args()
    needed = args.rounds * 2 * args.urls + WARM_UP
    if needed > SEARCHES:
        parser.error(
            f"--rounds {args.rounds} and --urls {args.urls} need {needed} distinct searches; "
            f"there are {SEARCHES}: ask for fewer rounds or URLs"
        )
    streams = args.streams.split(",")
    unknown = sorted(set(streams) - set(COLD_ENDPOINTS))
    if unknown:
        parser.error(f"--streams: no stream {', '.join(unknown)}; there are {COLD_ENDPOINTS}")
    url = ensure_database(args.postgres, args.size, dict(os.environ))
    paths = cold_paths(url, needed)
    with worktree(args.commit) as earlier, tempfile.TemporaryDirectory() as scratch:
        sides = {}
        try:
            for redis_db, (name, root) in enumerate([(args.commit, earlier), ("now", ROOT)]):
                front = Path(scratch, f"nginx-{redis_db}") if args.nginx else None
                sides[name] = serve(root, url, 12 + redis_db, args.workers, front)
            log(f"{args.rounds} rounds of {args.urls} URLs per stream, concurrency {CONCURRENCY}")
            found = compare(sides, paths, streams, args.rounds, args.urls)
        finally:
            for processes, _, _ in sides.values():
                for process in processes:
                    process.terminate()
                    process.wait()
    print(f"{'first visits':18} | " + " | ".join(f"{side:>30}" for side in sides))
    print(f"{'':18} | " + " | ".join(f"{'p50 / p95 ms, req/s':>30}" for _ in sides))
    for stream in streams:
        cells = []
        for side in sides:
            rounds = found[stream, side]
            p50 = statistics.median(m["p50_ms"] for m in rounds)
            p95 = statistics.median(m["p95_ms"] for m in rounds)
            rate = statistics.median(m["requests_per_second"] for m in rounds)
            errors = sum(m["errors"] for m in rounds)
            cells.append(
                f"{p50:7.1f} / {p95:7.1f}, {rate:6.1f}" + (f" ({errors} errors)" if errors else "")
            )
        print(f"{stream:18} | " + " | ".join(f"{cell:>30}" for cell in cells))


if __name__ == "__main__":
    main()

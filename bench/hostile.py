"""Hostile clients against the atlas as production runs it: the numbers of issue 18, measured.

On a private, throwaway PostgreSQL 15 cluster (the shared one on 5432 is never touched) it
migrates and loads the atlas (or copies the cluster another check prepared, when
`ATLAS_PREPARED_CLUSTER` names one: bench/harness/atlas.py) and starts gunicorn with
`cooperation/project/gunicorn.py` (2 workers x 4 threads, 30 s timeout, DEBUG off), rate limits
off so that what is measured is the work each request costs, then:

  a) a mixed load of pages and API reads, as analysts send it, then the same mix with a random
     unknown parameter on every request (`?zz=<random>`): the page cache must ignore it;
  b) one case study page alone, plain and with a random parameter;
  c) an editor's POST of `{"countries": ["nato"] * 150000}` (1.2 MB): three at once, while the
     home page is asked for meanwhile; each must be refused quickly, the home page unhurt;
  d) a 3 MB body to every kind of endpoint, anonymously: 413 in the API's error shape.

It prints what it measured, writes it as JSON (--output), and exits 1 if any answer was a 5xx,
a random parameter cost more than half the throughput, a hostile body took longer than
--body-limit seconds, or the home page's p95 during (c) exceeded --home-limit ms.

    .venv/bin/python bench/hostile.py                     # about two minutes
    .venv/bin/python bench/hostile.py --duration 5 --output /tmp/hostile.json
"""

import argparse
import json
import secrets
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from harness.atlas import environment, load_paths, prepare_database
from harness.cluster import PrivateCluster
from harness.http import request
from harness.load import Load, latency_summary
from harness.processes import free_port, log, start_gunicorn

CASE_PAGE = "/case-studies/isaf-afghanistan/"
HOSTILE_LIST = json.dumps({"title": "Hostile", "countries": ["nato"] * 150_000})
LARGE_BODY = json.dumps({"username": "x", "password": "y" * 3_000_000})
LARGE_BODY_PATHS = ["/api/v1/auth/token/", "/api/v1/case-studies/", "/api/v1/regions/"]


class RandomParameter(list):
    """The load's paths, each with a fresh random parameter every time one is chosen."""

    def __getitem__(self, index):
        path = super().__getitem__(index)
        return f"{path}{'&' if '?' in path else '?'}zz={secrets.token_hex(6)}"


def measured_load(port, paths, concurrency, seconds):
    load = Load(port, paths, concurrency)
    load.start()
    time.sleep(seconds)
    load.stop()
    summary = latency_summary(load.answers)
    summary["server_errors"] = sum((a.status or 0) >= 500 for a in load.answers)
    return summary


def post(port, path, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Token {token}"
    answer, _ = request(port, "POST", path, body, headers)
    return {
        "path": path,
        "status": answer.status,
        "seconds": round(answer.ended - answer.started, 2),
        "answer": answer.body[:160],
    }


def hostile_lists_with_home_page(port, token, writers=3):
    """(c) Three hostile bodies at once, and the home page's latency while they are handled."""
    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(post(port, "/api/v1/case-studies/", HOSTILE_LIST, token))
        )
        for _ in range(writers)
    ]
    for thread in threads:
        thread.start()
    home = []
    while any(thread.is_alive() for thread in threads):
        home.append(request(port, "GET", "/")[0])
    for thread in threads:
        thread.join()
    return {"posts": results, "home_page_meanwhile": latency_summary(home)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=15, help="Seconds of each load.")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--body-limit", type=float, default=5, help="Seconds a hostile body may take."
    )
    parser.add_argument("--home-limit", type=float, default=500, help="Home page p95 in (c), ms.")
    parser.add_argument("--pg-bin", type=Path, default=Path("/usr/lib/postgresql/15/bin"))
    parser.add_argument("--output", type=Path, help="Write the summary here as JSON.")
    args = parser.parse_args()
    if not (args.pg_bin / "initdb").exists():
        sys.exit(f"No PostgreSQL server binaries in {args.pg_bin} (Debian: postgresql-15).")

    began = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="atlas-hostile-"))
    cluster = PrivateCluster(scratch / "pg", args.pg_bin)
    cluster.root.mkdir()
    server = None
    report, failures = {}, []
    try:
        log(f"Private PostgreSQL on 127.0.0.1:{cluster.port}: initdb, migrate, load the atlas ...")
        cluster.init()
        env = environment(cluster, scratch / "static")
        _, token = prepare_database(cluster, env)
        port = free_port()
        server = start_gunicorn(env, port, timeout=None)
        paths, _ = load_paths(port)

        log(f"a) mixed load, {len(paths)} paths, concurrency {args.concurrency}")
        report["mix"] = measured_load(port, paths, args.concurrency, args.duration)
        report["mix_random_parameter"] = measured_load(
            port, RandomParameter(paths), args.concurrency, args.duration
        )
        log(f"b) {CASE_PAGE} alone")
        report["case_page"] = measured_load(port, [CASE_PAGE], args.concurrency, args.duration / 3)
        report["case_page_random_parameter"] = measured_load(
            port, RandomParameter([CASE_PAGE]), args.concurrency, args.duration / 3
        )
        log("c) three 150,000-item lists at once, home page meanwhile")
        report["hostile_lists"] = hostile_lists_with_home_page(port, token)
        log("d) 3 MB bodies, anonymously")
        report["large_bodies"] = [post(port, path, LARGE_BODY) for path in LARGE_BODY_PATHS]
    except Exception as error:  # reported as a failure; cleanup follows
        failures.append(f"{type(error).__name__}: {error}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        cluster.destroy()
        shutil.rmtree(scratch, ignore_errors=True)

    failures += judged(report, args)
    report["seconds"] = round(time.monotonic() - began, 1)
    report["failures"] = failures
    print_summary(report)
    if args.output:
        args.output.write_text(json.dumps(report, indent=2))
    sys.exit(1 if failures else 0)


def judged(report, args):
    failures = []
    for name in ("mix", "mix_random_parameter", "case_page", "case_page_random_parameter"):
        if report.get(name, {}).get("server_errors"):
            failures.append(f"{name}: {report[name]['server_errors']} answers were 5xx")
    for plain, random in (
        ("mix", "mix_random_parameter"),
        ("case_page", "case_page_random_parameter"),
    ):
        if plain in report and random in report:
            ratio = report[random]["requests_per_second"] / report[plain]["requests_per_second"]
            if ratio < 0.5:
                failures.append(f"{random}: {ratio:.0%} of the plain throughput")
    hostile = report.get("hostile_lists", {})
    for answer in [*hostile.get("posts", []), *report.get("large_bodies", [])]:
        if answer["status"] not in (400, 413) or answer["seconds"] > args.body_limit:
            failures.append(f"{answer['path']}: {answer['status']} in {answer['seconds']} s")
    home = hostile.get("home_page_meanwhile", {})
    if (home.get("p95_ms") or 0) > args.home_limit:
        failures.append(f"home page p95 {home['p95_ms']} ms during the hostile lists")
    return failures


def print_summary(report):
    log("")
    for name in ("mix", "mix_random_parameter", "case_page", "case_page_random_parameter"):
        if name in report:
            load = report[name]
            log(
                f"{name}: {load['requests']} requests, {load['requests_per_second']} req/s, "
                f"p50 {load['p50_ms']} ms, p95 {load['p95_ms']} ms, {load['server_errors']} 5xx"
            )
    hostile = report.get("hostile_lists")
    if hostile:
        for answer in hostile["posts"]:
            log(f"150,000-item list: {answer['status']} in {answer['seconds']} s")
        home = hostile["home_page_meanwhile"]
        log(f"home page meanwhile: {home['requests']} requests, p95 {home.get('p95_ms')} ms")
    for answer in report.get("large_bodies", []):
        log(f"3 MB to {answer['path']}: {answer['status']} in {answer['seconds']} s")
    log(f"{'FAILED' if report['failures'] else 'PASSED'} in {report['seconds']} s")
    for failure in report["failures"]:
        log(f"  - {failure}")


if __name__ == "__main__":
    main()

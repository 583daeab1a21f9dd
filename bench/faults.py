"""Load and faults: the atlas under load while its database goes away and comes back.

On a private, throwaway PostgreSQL 15 cluster (its own data directory and loopback port; the
shared cluster on 5432 is never touched) it migrates and loads the atlas, starts gunicorn as
production runs it (2 workers x 4 threads, DEBUG off, persistent connections), and then:

  a) drives a mix of pages and API reads at the given concurrency: zero errors allowed;
  b) makes edits through the API (PATCH with If-Match) and records those acknowledged;
  c) stops PostgreSQL (fast shutdown) while the load goes on: every answer while it is down must
     be a 503 with Retry-After and the outage page or the API's JSON error; no 500, no
     traceback, no dropped connection; writes attempted meanwhile get the same 503;
  d) starts PostgreSQL again: the app must answer 200 within seconds (measured), with the same
     gunicorn worker processes (no restart);
  e) checks every acknowledged edit from (b) is stored;
  f) races an admin change-form save and an API PATCH of one case study, both from the same
     version, several times: exactly one must win, the other must be told (412, or the admin's
     conflict message), and the stored row must be the winner's.

It prints a summary, writes it as JSON (--output), exits 1 on any failure, and removes gunicorn,
the cluster and its temporary files whatever happens.

    .venv/bin/python bench/faults.py                         # a minute or two
    .venv/bin/python bench/faults.py --duration 5 --output /tmp/faults.json

Needs PostgreSQL 15's server binaries (Debian: postgresql-15; --pg-bin to point elsewhere). Run
as root, the cluster runs as the `postgres` user (runuser)."""

import argparse
import json
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.atlas import api_json, environment, load_paths, prepare_database, stored_summaries
from harness.checks import RECOVERY_LIMIT_S, Run
from harness.cluster import PrivateCluster
from harness.http import Browser, proper_outage_answer
from harness.load import Load, describe
from harness.processes import free_port, log, start_gunicorn, worker_pids


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=15, help="Seconds of load before (b).")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--edits", type=int, default=10, help="Acknowledged edits in (b).")
    parser.add_argument("--outage", type=float, default=5, help="Seconds the database is down.")
    parser.add_argument("--after", type=float, default=5, help="Seconds of load after recovery.")
    parser.add_argument("--races", type=int, default=5, help="Rounds of (f).")
    parser.add_argument("--pg-bin", type=Path, default=Path("/usr/lib/postgresql/15/bin"))
    parser.add_argument("--time-limit", type=int, default=600, help="Give up after this long.")
    parser.add_argument("--output", type=Path, help="Write the summary here as JSON.")
    parser.add_argument("--app-log", type=Path, help="Keep gunicorn's log here.")
    args = parser.parse_args()
    if not (args.pg_bin / "initdb").exists():
        sys.exit(f"No PostgreSQL server binaries in {args.pg_bin} (Debian: postgresql-15).")

    def give_up(signum, frame):
        raise TimeoutError(f"stopped by signal {signum} (time limit {args.time_limit} s)")

    signal.signal(signal.SIGTERM, give_up)
    signal.signal(signal.SIGALRM, give_up)
    signal.alarm(args.time_limit)

    began = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="atlas-faults-"))
    cluster = PrivateCluster(scratch / "pg", args.pg_bin)
    cluster.root.mkdir()
    check = Run(args)
    server = load = None
    gunicorn_log = (scratch / "gunicorn.log").open("w")
    try:
        log(f"Private PostgreSQL on 127.0.0.1:{cluster.port}: initdb, migrate, load the atlas ...")
        cluster.init()
        env = environment(cluster, scratch / "static")
        password, token = prepare_database(cluster, env)
        port = free_port()
        server = start_gunicorn(env, port, logfile=gunicorn_log)
        pids = worker_pids(server.pid)
        setup_s = time.monotonic() - began
        log(f"gunicorn on 127.0.0.1:{port}, workers {pids}; setup took {setup_s:.0f} s")
        paths, cases = load_paths(port)
        edit_slugs = cases[: args.edits]
        down_slugs = cases[args.edits : args.edits + 2]
        race_slug = cases[args.edits + 2]
        run_id = secrets.token_hex(4)

        log(f"a) load: {len(paths)} paths, concurrency {args.concurrency}, {args.duration:.0f} s")
        load = Load(port, paths, args.concurrency)
        load.start()
        time.sleep(args.duration)
        log(f"b) {args.edits} edits through the API (PATCH with If-Match)")
        acknowledged = check.edits(port, token, edit_slugs, run_id)
        log(f"c) stopping PostgreSQL (fast) for {args.outage:.0f} s under load")
        marks, writes = check.outage(cluster, port, token, down_slugs)
        if marks["recovered"] is None:
            check.fail(f"no 200 within {RECOVERY_LIMIT_S * 3:.0f} s of PostgreSQL starting again")
        time.sleep(args.after)
        load.stop()
        log("d) recovery")
        recovery_s = marks["recovered"] - marks["started"] if marks["recovered"] else None
        if recovery_s is not None and recovery_s > RECOVERY_LIMIT_S:
            check.fail(f"recovery took {recovery_s:.1f} s (limit {RECOVERY_LIMIT_S:.0f} s)")
        pids_after = worker_pids(server.pid)
        if pids_after != pids:
            check.fail(f"gunicorn workers changed: {pids} -> {pids_after}")
        check.report["load"] = check.check_load(load.answers, marks)
        check.report["outage"] = {
            "stop_s": round(marks["stopped"] - marks["stop_requested"], 2),
            "down_s": round(marks["start_requested"] - marks["stopped"], 2),
            "start_s": round(marks["started"] - marks["start_requested"], 2),
            "recovery_s": round(recovery_s, 2) if recovery_s is not None else None,
            "recovery_limit_s": RECOVERY_LIMIT_S,
            "worker_pids_before": pids,
            "worker_pids_after": pids_after,
        }
        bad_writes = [w for w in writes if not proper_outage_answer(w)]
        for write in bad_writes[:5]:
            check.fail(f"write while down: {describe(write)}")
        check.report["writes_while_down"] = {
            "attempts": len(writes),
            "proper_503": len(writes) - len(bad_writes),
        }

        log("e) acknowledged edits")
        stored = stored_summaries(cluster, list(acknowledged))
        via_api = {
            slug: api_json(port, f"/api/v1/case-studies/{slug}/", token)[0]["summary"]
            for slug in acknowledged
        }
        lost = [
            s for s, text in acknowledged.items() if stored.get(s) != text or via_api[s] != text
        ]
        for slug in lost:
            check.fail(f"acknowledged edit of {slug} lost: now {stored.get(slug)!r}")
        check.report["edits"] = {"acknowledged": len(acknowledged), "lost": len(lost)}

        log(f"f) {args.races} races: admin change form against API PATCH")
        browser = Browser(port)
        browser.log_in("fault-admin", password)
        check.report["race"] = check.race(port, cluster, token, browser, race_slug, args.races)
    except Exception as error:  # reported as a failure; cleanup follows
        check.fail(f"{type(error).__name__}: {error}")
    finally:
        signal.alarm(0)
        if load is not None:
            load.stop()
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        cluster.destroy()
        gunicorn_log.close()
        app_log = (scratch / "gunicorn.log").read_text(errors="replace").splitlines()
        check.report["app_log"] = {
            "lines": len(app_log),
            "outage_lines": sum("Database unavailable" in line for line in app_log),
        }
        if check.failures:
            log("--- last lines of the app's log ---\n" + "\n".join(app_log[-30:]))
        if args.app_log:
            shutil.copyfile(scratch / "gunicorn.log", args.app_log)
        shutil.rmtree(scratch, ignore_errors=True)

    check.report["seconds"] = round(time.monotonic() - began, 1)
    check.report["failures"] = check.failures
    check.report["ok"] = not check.failures
    print_summary(check.report)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(check.report, indent=2, default=str))
        log(f"Written to {args.output}")
    sys.exit(0 if check.report["ok"] else 1)


def print_summary(report):
    log("")
    load = report.get("load")
    if load:
        before, after = load["before_outage"], load["after_recovery"]
        log(
            f"load before the outage: {before['requests']} requests, "
            f"{before.get('requests_per_second')} req/s, p95 {before.get('p95_ms')} ms, "
            f"{before.get('errors')} errors"
        )
        down = load["while_down"]
        log(
            f"while down: {down['requests']} requests, {down['proper_503']} proper 503s, "
            f"{down['bad']} bad"
        )
        log(
            f"after recovery: {after['requests']} requests, {after.get('errors', 0)} errors; "
            f"500s overall: {load['server_errors_500']}, dropped connections: "
            f"{load['dropped_connections']}"
        )
    outage = report.get("outage")
    if outage:
        same = outage["worker_pids_before"] == outage["worker_pids_after"]
        log(
            f"database down {outage['down_s']} s; app answered 200 {outage['recovery_s']} s after "
            f"PostgreSQL was up (limit {outage['recovery_limit_s']:.0f} s); workers "
            f"{'unchanged' if same else 'CHANGED'}"
        )
    if "edits" in report:
        edits = report["edits"]
        log(f"edits acknowledged: {edits['acknowledged']}, lost: {edits['lost']}")
        writes = report["writes_while_down"]
        log(f"writes while down: {writes['attempts']}, proper 503s: {writes['proper_503']}")
    if "race" in report:
        race = report["race"]
        log(
            f"races: {race['rounds']} rounds, admin won {race['admin_won']}, "
            f"API won {race['api_won']}"
        )
        for number, detail in enumerate(race["details"], 1):
            told = ", ".join(f"{side}: {how}" for side, how in detail["loser_told"].items())
            log(
                f"  round {number}: API held back {detail['api_delay_ms']} ms; "
                f"{detail['winner']} won; told the other ({told})"
            )
    log(f"{'PASSED' if report['ok'] else 'FAILED'} in {report['seconds']} s")
    for failure in report["failures"]:
        log(f"  - {failure}")


if __name__ == "__main__":
    main()

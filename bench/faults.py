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
import html
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SHARED_CLUSTER_PORT = 5432
RECOVERY_LIMIT_S = 10.0
OUTAGE_PAGE_TEXT = "The atlas is briefly unavailable"  # templates/503.html
ADMIN_CONFLICT_TEXT = "Someone else saved this entry after you opened it"  # editing.STALE_MESSAGE
REQUEST_TIMEOUT_S = 30


def log(message):
    print(message, flush=True)


def run(command, env=None, **kwargs):
    return subprocess.run(command, env=env, cwd=ROOT, check=True, **kwargs)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# The private PostgreSQL cluster


class PrivateCluster:
    """A PostgreSQL cluster of our own in a temporary directory, on its own loopback port."""

    def __init__(self, root, bin_dir):
        self.root = root
        self.bin = bin_dir
        self.data = root / "data"
        self.logfile = root / "postgresql.log"
        self.port = free_port()
        if self.port == SHARED_CLUSTER_PORT:  # never, but never touch the shared cluster
            raise RuntimeError("refusing to use the shared cluster's port")
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def url(self, database):
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _pg(self, *args, check=True):
        result = subprocess.run(
            [*self.as_owner, *args], capture_output=True, text=True, timeout=120
        )
        if check and result.returncode:
            raise RuntimeError(f"{Path(args[0]).name} failed: {result.stderr.strip()[-500:]}")
        return result

    def init(self):
        if self.as_owner:
            self.root.parent.chmod(0o711)  # the postgres user may pass through to its own part
            shutil.chown(self.root, "postgres", "postgres")
        self._pg(
            str(self.bin / "initdb"),
            f"--pgdata={self.data}",
            "--username=postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        )

    def start(self, *settings):
        options = [
            f"-p {self.port}",
            f"-k {self.root}",
            "-c listen_addresses=127.0.0.1",
            *(f"-c {setting}" for setting in settings),
        ]
        self._pg(
            str(self.bin / "pg_ctl"),
            "start",
            f"--pgdata={self.data}",
            f"--log={self.logfile}",
            "--wait",
            "--timeout=60",
            f"--options={' '.join(options)}",
        )

    def stop(self, mode="fast", check=True):
        return self._pg(
            str(self.bin / "pg_ctl"),
            "stop",
            f"--pgdata={self.data}",
            f"--mode={mode}",
            "--wait",
            "--timeout=60",
            check=check,
        )

    def destroy(self):
        if (self.data / "postmaster.pid").exists():
            self.stop("immediate", check=False)


# HTTP


@dataclass
class Answer:
    started: float
    ended: float
    method: str
    path: str
    status: int | None  # None: no HTTP answer at all (refused, reset, timed out)
    retry_after: str | None
    content_type: str
    body: str
    error: str | None = None


def request(port, method, path, body=None, headers=None):
    """One request on a fresh connection, so any transport failure is the server's."""
    started = time.monotonic()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT_S)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        content = response.read().decode("utf-8", "replace")
        return (
            Answer(
                started,
                time.monotonic(),
                method,
                path,
                response.status,
                response.getheader("Retry-After"),
                response.getheader("Content-Type", ""),
                content,
            ),
            response,
        )
    except (OSError, http.client.HTTPException) as error:
        answer = Answer(started, time.monotonic(), method, path, None, None, "", "", repr(error))
        return answer, None
    finally:
        connection.close()


def proper_outage_answer(answer):
    """A 503 as promised: Retry-After, and the outage page or the API's JSON error."""
    if answer.status != 503 or not answer.retry_after or "Traceback" in answer.body:
        return False
    if answer.path.startswith("/api/"):
        try:
            error = json.loads(answer.body)["error"]
        except (ValueError, KeyError, TypeError):
            return False
        return error.get("status") == 503 and error.get("code") == "service_unavailable"
    return answer.content_type.startswith("text/html") and OUTAGE_PAGE_TEXT in answer.body


def succeeded(answer):
    return answer.status is not None and 200 <= answer.status < 400


class Browser:
    """Cookies and CSRF for the admin, as a browser would keep them."""

    def __init__(self, port):
        self.port = port
        self.cookies = {}

    def send(self, method, path, form=None):
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode([tuple(field) for field in form])
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        answer, response = request(self.port, method, path, body, headers)
        if response is not None:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        location = response.getheader("Location") if response is not None else None
        return answer, location

    def log_in(self, username, password):
        answer, _ = self.send("GET", "/admin/login/")
        fields = form_fields(answer.body, form_id="login-form")
        fields.update(username=username, password=password, next="/admin/")
        answer, _ = self.send("POST", "/admin/login/", fields)
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"admin sign-in failed ({answer.status})")


class FormFields(HTMLParser):
    """What a browser would submit from one form: inputs, checked boxes, selected options and
    text areas (disabled controls and submit buttons left out)."""

    def __init__(self, form_id):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.fields = []
        self.select = None
        self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.fields.append([name, attrs.get("value", "on" if kind == "checkbox" else "")])
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "options": []}
        elif tag == "option" and self.select is not None:
            self.select["options"].append((attrs.get("value", ""), "selected" in attrs))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = [value for value, selected in self.select["options"] if selected]
            if not chosen and not self.select["multiple"] and self.select["options"]:
                chosen = [self.select["options"][0][0]]  # a browser sends the first option
            self.fields.extend([self.select["name"], value] for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            name, text = self.textarea
            self.fields.append([name, text.removeprefix("\r\n").removeprefix("\n")])
            self.textarea = None


def form_fields(page, form_id):
    parser = FormFields(form_id)
    parser.feed(page)
    return FieldList(parser.fields)


class FieldList(list):
    def update(self, **values):
        for name, value in values.items():
            self[:] = [field for field in self if field[0] != name]
            self.append([name, value])


# The load


class Load:
    """Threads that fetch random paths from the mix until stopped, recording every answer."""

    def __init__(self, port, paths, concurrency):
        self.port = port
        self.paths = paths
        self.concurrency = concurrency
        self.answers = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self.work, args=(index,), daemon=True)
            for index in range(concurrency)
        ]

    def work(self, index):
        rng = random.Random(index)  # noqa: S311 - choosing paths, not secrets
        while not self.stopping.is_set():
            answer, _ = request(self.port, "GET", rng.choice(self.paths))
            answer.body = answer.body if not succeeded(answer) else ""  # keep memory bounded
            with self.lock:
                self.answers.append(answer)

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=REQUEST_TIMEOUT_S + 5)


def latency_summary(answers):
    if not answers:
        return {"requests": 0}
    started = min(a.started for a in answers)
    ended = max(a.ended for a in answers)
    millis = sorted((a.ended - a.started) * 1000 for a in answers)
    return {
        "requests": len(answers),
        "requests_per_second": round(len(answers) / max(ended - started, 1e-9), 1),
        "p50_ms": round(statistics.median(millis), 1),
        "p95_ms": round(millis[int(len(millis) * 0.95) - 1], 1) if len(millis) > 1 else None,
        "errors": sum(not succeeded(a) for a in answers),
    }


def describe(answer):
    what = answer.error or f"{answer.status} {answer.body[:160]!r}"
    return f"{answer.method} {answer.path}: {what}"


# The atlas under test


def environment(cluster, static_root):
    return {
        **os.environ,
        "DATABASE_URL": cluster.url("atlas"),
        "DEBUG": "false",
        "SECRET_KEY": "faults-only-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
        "CONN_MAX_AGE": "60",
        "STATIC_ROOT": str(static_root),
        "REDIS_URL": "",  # per-process cache: nothing shared with anyone else's Redis
        # No rate limits (empty turns each off): a huge rate would still count every request,
        # in a list of the last minute's timestamps that every request reads and writes.
        "API_THROTTLE_ANON": "",
        "API_THROTTLE_USER": "",
        "SITE_THROTTLE": "",
    }


ACCOUNTS_SCRIPT = """
import os
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
editors = Group.objects.get(name="Editors")
for name in ("fault-admin", "fault-api"):
    user = User.objects.create_user(name, password=os.environ["FAULT_PASSWORD"], is_staff=True)
    user.groups.add(editors)
print(Token.objects.create(user=User.objects.get(username="fault-api")).key)
"""


def prepare_database(cluster, env):
    # Setting up needs no durability: migrate and load without fsync, then restart with the
    # defaults before anything is measured.
    cluster.start("fsync=off", "synchronous_commit=off", "full_page_writes=off")
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
        admin.execute("CREATE DATABASE atlas")
    collecting = subprocess.Popen(  # needs no database, so alongside the rest
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT
    )
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PYTHON, "manage.py", "load_atlas"], env, stdout=subprocess.DEVNULL)
    if collecting.wait() != 0:
        raise RuntimeError("collectstatic failed")
    password = secrets.token_urlsafe(16)
    token = run(
        [PYTHON, "manage.py", "shell", "-c", ACCOUNTS_SCRIPT],
        {**env, "FAULT_PASSWORD": password},
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    cluster.stop("fast")
    cluster.start()
    return password, token


def start_gunicorn(env, port, logfile):
    process = subprocess.Popen(
        [
            str(Path(PYTHON).parent / "gunicorn"),
            "cooperation.project.wsgi",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--worker-class=gthread",
            "--threads=4",
            "--timeout=120",
            "--log-level=warning",
        ],
        env=env,
        cwd=ROOT,
        stdout=logfile,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        answer, _ = request(port, "GET", "/robots.txt")
        if answer.status == 200:
            return process
        if process.poll() is not None:
            break
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def worker_pids(master_pid):
    return sorted(
        int(pid)
        for pid in Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    )


def api_json(port, path, token=None):
    headers = {"Authorization": f"Token {token}"} if token else {}
    answer, response = request(port, "GET", path, headers=headers)
    if answer.status != 200:
        raise RuntimeError(f"GET {path}: {describe(answer)}")
    return json.loads(answer.body), response.getheader("ETag")


def load_paths(port):
    cases = [c["slug"] for c in api_json(port, "/api/v1/case-studies/?page_size=100")[0]["results"]]
    actors = [a["slug"] for a in api_json(port, "/api/v1/actors/?page_size=100")[0]["results"]]
    regions = [r["slug"] for r in api_json(port, "/api/v1/regions/?page_size=100")[0]["results"]]
    paths = [
        "/",
        "/case-studies/",
        *(f"/case-studies/?region={slug}" for slug in regions[:3]),
        *(f"/case-studies/{slug}/" for slug in cases[:10]),
        "/actors/",
        *(f"/actors/{slug}/" for slug in actors[:5]),
        "/search/?q=intelligence",
        "/api/v1/case-studies/",
        *(f"/api/v1/case-studies/?region={slug}" for slug in regions[:2]),
        *(f"/api/v1/case-studies/{slug}/" for slug in cases[:10]),
        "/api/v1/actors/?page_size=50",
    ]
    return paths, cases


def patch_summary(port, token, slug, summary, etag):
    return request(
        port,
        "PATCH",
        f"/api/v1/case-studies/{slug}/",
        json.dumps({"summary": summary}),
        {"Authorization": f"Token {token}", "If-Match": etag, "Content-Type": "application/json"},
    )[0]


def stored_summaries(cluster, slugs):
    with psycopg.connect(cluster.url("atlas")) as connection:
        rows = connection.execute(
            "SELECT slug, summary FROM casestudies_casestudy WHERE slug = ANY(%s)", [slugs]
        ).fetchall()
    return dict(rows)


# The checks


class Run:
    def __init__(self, args):
        self.args = args
        self.failures = []
        self.report = {"settings": {k: str(v) for k, v in vars(args).items()}}

    def fail(self, message):
        self.failures.append(message)
        log(f"  FAIL {message}")

    def edits(self, port, token, slugs, run_id):
        """(b) Edits through the API; returns the acknowledged ones."""
        acknowledged = {}
        for index, slug in enumerate(slugs, 1):
            _, etag = api_json(port, f"/api/v1/case-studies/{slug}/", token)
            summary = f"Fault run {run_id}: acknowledged edit {index} of {len(slugs)}."
            answer = patch_summary(port, token, slug, summary, etag)
            if answer.status == 200 and json.loads(answer.body)["summary"] == summary:
                acknowledged[slug] = summary
            else:
                self.fail(f"edit {index} not acknowledged: {describe(answer)}")
        return acknowledged

    def outage(self, cluster, port, token, write_slugs):
        """(c) and (d): stop PostgreSQL under load, start it again, measure the recovery."""
        marks = {"stop_requested": time.monotonic()}
        cluster.stop("fast")
        marks["stopped"] = time.monotonic()
        writes = []
        deadline = marks["stopped"] + self.args.outage
        while time.monotonic() < deadline:
            for slug in write_slugs:
                writes.append(patch_summary(port, token, slug, "Written while down.", "*"))
            time.sleep(0.5)
        marks["start_requested"] = time.monotonic()
        cluster.start()
        marks["started"] = time.monotonic()
        recovered = None
        while time.monotonic() - marks["started"] < RECOVERY_LIMIT_S * 3:
            page, _ = request(port, "GET", "/case-studies/")
            api, _ = request(port, "GET", "/api/v1/case-studies/")
            if page.status == 200 and api.status == 200:
                recovered = max(page.ended, api.ended)
                break
            time.sleep(0.05)
        marks["recovered"] = recovered
        return marks, writes

    def check_load(self, answers, marks):
        """Before the outage: no errors. While down: only proper 503s. Around it: success or a
        proper 503. After recovery: success again. Never a dropped connection."""
        before, down, around, after = [], [], [], []
        for answer in answers:
            if answer.ended < marks["stop_requested"]:
                before.append(answer)
            elif marks["recovered"] and answer.started > marks["recovered"]:
                after.append(answer)
            elif answer.started >= marks["stopped"] and answer.ended <= marks["start_requested"]:
                down.append(answer)
            else:
                around.append(answer)
        bad_before = [a for a in before if not succeeded(a)]
        bad_down = [a for a in down if not proper_outage_answer(a)]
        bad_around = [a for a in around if not (succeeded(a) or proper_outage_answer(a))]
        bad_after = [a for a in after if not succeeded(a)]
        for label, bad in [
            ("before the outage", bad_before),
            ("while the database was down", bad_down),
            ("during stop or restart", bad_around),
            ("after recovery", bad_after),
        ]:
            for answer in bad[:5]:
                self.fail(f"{label}: {describe(answer)}")
            if len(bad) > 5:
                self.fail(f"{label}: {len(bad) - 5} more bad answers")
        if len(down) < 10:
            self.fail(f"only {len(down)} requests were answered while the database was down")
        return {
            "before_outage": latency_summary(before),
            "while_down": {
                "requests": len(down),
                "proper_503": sum(proper_outage_answer(a) for a in down),
                "bad": len(bad_down),
            },
            "around_stop_and_restart": {
                "requests": len(around),
                "proper_503": sum(proper_outage_answer(a) for a in around),
                "bad": len(bad_around),
            },
            "after_recovery": latency_summary(after),
            "dropped_connections": sum(a.status is None for a in answers),
            "server_errors_500": sum(a.status == 500 for a in answers),
        }

    def race(self, port, cluster, token, browser, slug, rounds):
        """(f) An admin save and an API PATCH of one entry, both from the same version. The
        first round starts them together; later rounds hold the PATCH back by a growing share
        of the admin save's time, so each side gets its chance to be first."""
        with psycopg.connect(cluster.url("atlas")) as connection:
            pk = connection.execute(
                "SELECT id FROM casestudies_casestudy WHERE slug = %s", [slug]
            ).fetchone()[0]
        change_path = f"/admin/casestudies/casestudy/{pk}/change/"
        details, admin_seconds = [], 0.0
        for number in range(1, rounds + 1):
            page, _ = browser.send("GET", change_path)
            form = form_fields(page.body, form_id="casestudy_form")
            _, etag = api_json(port, f"/api/v1/case-studies/{slug}/", token)
            texts = {
                "admin": f"Race {number}: the admin's summary.",
                "api": f"Race {number}: the API's summary.",
            }
            form.update(summary=texts["admin"], _save="Save")
            delay = admin_seconds * 1.5 * (number - 1) / max(rounds - 1, 1)
            results = {}
            barrier = threading.Barrier(2)

            def admin_save(form=form, barrier=barrier, results=results):
                barrier.wait()
                results["admin"] = browser.send("POST", change_path, form)

            def api_save(
                text=texts["api"], etag=etag, barrier=barrier, results=results, delay=delay
            ):
                barrier.wait()
                time.sleep(delay)
                results["api"] = patch_summary(port, token, slug, text, etag)

            threads = [threading.Thread(target=admin_save), threading.Thread(target=api_save)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=REQUEST_TIMEOUT_S * 2)
            if "admin" in results:
                admin_seconds = results["admin"][0].ended - results["admin"][0].started
            outcome = self.race_outcome(browser, change_path, results)
            stored = stored_summaries(cluster, [slug])[slug]
            winners = [side for side, (won, _) in outcome.items() if won]
            details.append(
                {
                    "api_delay_ms": round(delay * 1000),
                    "winner": winners[0] if len(winners) == 1 else None,
                    "loser_told": {side: how for side, (won, how) in outcome.items() if not won},
                }
            )
            if len(winners) != 1:
                self.fail(f"race {number}: {len(winners)} winners ({outcome})")
            elif stored != texts[winners[0]]:
                self.fail(f"race {number}: the {winners[0]} won but the row holds {stored!r}")
        return {
            "rounds": rounds,
            "admin_won": sum(d["winner"] == "admin" for d in details),
            "api_won": sum(d["winner"] == "api" for d in details),
            "details": details,
        }

    def race_outcome(self, browser, change_path, results):
        """For each side: (won, how the loser was told). A side that neither won nor was told
        is a failure."""
        outcome = {}
        admin, location = results.get("admin", (None, None))
        if admin is not None and admin.status == 302 and location:
            if urlsplit(location).path != change_path:  # saved: on to the list
                outcome["admin"] = (True, None)
            else:  # refused at save time: the message is on the page it returns to
                page, _ = browser.send("GET", change_path)
                told = ADMIN_CONFLICT_TEXT in html.unescape(page.body)
                outcome["admin"] = (False, "message after save" if told else None)
        elif admin is not None and admin.status == 200:
            told = ADMIN_CONFLICT_TEXT in html.unescape(admin.body)
            outcome["admin"] = (False, "form error" if told else None)
        else:
            outcome["admin"] = (False, None)
        api = results.get("api")
        if api is not None and api.status == 200:
            outcome["api"] = (True, None)
        elif api is not None and api.status == 412 and '"precondition_failed"' in api.body:
            outcome["api"] = (False, "412")
        else:
            outcome["api"] = (False, None)
        for side, (won, how) in outcome.items():
            if not won and how is None:
                answer = admin if side == "admin" else api
                self.fail(f"race: the {side} save got {describe(answer) if answer else 'nothing'}")
        return outcome


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
        server = start_gunicorn(env, port, gunicorn_log)
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

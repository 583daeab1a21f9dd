"""The atlas under test: its environment, database, accounts and API helpers."""

import json
import os
import secrets
import subprocess
from pathlib import Path

import psycopg

from harness.http import request
from harness.load import describe
from harness.processes import PYTHON, ROOT, run


def environment(cluster, static_root):
    return {
        **os.environ,
        "DATABASE_URL": cluster.url("atlas"),
        "DEBUG": "false",
        "SECRET_KEY": "faults-only-" + secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback
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
# Reviewers: their saves of published entries go live at once, which is what the fault test
# checks survives an outage (an editor's would wait for review as a revision).
reviewers = Group.objects.get(name="Reviewers")
for name in ("fault-admin", "fault-api"):
    user = User.objects.create_user(name, password=os.environ["FAULT_PASSWORD"], is_staff=True)
    user.groups.add(reviewers)
print(Token.objects.create(user=User.objects.get(username="fault-api")).key)
"""


# A directory where the first check of a CI run leaves its prepared cluster (migrated, the
# atlas loaded, the accounts made) for the next to copy: the two checks set up the same database,
# and migrating and loading it is most of the minute each takes to start.
PREPARED_ENV = "ATLAS_PREPARED_CLUSTER"


def prepare_database(cluster, env):
    """The atlas's database on the stopped, initialised `cluster`, which it starts: migrated,
    the atlas loaded and two accounts made (returns the password and the API token), or copied
    from the cluster an earlier check prepared (`ATLAS_PREPARED_CLUSTER`)."""
    collecting = subprocess.Popen(  # needs no database, so alongside the rest
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT
    )
    shared = Path(os.environ[PREPARED_ENV]) if os.environ.get(PREPARED_ENV) else None
    if shared is not None and (shared / "accounts.json").exists():
        cluster.replace_data_with(shared / "cluster" / "data")
        cluster.start()
        accounts = json.loads((shared / "accounts.json").read_text())
        password, token = accounts["password"], accounts["token"]
    else:
        password, token = _migrated_and_loaded(cluster, env)
        if shared is not None:
            cluster.copy_data_to(cluster.owned_directory(shared / "cluster") / "data")
            accounts = {"password": password, "token": token}
            (shared / "accounts.json").write_text(json.dumps(accounts))  # last: the copy is whole
        cluster.start()
    if collecting.wait() != 0:
        raise RuntimeError("collectstatic failed")
    return password, token


def _migrated_and_loaded(cluster, env):
    # Setting up needs no durability: migrate and load without fsync; the caller starts the
    # cluster again with the defaults before anything is measured.
    cluster.start("fsync=off", "synchronous_commit=off", "full_page_writes=off")
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as admin:
        admin.execute("CREATE DATABASE atlas")
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    run([PYTHON, "manage.py", "load_atlas"], env, stdout=subprocess.DEVNULL)
    password = secrets.token_urlsafe(16)
    token = run(
        [PYTHON, "manage.py", "shell", "-c", ACCOUNTS_SCRIPT],
        {**env, "FAULT_PASSWORD": password},
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    cluster.stop("fast")
    return password, token


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

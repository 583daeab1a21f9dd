"""EXPLAIN ANALYZE of every query the case-study lists send, on a benchmark database.

For each list an analyst or a mirror asks for (the site's list, filtered, with search words, the
API's list, an editor's list that includes drafts, a page of the CSV export) it requests the page
in-process, captures the SQL it sends, and prints each query's plan with its time. What
docs/performance.md quotes comes from here:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atlas_bench_100000 \\
        .venv/bin/python bench/explain_lists.py

Needs a database made by bench/run.py (PostgreSQL only: EXPLAIN's format is PostgreSQL's)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cooperation.project.settings")
os.environ.setdefault("PUBLIC_PAGE_CACHE_SECONDS", "0")  # every page computed, not cached

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from casestudies import facet_index  # noqa: E402

LISTS = {
    "site list, unfiltered": "/case-studies/",
    "site list, two facets": "/case-studies/?region=europe&outcome=mixed&ordering=-start",
    "site list, search words and a facet": "/case-studies/?q=maritime&outcome=failure",
    "API list, two facets": "/api/v1/case-studies/?outcome=mixed&actor_kind=ngo&ordering=-start",
    "API list, search words": "/api/v1/case-studies/?q=border+patrol",
    "editor's list (drafts: facets in SQL)": "/case-studies/?region=europe&outcome=mixed",
    "CSV export, first chunk of rows": "/case-studies/export.csv?year_to=1975",
}
PLAN_LINES = 14


def explain(sql):
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return [row[0] for row in cursor.fetchall()]


def main():
    if connection.vendor != "postgresql":
        sys.exit("EXPLAIN needs PostgreSQL: set DATABASE_URL to a benchmark database.")
    facet_index.current_snapshot()  # as a started worker holds it
    for name, path in LISTS.items():
        with transaction.atomic():  # the editor made for the editor's list is rolled back
            client = Client(HTTP_HOST="127.0.0.1")
            if name.startswith("editor"):
                client.force_login(get_user_model().objects.create(username="explain-editor"))
                get_user_model().objects.filter(username="explain-editor").update(
                    is_staff=True, is_superuser=True
                )
            show(name, path, client)
            transaction.set_rollback(True)


def show(name, path, client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
        if response.streaming:
            lines = iter(response.streaming_content)
            next(lines), next(lines)  # the header, then the first row: the first chunk's queries
    print(f"\n## {name}: {path} ({response.status_code}, {len(captured)} queries)")
    for number, query in enumerate(captured.captured_queries, start=1):
        sql = query["sql"]
        if sql.startswith("DECLARE"):  # a server-side cursor (an export): plan its SELECT
            sql = sql[sql.index(" FOR SELECT ") + len(" FOR ") :]
        if not sql.lstrip().upper().startswith("SELECT"):
            print(f"\n{number}. {sql[:100]} (not a SELECT)")
            continue
        plan = explain(sql)
        print(f"\n{number}. {sql[:160]}{'...' if len(sql) > 160 else ''}")
        for line in plan[:PLAN_LINES]:
            print(f"    {line}")
        if len(plan) > PLAN_LINES:
            print(f"    ... {len(plan) - PLAN_LINES} more lines")
            print(f"    {plan[-1]}")


if __name__ == "__main__":
    main()

"""The atlas against Datasette's FTS on the same rows, side by side on this machine.

Issue 23 sets the atlas's search, record pages and exports against Datasette 0.65 serving the
same case studies from SQLite. This runs both here, at once, so the comparison does not rest on
figures from another machine: the published case studies of the benchmark database are copied
to a SQLite file with an FTS5 index (as `sqlite-utils enable-fts` builds it), Datasette serves
that file (in its fastest configuration) while gunicorn serves the atlas from PostgreSQL as
bench/run.py does, and each stream of distinct URLs is sent to each at concurrency 8 (the
exports two at a time), every URL asked once, in alternating order over two rounds with new
URLs in each. It prints p50 / p95 and requests a second per stream, and the ratio of the
atlas's p95 to Datasette's.

Datasette is not a dependency of the atlas; install it apart, then point at it:

    python3.12 -m venv /tmp/datasette && /tmp/datasette/bin/pip install datasette==0.65.5
    .venv/bin/python bench/versus_datasette.py --datasette /tmp/datasette/bin/datasette

What each side answers is not the same work, and the table says so: the atlas's search ranks
five kinds of record and its list with `q` counts seven facets; Datasette's `_search` filters one
table by FTS5 and orders by primary key, without ranking."""

import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
import redis
from harness.cold import WORDS, measure_cold
from harness.processes import answering, free_port, log, start_gunicorn
from run import ensure_database, export_year, fetch, rows_in_export, serving_env

DATABASE_NAME = "casestudies"  # Datasette's URLs name the database by its file
COLUMNS = ["id", "slug", "title", "summary", "body", "start_date", "end_date", "outcome"]
ROUNDS = 2
# The columns both exports have: the atlas's also has the dates' precision, the lifecycle, the
# era and the links' slugs; neither has the body.
EXPORT_COLUMNS_PARAMETERS = [
    f"_col={column}" for column in ["slug", "title", "start_date", "end_date", "outcome", "summary"]
]
EXPORT = "CSV export"  # the stream of exports: a few, two at a time, warmed up by their count
WARM_UP = 16  # URLs of each stream sent to each side first, and not counted
EXPORTS_PER_ROUND = 6


def export_to_sqlite(url, target):
    """The published case studies, in a SQLite file with an FTS5 index over their text; an
    earlier copy is reused if it holds as many (a regenerated database has other rows)."""
    with psycopg.connect(url) as connection:
        (published,) = connection.execute(
            "SELECT count(*) FROM casestudies_casestudy WHERE status = 'published'"
        ).fetchone()
    if target.exists():
        copy = sqlite3.connect(target)
        copied = copy.execute("SELECT count(*) FROM casestudies").fetchone()[0]
        copy.close()
        if copied == published:
            return target
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    log(f"Copying the published case studies to {target} ...")
    lite = sqlite3.connect(partial)
    lite.execute(
        "CREATE TABLE casestudies (id INTEGER PRIMARY KEY, slug TEXT, title TEXT, summary TEXT, "
        "body TEXT, start_date TEXT, end_date TEXT, outcome TEXT)"
    )
    with psycopg.connect(url) as connection, connection.cursor(name="published") as rows:
        rows.execute(
            f"SELECT {', '.join(COLUMNS)} FROM casestudies_casestudy "  # noqa: S608 - constants
            "WHERE status = 'published' ORDER BY id"
        )
        while batch := rows.fetchmany(5000):
            lite.executemany(
                "INSERT INTO casestudies VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (*row[:5], row[5].isoformat(), row[6] and row[6].isoformat(), row[7])
                    for row in batch
                ],
            )
    # Datasette finds a table's full-text index by this form of its definition.
    lite.execute(
        "CREATE VIRTUAL TABLE casestudies_fts USING fts5(title, summary, body, "
        "content=\"casestudies\", content_rowid='id')"
    )
    lite.execute("INSERT INTO casestudies_fts (casestudies_fts) VALUES ('rebuild')")
    lite.execute("CREATE INDEX casestudies_start_date ON casestudies (start_date)")
    lite.commit()
    lite.close()
    partial.rename(target)
    return target


def start_datasette(executable, database, port):
    # At its fastest: immutable (no checks for changes), and without suggesting facets on every
    # table page (the atlas suggests none).
    fastest = ["--immutable", str(database), "--setting", "suggest_facets", "off"]
    process = subprocess.Popen(
        [executable, "serve", *fastest, "--host=127.0.0.1", f"--port={port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # It counts an immutable database's rows when it starts.
    return answering(process, port, "/-/versions.json", "Datasette", seconds=120)


def streams(url, count, seed=7):
    """Per round, the atlas's paths and Datasette's for each stream: the same searches, filters
    and case studies on both sides, new ones in each round."""
    rng = random.Random(seed)  # noqa: S311 - sampling, not secrets
    with psycopg.connect(url) as connection:
        cases = connection.execute(
            "SELECT id, slug FROM casestudies_casestudy WHERE status = 'published' ORDER BY id"
        ).fetchall()
        year = export_year(connection)
    sizes = [count] * ROUNDS + [WARM_UP]  # the rounds', then the warm-up's
    cases = rng.sample(cases, 2 * sum(sizes))
    pairs = rng.sample([f"{a}+{b}" for a in WORDS for b in WORDS if a < b], sum(sizes))
    # a search word and the first year, as an analyst narrows a search by date
    narrowed = rng.sample(
        [(word, year) for word in WORDS for year in range(1960, 2025)], sum(sizes)
    )
    table = f"/{DATABASE_NAME}/casestudies"
    # The same rows on each side: the atlas's `year_to`, Datasette's start date before the next.
    atlas_export = "/case-studies/export.csv" + (f"?year_to={year}" if year else "")
    datasette_export = f"{table}.csv?_stream=on&" + "&".join(
        [*([f"start_date__lt={year + 1}-01-01"] if year else []), *EXPORT_COLUMNS_PARAMETERS]
    )
    rounds = []
    for round_, size in enumerate(sizes):
        start = sum(sizes[:round_])
        part = slice(start, start + size)
        pages, details = cases[2 * start :][:size], cases[2 * start + size :][:size]
        rounds.append(
            {
                "search, two words": (
                    [f"/search/?q={pair}" for pair in pairs[part]],
                    [f"{table}?_search={pair}&_size=20" for pair in pairs[part]],
                ),
                "list with q and a year": (
                    [f"/case-studies/?q={word}&year_from={year}" for word, year in narrowed[part]],
                    [
                        f"{table}?_search={word}&start_date__gte={year}-01-01&_facet=outcome"
                        for word, year in narrowed[part]
                    ],
                ),
                "case-study page": (
                    [f"/case-studies/{slug}/" for _, slug in pages],
                    [f"{table}/{pk}" for pk, _ in pages],
                ),
                "API detail / row JSON": (
                    [f"/api/v1/case-studies/{slug}/" for _, slug in details],
                    [f"{table}/{pk}.json" for pk, _ in details],
                ),
                EXPORT: (
                    [atlas_export] * EXPORTS_PER_ROUND,
                    [datasette_export] * EXPORTS_PER_ROUND,
                ),
            }
        )
    return rounds[ROUNDS], rounds[:ROUNDS]


def export_rows(port, path):
    return rows_in_export(fetch(port, path)[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasette", default=shutil.which("datasette"))
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--count", type=int, default=100, help="Distinct URLs a stream a round.")
    parser.add_argument("--sqlite", type=Path, help="The SQLite copy (default: in /tmp).")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    )
    args = parser.parse_args()
    if not args.datasette:
        sys.exit(
            "Datasette not found: install it apart (see this script's docstring), pass --datasette."
        )

    env = serving_env(args.redis_url)
    url = ensure_database(args.postgres_url, args.size, env)
    database = export_to_sqlite(
        url,
        args.sqlite
        or Path(tempfile.gettempdir())
        / f"atlas-versus-datasette-{args.size}"
        / f"{DATABASE_NAME}.db",
    )
    if args.redis_url:
        redis.Redis.from_url(args.redis_url).flushdb()
    atlas_port, datasette_port = free_port(), free_port()
    atlas = start_gunicorn({**env, "DATABASE_URL": url}, atlas_port)
    datasette = start_datasette(args.datasette, database, datasette_port)
    results = {}
    try:
        warm_up, plan = streams(url, args.count)
        for name, (atlas_paths, datasette_paths) in warm_up.items():
            if name != EXPORT:
                measure_cold(atlas_port, atlas_paths, 8)
                measure_cold(datasette_port, datasette_paths, 8)
        first = plan[0][EXPORT]
        log(
            f"CSV rows: atlas {export_rows(atlas_port, first[0][0]):,}, "
            f"Datasette {export_rows(datasette_port, first[1][0]):,}"
        )
        for round_, stream_paths in enumerate(plan):
            for name, (atlas_paths, datasette_paths) in stream_paths.items():
                concurrency = 2 if name == EXPORT else 8
                sides = [
                    ("atlas", atlas_port, atlas_paths),
                    ("Datasette", datasette_port, datasette_paths),
                ]
                for side, port, paths in sides[:: 1 if round_ % 2 == 0 else -1]:
                    measured = measure_cold(port, paths, concurrency)
                    results.setdefault((name, side), []).append(measured)
                    log(
                        f"  round {round_ + 1} {name:<22} {side:<9} p50 {measured['p50_ms']:>7}"
                        f"  p95 {measured['p95_ms']:>7} ms  {measured['requests_per_second']:>6}"
                        f" req/s  errors {measured['errors']}"
                    )
    finally:
        for process in (atlas, datasette):
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    log(f"\nEach URL once, {args.size:,} case studies; the mean of {ROUNDS} rounds:")
    log(f"{'':<24} {'atlas p50 / p95 ms, req/s':>27} {'Datasette p50 / p95 ms, req/s':>31}  p95")
    for name in plan[0]:
        atlas = mean_figures(results[(name, "atlas")])
        other = mean_figures(results[(name, "Datasette")])
        log(
            f"{name:<24} {atlas[0]:>9.0f} / {atlas[1]:>5.0f}, {atlas[2]:>6.1f}"
            f" {other[0]:>13.0f} / {other[1]:>5.0f}, {other[2]:>6.1f}  {atlas[1] / other[1]:.2f}x"
        )


def mean_figures(runs):
    """p50, p95 and requests a second, each the mean over the rounds."""
    keys = ["p50_ms", "p95_ms", "requests_per_second"]
    return [sum(run[key] for run in runs) / len(runs) for key in keys]


if __name__ == "__main__":
    main()

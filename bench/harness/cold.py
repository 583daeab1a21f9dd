"""First visits: streams of distinct URLs, each asked once, as analysts ask them (every facet
click a filter state nobody asked for since the last publication), so no answer is a cache hit.

`cold_paths` draws the streams reproducibly from the benchmark database; `measure_cold` sends a
stream at a fixed concurrency and reports its latencies; `after_publication` times the first
unfiltered list after the public content version changes, as a publication changes it."""

import random
import statistics
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import psycopg
from psycopg import sql

COLD_ENDPOINTS = [
    "cold_list",
    "cold_api_list",
    "cold_list_q",
    "cold_search",
    "cold_case_study",
    "cold_api_detail",
]
WORDS = [
    "maritime", "intelligence", "border", "financing", "cyber", "coalition", "patrol", "police",
    "training", "sanctions", "aviation", "extradition", "surveillance", "hostage", "radicalisation",
    "interpol", "europol", "sahel", "naval", "airstrike", "treaty", "fusion", "biometric",
    "passenger", "customs", "cargo", "drone", "satellite", "prosecution", "courts",
]  # fmt: skip


def _filter_states(rng, values, count):
    """Distinct filter states of one to three facets, some with two values, as the list's
    sidebar builds them."""
    states = set()
    while len(states) < count:
        parts = []
        for name in sorted(rng.sample(sorted(values), rng.randint(1, 3))):
            for value in rng.sample(values[name], rng.choice([1, 1, 1, 2])):
                parts.append(f"{name}={value}")
        states.add("&".join(parts))
    return sorted(states, key=lambda _: rng.random())


def cold_paths(url, count, seed=7):
    """`count` distinct paths per cold stream."""
    rng = random.Random(seed)  # noqa: S311 - sampling, not secrets
    with psycopg.connect(url) as connection:

        def column(sql):
            return [row[0] for row in connection.execute(sql).fetchall()]

        def published(table, limit=None):
            query = sql.SQL("SELECT slug FROM {} WHERE status = 'published' ORDER BY id LIMIT {}")
            return column(query.format(sql.Identifier(table), sql.Literal(limit)))

        cases = published("casestudies_casestudy")
        values = {
            "region": column("SELECT slug FROM cooperation_region ORDER BY id"),
            "era": column("SELECT slug FROM cooperation_era ORDER BY id"),
            "outcome": ["success", "mixed", "failure", "too_early"],
            "lifecycle": ["active", "ended"],
            "mechanism": published("cooperation_mechanism"),
            "challenge": published("cooperation_challenge"),
            # the actors analysts pick are the frequent ones: the first thousand by id
            "actor": published("cooperation_actor", 1000),
            "actor_kind": ["state", "military_alliance", "international_organisation", "ngo"],
            "year_from": [str(year) for year in range(1960, 2025)],
        }
    states = _filter_states(rng, values, count)
    words = [f"{a} {b}" for a in WORDS for b in WORDS if a < b]
    rng.shuffle(words)
    return {
        "cold_list": [f"/case-studies/?{state}" for state in states],
        "cold_api_list": [f"/api/v1/case-studies/?{state}" for state in states],
        "cold_list_q": [
            f"/case-studies/?q={word}&{state}"
            for word, state in zip(WORDS * count, states, strict=False)
        ],
        "cold_search": [f"/search/?q={words[index].replace(' ', '+')}" for index in range(count)],
        "cold_case_study": [f"/case-studies/{slug}/" for slug in rng.sample(cases, count)],
        "cold_api_detail": [f"/api/v1/case-studies/{slug}/" for slug in rng.sample(cases, count)],
    }


def _fetch(port, path):
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as response:
        response.read()
        status = response.status
    return (time.perf_counter() - started) * 1000, status


def _percentile(sorted_values, share):
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * share))]


def measure_cold(port, paths, concurrency):
    """Each path asked once, `concurrency` at a time: requests per second and latencies."""
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(lambda path: _fetch(port, path), paths))
    seconds = time.perf_counter() - started
    latencies = sorted(ms for ms, _ in results)
    return {
        "requests_per_second": round(len(paths) / seconds, 1),
        "p50_ms": round(statistics.median(latencies), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
        "p99_ms": round(_percentile(latencies, 0.99), 1),
        "errors": sum(1 for _, status in results if status != 200),
        "requests": len(paths),
    }


def after_publication(port, url, times=6):
    """Milliseconds to the first unfiltered list after a publication, the median of `times`:
    a published case study is withdrawn to a draft and published again, in turn, each step
    written as the admin's workflow writes it (the row, the public content version and the
    change log, in one transaction)."""
    measured = []
    with psycopg.connect(url, autocommit=True) as connection:
        (case_study,) = connection.execute(
            "SELECT id FROM casestudies_casestudy WHERE status = 'published' ORDER BY id LIMIT 1"
        ).fetchone()
        for step in range(times):
            with connection.transaction():
                connection.execute(
                    "UPDATE casestudies_casestudy SET status = %s, updated_at = now() "
                    "WHERE id = %s",
                    ["draft" if step % 2 == 0 else "published", case_study],
                )
                connection.execute(
                    "INSERT INTO cooperation_contentversion (id, token) VALUES (1, %s) "
                    "ON CONFLICT (id) DO UPDATE SET token = EXCLUDED.token",
                    [uuid.uuid4().hex],
                )
                connection.execute(
                    "INSERT INTO cooperation_contentchange (entry_type, entry_id) VALUES (%s, %s)",
                    ["casestudies.casestudy", case_study],
                )
            measured.append(_fetch(port, "/case-studies/")[0])
    return round(statistics.median(measured), 1)

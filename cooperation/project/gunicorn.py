"""gunicorn's settings for the atlas, chosen so that neither a slow client nor a heavy request
stalls the site (`gunicorn -c python:cooperation.project.gunicorn cooperation.project.wsgi`;
environment variables named below override them). Why each value: docs/security.md, "Bounded
work per request"."""

import gc

from cooperation.project.environment import env_int, env_str

bind = env_str("BIND", "127.0.0.1:8000")
# Threads: a request waiting on the database or a slow reader holds a thread, not a process.
worker_class = "gthread"
workers = env_int("WEB_CONCURRENCY", 3)
threads = env_int("WEB_THREADS", 4)
# A worker that stops answering its arbiter for this long is replaced; the database stops a
# heavy statement after WEB_STATEMENT_TIMEOUT_MS (10 s), long before.
timeout = env_int("WEB_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# A request line over 4,094 bytes is answered 414, headers are capped in number and size.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# Workers are replaced now and then, so that nothing a long-lived process gathers can grow.
max_requests = 2000
max_requests_jitter = 200


def post_worker_init(worker):
    """Build the process's facet index before the worker takes requests, so that a fresh worker
    (started, or replacing one after max_requests) never makes a reader wait for it. Imported
    here: the arbiter reads this file before Django is set up; the worker has set it up. The
    connection it used is closed: requests are served by other threads, with their own."""
    from django.db import connections

    from casestudies.facet_index import warm

    warm()
    connections.close_all()
    # The collector's work grows with what it walks, and it stops the worker's threads while it
    # walks. What the worker holds from here on (modules, URL patterns, the index) lives as long
    # as it does: frozen, no collection walks it again. A request makes tens of thousands of
    # short-lived objects: collected young only every 20,000 allocations (not Python's 700),
    # most are freed before a collection sees them, and fewer survive into the full passes that
    # stalled a worker for 100-200 ms every fifty requests (docs/performance.md, "Garbage
    # collection").
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)

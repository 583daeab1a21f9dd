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
# A worker takes a connection only when one of its threads is free: one with every thread busy
# leaves the next to a worker that can answer it now (at most `threads` at once, so set them
# through WEB_THREADS). Left at gunicorn's 1,000, a busy worker went on accepting and queued
# the requests behind its own while another worker's threads stood idle, and each connection
# nginx kept alive stayed with one worker whatever its load (docs/performance.md, "A worker
# takes what it can serve", measures both). No keep-alive, then: a kept connection would hold a
# place, and nginx opens a connection per request, on loopback, for next to nothing.
worker_connections = threads
keepalive = 0
# A request line over 4,094 bytes is answered 414, headers are capped in number and size.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190
# Workers are replaced now and then, so that nothing a long-lived process gathers can grow.
# A new worker costs about 2 s of CPU (importing the app, building its facet index): every 2,000
# requests that was a twentieth of the CPU of serving them, while a worker's memory stayed
# level past its first thousand requests (docs/performance.md, "Replacing workers").
max_requests = 10_000
max_requests_jitter = 1_000


def post_worker_init(worker):
    """Build the process's facet index before the worker takes requests, so that a fresh worker
    (started, or replacing one after max_requests) never makes a reader wait for it; then set
    the garbage collector for serving (below). Imported
    here: the arbiter reads this file before Django is set up; the worker has set it up. The
    connection it used is closed: requests are served by other threads, with their own."""
    from django.db import connections

    from casestudies.facet_index import warm

    warm()
    connections.close_all()
    # The cyclic collector stops the worker's threads while it walks, for as long as what it
    # walks. What the worker holds from here on (modules, URL patterns, the index) lives as long
    # as the worker: frozen, no collection walks it again. Python's default young collection,
    # every 700 objects more allocated than freed, comes a few times in each request: the
    # objects of the requests in flight survive it, grow old, and with the garbage in cycles that
    # requests leave, filled full collections that stalled a worker for 50-240 ms every fifty
    # requests. Every 20,000, it comes every dozen requests and finds mostly garbage; 50,000
    # cost as much in all, in pauses twice as long (docs/performance.md, "Garbage collection";
    # bench/collector.py measures it).
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)

"""The web server's own limits: gunicorn as configured refuses over-long request lines, a worker
with every thread busy leaves new requests to the others, slow clients meet nginx
(docs/deploy/nginx.conf) and never reach gunicorn's threads, and on PostgreSQL a web request's
statements are cut off while commands' are not."""

import contextlib
import http.client
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from bench.harness import nginx
from tests.support.settings import settings_in_subprocess

GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(command, port, **options):
    """A server process of ours on loopback `port`, once it listens; stopped afterwards."""
    process = subprocess.Popen(  # noqa: S603 - our own servers and configurations
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **options
    )
    try:
        wait_until_listening(port)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextlib.contextmanager
def production_gunicorn(tmp_path, workers, threads=None):
    """gunicorn with production's configuration on loopback, `workers` processes of its
    threads (or of `threads`, set as production sets them: WEB_THREADS)."""
    port = free_port()
    command = [
        str(GUNICORN),
        "-c",
        "python:cooperation.project.gunicorn",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "cooperation.project.wsgi",
    ]
    database = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": database}
    if threads is not None:
        env["WEB_THREADS"] = str(threads)
    with serving(command, port, cwd=settings.BASE_DIR, env=env):
        yield port


@pytest.fixture
def gunicorn(tmp_path):
    with production_gunicorn(tmp_path, workers=1) as port:
        yield port


def wait_until_listening(port):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)


def status_of(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


@pytest.mark.slow
def test_a_request_line_over_the_limit_is_414(gunicorn):
    assert status_of(gunicorn, "/static/?" + "x" * 5000) == 414
    assert status_of(gunicorn, "/static/?" + "x" * 3900) != 414


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_web_requests_have_a_statement_timeout_and_commands_do_not():
    database = settings.DATABASES["default"]
    url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    expression = "__import__('tests.support.web', fromlist=['_']).statement_timeouts()"
    timeouts = settings_in_subprocess(
        {"DATABASE_URL": url, "WEB_STATEMENT_TIMEOUT_MS": "2500"}, expression
    )
    assert timeouts == {"command": "0", "web": "2500ms"}


@pytest.fixture
def slow_statements(db):
    """Every statement of the request waits 0.2 s first, against a 50 ms statement timeout."""
    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 50")  # undone with the test's transaction

    def slow(execute, sql, params, many, context):
        execute("SELECT pg_sleep(0.2)", None, False, context)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(slow):
        yield


@pytest.mark.postgres_only
@pytest.mark.parametrize("path", ["/case-studies/", "/api/v1/case-studies/"])
def test_a_statement_over_the_timeout_is_answered_as_such(slow_statements, path):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "took longer than the atlas allows" in response.content.decode()


@pytest.fixture
def nginx_in_front(gunicorn, tmp_path):
    port = free_port()
    with serving(nginx.command(settings.BASE_DIR, tmp_path, port, gunicorn), port):
        yield port


def trickle(port, stop):
    """A client that sends its request's headers one short line a second, for ever."""
    with socket.create_connection(("127.0.0.1", port)) as client:
        client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        while not stop.wait(1):
            client.sendall(b"X-Slow: 1\r\n")


@pytest.mark.slow
@pytest.mark.skipif(nginx.NGINX is None, reason="needs Debian's nginx (.ci/run installs it)")
def test_slow_clients_do_not_hold_the_site_behind_nginx(nginx_in_front):
    # Four times gunicorn's threads (one worker of four here): straight to gunicorn these
    # clients hold every thread and the next request waits until they give up.
    stop = threading.Event()
    clients = [threading.Thread(target=trickle, args=(nginx_in_front, stop)) for _ in range(16)]
    for client in clients:
        client.start()
    try:
        time.sleep(2)
        started = time.monotonic()
        assert status_of(nginx_in_front, "/static/css/site.css") == 200  # no database needed
        assert time.monotonic() - started < 2
    finally:
        stop.set()
        for client in clients:
            client.join()


@pytest.mark.slow
def test_a_worker_with_every_thread_busy_leaves_new_requests_to_the_others(tmp_path):
    # Two workers of one thread; a client trickling its headers holds one worker's thread. Had
    # that worker gone on accepting, about half the requests below would wait behind the
    # trickle, for as long as it lasts.
    stop = threading.Event()
    with production_gunicorn(tmp_path, workers=2, threads=1) as port:
        holder = threading.Thread(target=trickle, args=(port, stop))
        holder.start()
        try:
            time.sleep(1)
            for _ in range(8):
                started = time.monotonic()
                assert status_of(port, "/static/css/site.css") == 200  # no database needed
                assert time.monotonic() - started < 2
        finally:
            stop.set()
            holder.join()

"""The web server's own limits: gunicorn as configured refuses over-long request lines, and on
PostgreSQL a web request's statements are cut off while commands' are not."""

import http.client
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from tests.support.settings import settings_in_subprocess

GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(tmp_path):
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - our own server, on loopback
        [
            str(GUNICORN),
            "-c",
            "python:cooperation.project.gunicorn",
            f"--bind=127.0.0.1:{port}",
            "--workers=1",
            "cooperation.project.wsgi",
        ],
        cwd=settings.BASE_DIR,
        env={"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield port
    process.terminate()
    process.wait(timeout=30)


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

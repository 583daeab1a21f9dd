"""A database outage answers 503 with Retry-After: the outage page on the site, the API's JSON
error under /api/; never a 500 or a traceback, wherever the failure happens, and the next request
after the database is back is served as usual."""

import contextlib
import json
import logging
import re

import html5lib
import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client

from cooperation.models import Status
from tests.factories import CaseStudyFactory

pytestmark = pytest.mark.django_db

OUTAGE_TEXT = "The atlas is briefly unavailable"


@pytest.fixture
def client():
    # The outage is still signalled as an exception; the test client would re-raise it.
    return Client(raise_request_exception=False)


@pytest.fixture
def case(empty_database):
    return CaseStudyFactory(slug="isaf", title="ISAF", status=Status.PUBLISHED)


@contextlib.contextmanager
def database_fails(table=None, error=OperationalError):
    """Every query (or every query naming `table`) fails as it would with the server gone."""

    def fail(execute, sql, params, many, context):
        if table is None or table in sql:
            raise error("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield


def assert_outage_page(response):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    html5lib.HTMLParser(strict=True).parse(html)  # raises on any parse error
    assert re.search(rf"<h1>{OUTAGE_TEXT}</h1>", html)
    assert "Traceback" not in html and "OperationalError" not in html


def assert_api_outage(response):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert response["Content-Type"] == "application/json"
    error = json.loads(response.content)["error"]
    assert error["status"] == 503
    assert error["code"] == "service_unavailable"
    assert "briefly unavailable" in error["message"]


def test_a_page_whose_view_loses_the_database_answers_503(client, case):
    with database_fails("casestudies_casestudy"):  # the page cache's own query still works
        response = client.get(case.get_absolute_url())
    assert_outage_page(response)


def test_failure_in_the_page_cache_before_the_view_answers_503(client, case):
    with database_fails("cooperation_contentversion"):
        response = client.get(case.get_absolute_url())
    assert_outage_page(response)


def test_failure_loading_the_session_answers_503(client, case, editor):
    client.force_login(editor)
    with database_fails("django_session"):
        page = client.get(case.get_absolute_url())
        api = client.get("/api/v1/case-studies/")
    assert_outage_page(page)
    assert_api_outage(api)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_an_api_endpoint_answers_503_in_the_api_error_shape(client, case, error):
    with database_fails("casestudies_casestudy", error=error):
        listing = client.get("/api/v1/case-studies/")
        detail = client.get(f"/api/v1/case-studies/{case.slug}/")
    assert_api_outage(listing)
    assert_api_outage(detail)


def test_whole_database_down_every_kind_of_request_gets_503_then_recovers(client, case, admin_user):
    client.force_login(admin_user)
    with database_fails():  # including the 503 page itself, were it to query
        answers = {
            "page": client.get(case.get_absolute_url()),
            "admin": client.get("/admin/casestudies/casestudy/"),
            "post": client.post("/admin/casestudies/casestudy/add/", {"title": "New"}),
            "api": client.get("/api/v1/case-studies/"),
            "api_write": client.patch(
                f"/api/v1/case-studies/{case.slug}/",
                {"summary": "Changed."},
                content_type="application/json",
                headers={"if-match": "*"},
            ),
        }
    for name in ("page", "admin", "post"):
        assert_outage_page(answers[name])
    assert_api_outage(answers["api"])
    assert_api_outage(answers["api_write"])
    case.refresh_from_db()
    assert case.summary != "Changed."
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get("/api/v1/case-studies/").status_code == 200


def test_the_outage_is_logged_with_the_path(client, case, caplog):
    with caplog.at_level(logging.ERROR, logger="cooperation.outage"), database_fails():
        client.get(case.get_absolute_url())
    messages = [r.getMessage() for r in caplog.records if r.name == "cooperation.outage"]
    assert len(messages) == 1
    assert "OperationalError" in messages[0] and case.get_absolute_url() in messages[0]


def test_other_errors_stay_500(client, case, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug, not an outage")

    monkeypatch.setattr("casestudies.views.CaseStudyDetailView.get_context_data", broken)
    response = client.get(case.get_absolute_url())
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_other_database_errors_stay_500(client, case):
    from django.db import ProgrammingError

    with database_fails("casestudies_casestudy", error=ProgrammingError):
        response = client.get(case.get_absolute_url())
    assert response.status_code == 500

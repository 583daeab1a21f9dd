"""Bounded work per request: many-valued fields take a limited list, looked up in one query."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casestudies.models import CaseStudy
from cooperation.limits import API_MAX_LINKS
from tests.support.api import client_for, error_of

pytestmark = pytest.mark.django_db

NEW_CASE = {
    "slug": "new-case",
    "title": "A new case",
    "summary": "A case study.",
    "regions": ["europe"],
    "outcome": "too_early",
    "start_date": "2001-10-07",
}


@pytest.fixture
def writer(atlas, api_editor):
    return client_for(api_editor)


@pytest.mark.parametrize("field", ["countries", "regions", "sources"])
def test_an_overlong_list_is_refused_naming_the_field(writer, field):
    body = {**NEW_CASE, field: ["nato"] * 150_000}
    with CaptureQueriesContext(connection) as queries:
        response = writer.post("/api/v1/case-studies/", body, format="json")
    assert response.status_code == 400
    assert error_of(response)["fields"][field] == [
        f"Give at most {API_MAX_LINKS} slugs; this list has 150000."
    ]
    assert len(queries) < 20
    assert not CaseStudy.objects.filter(slug="new-case").exists()


def test_a_long_list_is_looked_up_in_one_query(writer):
    few = writer.post("/api/v1/case-studies/", {**NEW_CASE, "countries": ["canada"]}, format="json")
    assert few.status_code == 201, few.content
    CaseStudy.objects.filter(slug="new-case").delete()
    countries = ["canada", "united-states", "france", "germany", "united-kingdom", "italy"]
    with CaptureQueriesContext(connection) as one:
        writer.post("/api/v1/case-studies/", {**NEW_CASE, "countries": ["canada"]}, format="json")
    CaseStudy.objects.filter(slug="new-case").delete()
    with CaptureQueriesContext(connection) as many:
        response = writer.post(
            "/api/v1/case-studies/", {**NEW_CASE, "countries": countries}, format="json"
        )
    assert response.status_code == 201, response.content
    assert sorted(c["slug"] for c in response.json()["countries"]) == sorted(countries)
    assert len(many) == len(one)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([0], "Give each record by its slug, as text."),
        (["europe", None], "Give each record by its slug, as text."),
        (["europe", "atlantis"], "Object with slug=atlantis does not exist."),
    ],
)
def test_each_item_must_be_the_slug_of_a_record(writer, value, message):
    response = writer.post("/api/v1/case-studies/", {**NEW_CASE, "regions": value}, format="json")
    assert response.status_code == 400
    assert error_of(response)["fields"]["regions"] == [message]


def test_the_schema_gives_the_limit(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    regions = schema["components"]["schemas"]["CaseStudyInputRequest"]["properties"]["regions"]
    assert regions["maxItems"] == API_MAX_LINKS


LARGE_BODY = b'{"username": "' + b"x" * 3_000_000 + b'"}'


@pytest.mark.parametrize(
    "path", ["/api/v1/auth/token/", "/api/v1/case-studies/", "/api/v1/regions/europe/"]
)
def test_an_api_body_over_the_limit_is_413_in_the_error_shape(client, atlas, path):
    response = client.generic("POST", path, LARGE_BODY, content_type="application/json")
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "request_too_large"
    assert "2.9 MB" in error["message"] and "2.5 MB" in error["message"]


def test_a_multipart_form_whose_fields_are_over_the_limit_is_a_413_page(admin_client):
    """Within the larger limit for uploads, but the fields other than files are too large."""
    count = CaseStudy.objects.count()
    response = admin_client.post("/admin/casestudies/casestudy/add/", {"title": "x" * 3_000_000})
    assert response.status_code == 413
    assert "fields other than files are too large" in response.content.decode()
    assert CaseStudy.objects.count() == count


def test_an_api_form_whose_fields_are_over_the_limit_is_413(client):
    response = client.post("/api/v1/auth/token/", {"username": "x" * 3_000_000})
    assert response.status_code == 413
    assert error_of(response)["code"] == "request_too_large"


def test_a_form_over_the_limit_is_a_413_page(admin_client):
    count = CaseStudy.objects.count()
    response = admin_client.generic(
        "POST",
        "/admin/casestudies/casestudy/add/",
        b"title=" + b"x" * 3_000_000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()
    assert CaseStudy.objects.count() == count

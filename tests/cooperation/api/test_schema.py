"""The OpenAPI schema: valid OpenAPI 3, served with interactive docs from local assets, and true
to the API, which a property-based run (schemathesis, in process through the WSGI application)
checks operation by operation: no 5xx, and every response as the schema describes it."""

import re

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from rest_framework.authtoken.models import Token
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)
from werkzeug.test import Client as WSGIClient

from tests.support.api import RESOURCES, client_for, make_editor
from tests.support.small_atlas import build_small_atlas

pytestmark = pytest.mark.django_db

# Django's own WSGI handler, as cooperation/project/wsgi.py builds it, without what that module
# adds for the web server's processes (a statement timeout on every database connection).
application = get_wsgi_application()


def load_schema():
    response = client_for().get("/api/v1/schema/?format=json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return response.json()


def test_the_schema_is_valid_openapi_3():
    document = load_schema()
    assert document["openapi"].startswith("3.")
    validate(document)
    yaml_response = client_for().get("/api/v1/schema/")
    assert yaml_response.status_code == 200
    assert yaml_response["Content-Type"].startswith("application/vnd.oai.openapi")


def test_the_schema_describes_every_operation_and_filter():
    document = load_schema()
    paths = document["paths"]
    for resource in RESOURCES:
        assert set(paths[f"/api/v1/{resource}/"]) == {"get", "post"}
        detail = next(path for path in paths if path.startswith(f"/api/v1/{resource}/{{"))
        assert set(paths[detail]) == {"get", "put", "patch", "delete"}
        for method, operation in paths[detail].items():
            names = {parameter["name"] for parameter in operation.get("parameters", [])}
            if method in ("put", "patch", "delete"):
                assert "If-Match" in names
                assert {"412", "428"} <= set(operation["responses"])
            else:
                assert {"If-None-Match", "304", "404"} <= names | set(operation["responses"])
        listing = paths[f"/api/v1/{resource}/"]["get"]
        names = {parameter["name"] for parameter in listing["parameters"]}
        assert {"page", "page_size", "ordering", "updated_after", "format"} <= names
        assert "text/csv" in listing["responses"]["200"]["content"]
        assert listing["responses"]["200"]["headers"]["ETag"]["required"] is True
        assert {"tokenAuth": []} in listing["security"] and {} in listing["security"]
        create = paths[f"/api/v1/{resource}/"]["post"]
        assert {} not in create["security"]
        assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "Request"
        )
        for code in ("400", "401", "403", "413", "429"):
            schema = create["responses"][code]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}

    case_studies = {
        parameter["name"]: parameter
        for parameter in paths["/api/v1/case-studies/"]["get"]["parameters"]
    }
    assert {
        "region",
        "era",
        "outcome",
        "mechanism",
        "challenge",
        "actor",
        "actor_kind",
        "year_from",
        "year_to",
        "q",
        "search",
        "status",
        "updated_after",
        "ordering",
    } <= set(case_studies)
    assert case_studies["region"]["schema"] == {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
    }
    assert case_studies["region"]["explode"] is True
    assert case_studies["year_from"]["schema"] == {
        "type": "integer",
        "minimum": 1900,
        "maximum": 2100,
    }
    assert case_studies["updated_after"]["schema"]["format"] == "date-time"
    assert "draft" in case_studies["status"]["schema"]["items"]["enum"]
    actors = {parameter["name"] for parameter in paths["/api/v1/actors/"]["get"]["parameters"]}
    assert {"kind", "region", "search", "status"} <= actors
    mechanisms = {
        parameter["name"] for parameter in paths["/api/v1/mechanisms/"]["get"]["parameters"]
    }
    assert {"category", "parent"} <= mechanisms
    challenges = {
        parameter["name"] for parameter in paths["/api/v1/challenges/"]["get"]["parameters"]
    }
    assert "category" in challenges
    topics = {parameter["name"] for parameter in paths["/api/v1/topics/"]["get"]["parameters"]}
    assert {"refers_to", "search", "status"} <= topics
    error = document["components"]["schemas"]["ErrorDetail"]
    assert set(error["required"]) == {"status", "code", "message"}
    assert "/api/v1/auth/token/" in paths


def test_the_docs_are_served_from_local_assets():
    response = client_for().get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()
    # The setup script, with the schema's address, comes from the same URL (no inline script).
    assert '<script src="/api/v1/docs/?script="></script>' in page
    assert "/api/v1/schema/" in client_for().get("/api/v1/docs/?script=").content.decode()


# Property-based: every operation, generated requests, checked against the schema


@pytest.fixture
def wsgi_in_test_transaction():
    """Calls into the WSGI application share the test's transaction; Django would otherwise
    close that connection at the start and end of each request, as its test client avoids.
    (So no Django test client in these tests: it reconnects the handler after each request.)"""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def unthrottled(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None},
    }


SCHEMATHESIS_CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"deterministic": True, "max-examples": 20},
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        # A request that fails its precondition (412) is rejected too.
        "checks": {
            "negative_data_rejection": {
                "expected-statuses": [
                    "400",
                    "401",
                    "403",
                    "404",
                    "405",
                    "406",
                    "409",
                    "412",
                    "413",
                    "415",
                    "422",
                    "428",
                    "429",
                ]
            }
        },
    }
)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/schema/?format=json", application, config=SCHEMATHESIS_CONFIG
)
CHECKS = [
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
    ignored_auth,
]
HYPOTHESIS = settings(
    max_examples=20,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def fuzz_world(empty_database, django_user_model, wsgi_in_test_transaction, unthrottled):
    atlas = build_small_atlas()
    editor = make_editor(django_user_model)
    return atlas, Token.objects.create(user=editor).key


def assert_no_server_error(response):
    assert response.status_code < 500, response.text


@pytest.mark.slow
@schema.include(method="GET").parametrize()
@HYPOTHESIS
def test_reads_conform_to_the_schema(case, fuzz_world):
    response = case.call()
    assert_no_server_error(response)
    case.validate_response(response, checks=CHECKS)


EXISTING = {
    "slug": {
        "actors": "canada",
        "mechanisms": "intel",
        "challenges": "politics",
        "case-studies": "isaf",
        "sources": "isaf-report",
        "regions": "europe",
        "eras": "isis",
        "topics": "alliances",
    },
}


ENTRY_PATH = re.compile(r"/api/v1/[^/]+/[^/]+/")


def existing_path_parameters(case, atlas):
    resource = case.operation.path.split("/")[3]
    if "slug" in case.path_parameters:
        return {"slug": EXISTING["slug"][resource]}
    if "id" in case.path_parameters:
        link = {
            "memberships": atlas.canada_in_nato,
            "participations": atlas.lead,
            "mechanism-uses": atlas.isaf.mechanismuse_set.first(),
            "challenge-encounters": atlas.isaf.challengeencounter_set.first(),
        }[resource]
        return {"id": str(link.pk)}
    return case.path_parameters


@(
    schema.include(method=["POST", "PUT", "PATCH", "DELETE"])
    .exclude(path="/api/v1/auth/token/")
    .parametrize()
)
@pytest.mark.slow
@settings(HYPOTHESIS, max_examples=10)
def test_writes_conform_to_the_schema(case, fuzz_world):
    """As an editor, on entries that exist, with the current ETag: the generated bodies reach
    validation (and, when valid, the database). Each example is rolled back."""
    atlas, token = fuzz_world
    headers = {"Authorization": f"Token {token}"}
    with transaction.atomic():
        negative = case.meta is not None and case.meta.generation.mode.is_negative
        if case.path_parameters and not negative:
            case.path_parameters = existing_path_parameters(case, atlas)
            entry = ENTRY_PATH.match(case.formatted_path).group()  # a workflow step's entry
            current = WSGIClient(application).get(entry, headers=headers)
            case.headers["If-Match"] = current.headers["ETag"]
        response = case.call(headers=headers)
        assert_no_server_error(response)
        case.validate_response(response, checks=CHECKS, headers=headers)
        transaction.set_rollback(True)


@schema.include(path="/api/v1/auth/token/").parametrize()
@HYPOTHESIS
def test_token_sign_in_conforms_to_the_schema(case, fuzz_world):
    response = case.call()
    assert_no_server_error(response)
    case.validate_response(response, checks=CHECKS)

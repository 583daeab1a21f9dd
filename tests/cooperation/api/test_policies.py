"""The API's shared machinery (cooperation/api/, cooperation/api/): the error
shape, pagination bounds, authentication, throttling."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import ActorFactory, RegionFactory
from tests.support.api import client_for, error_of, make_reader

# The error shape


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/actors/no-such-actor/", 404, "not_found"),
        ("/api/v1/memberships/999999/", 404, "not_found"),
        ("/api/v1/memberships/not-a-number/", 404, "not_found"),
        ("/api/v1/nothing-here/", 404, "not_found"),
        ("/api/v1/actors/?page=1000000000000000000000000000000", 404, "not_found"),
        ("/api/v1/actors/?page=abc", 404, "not_found"),
        ("/api/v1/actors/?page_size=-1", 400, "invalid"),
        ("/api/v1/actors/?page_size=ten", 400, "invalid"),
        ("/api/v1/actors/?kind=wizard", 400, "invalid_choice"),
        ("/api/v1/actors/?updated_after=yesterday", 400, "invalid"),
        ("/api/v1/case-studies/?year_from=99999999999", 400, "max_value"),
        ("/api/v1/case-studies/?year_from=2001.5", 400, "invalid"),
        ("/api/v1/case-studies/?updated_after=2026-02-30T00:00:00", 400, "invalid"),
        ("/api/v1/case-studies/?region=atlantis", 400, "invalid_choice"),
        ("/api/v1/case-studies/?format=xml", 404, "not_found"),
    ],
)
def test_bad_input_gets_the_json_error_shape_never_a_500(path, status, code):
    response = client_for().get(path)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = error_of(response)
    assert error["code"] == code
    assert error["message"]


@pytest.mark.django_db
def test_invalid_filter_value_names_the_filter():
    response = client_for().get("/api/v1/case-studies/?region=atlantis&outcome=victory")
    error = error_of(response)
    assert response.status_code == 400
    assert set(error["fields"]) == {"region", "outcome"}
    assert "region" in error["message"] and "outcome" in error["message"]


def test_malformed_json_and_wrong_types(small_atlas, api_editor):
    client = client_for(api_editor)
    response = client.post("/api/v1/regions/", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"
    response = client.post(
        "/api/v1/eras/",
        {"name": ["x"], "slug": "a b", "start_date": 12, "end_date": "someday"},
        format="json",
    )
    error = error_of(response)
    assert response.status_code == 400
    assert {"name", "slug", "start_date", "end_date"} <= set(error["fields"])


def test_an_unexpected_error_is_a_json_500(small_atlas, monkeypatch):
    from cooperation.api.viewsets.reference import RegionViewSet

    def explode(self, request, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(RegionViewSet, "retrieve", explode)
    response = client_for(raise_request_exception=False).get("/api/v1/regions/europe/")
    assert response.status_code == 500
    assert error_of(response) == {
        "status": 500,
        "code": "server_error",
        "message": "Something went wrong on our side.",
    }


def test_method_not_allowed_has_the_shape(small_atlas, api_editor):
    response = client_for(api_editor).put("/api/v1/regions/", {}, format="json")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


# Pagination


@pytest.mark.usefixtures("empty_database")
def test_page_size_above_the_cap_gets_the_cap(db):
    RegionFactory.create_batch(105)
    response = client_for().get("/api/v1/regions/?page_size=1000")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 105
    assert len(body["results"]) == 100
    assert "page=2" in body["next"]
    assert len(client_for().get("/api/v1/regions/").json()["results"]) == 25
    assert len(client_for().get("/api/v1/regions/?page_size=7").json()["results"]) == 7


@pytest.mark.usefixtures("empty_database")
def test_pages_do_not_overlap_when_names_tie(db):
    for index in range(6):
        ActorFactory(name="Same name", slug=f"same-{index}")
    seen = []
    for page in (1, 2, 3):
        response = client_for().get(f"/api/v1/actors/?page_size=2&page={page}")
        seen += [actor["slug"] for actor in response.json()["results"]]
    assert sorted(seen) == [f"same-{index}" for index in range(6)]


# Authentication and permissions


def test_token_sign_in_and_use(small_atlas, api_editor):
    response = client_for().post(
        "/api/v1/auth/token/",
        {"username": "api-editor", "password": "correct horse battery"},
        format="json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert token == Token.objects.get(user=api_editor).key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get("/api/v1/case-studies/")
    assert {case["slug"] for case in response.json()["results"]} == {"isaf", "sahel", "secret-plan"}


def test_token_errors(small_atlas, api_editor):
    response = client_for().post(
        "/api/v1/auth/token/", {"username": "api-editor", "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert "non_field_errors" in error_of(response)["fields"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/v1/actors/")
    assert response.status_code == 401
    assert error_of(response)["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"


def test_session_authentication_serves_the_browsable_api(small_atlas, api_editor):
    client = APIClient()
    client.force_login(api_editor)
    response = client.get("/api/v1/case-studies/secret-plan/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Secret plan" in response.content.decode()


def test_writes_need_model_permissions(small_atlas, django_user_model):
    data = {"name": "Arctic", "slug": "arctic"}
    response = client_for().post("/api/v1/regions/", data, format="json")
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    response = client_for(make_reader(django_user_model)).post(
        "/api/v1/regions/", data, format="json"
    )
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"


def test_the_default_permission_denies(rf):
    from rest_framework.views import APIView

    class Unconfigured(APIView):
        def get(self, request):
            raise AssertionError("never reached")

    request = rf.get("/")
    response = Unconfigured.as_view()(request)
    assert response.status_code in (401, 403)


# Throttling


@pytest.mark.parametrize("user_rate", ["1000/minute", "1/minute"])
def test_anonymous_clients_are_throttled_by_the_anonymous_rate(small_atlas, settings, user_rate):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": user_rate, "token": "1/minute"},
    }
    client = client_for()
    statuses = [client.get("/api/v1/regions/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = client.get("/api/v1/regions/")
    assert error_of(response)["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_authenticated_clients_have_their_own_rate(small_atlas, api_editor, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "2/minute", "token": "1/minute"},
    }
    client = client_for(api_editor)
    statuses = [client.get("/api/v1/regions/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client_for().get("/api/v1/regions/").status_code == 200  # anonymous: its own count


def test_token_sign_in_is_throttled(small_atlas, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100/minute", "user": "100/minute", "token": "2/minute"},
    }
    client = client_for()
    data = {"username": "nobody", "password": "guess"}
    statuses = [
        client.post("/api/v1/auth/token/", data, format="json").status_code for _ in range(3)
    ]
    assert statuses == [400, 400, 429]

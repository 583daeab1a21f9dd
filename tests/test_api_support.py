"""The API's shared machinery (cooperation/api_policies.py, cooperation/api_support.py): the error
shape, pagination bounds, authentication, throttling. The helpers at the top build the users and
the small atlas the other tests/test_api_*.py modules use."""

import datetime
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db.models import Q
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casestudies.models import CaseStudy
from cooperation.publishing import Status
from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ChallengeEncounterFactory,
    ChallengeFactory,
    EraFactory,
    MechanismFactory,
    MechanismUseFactory,
    MembershipFactory,
    ParticipationFactory,
    RegionFactory,
    SourceFactory,
    StateFactory,
    TopicFactory,
)

CONTENT_APPS = ("cooperation", "casestudies")

# Helpers shared by the API tests


def client_for(user=None, **kwargs):
    client = APIClient(**kwargs)
    if user is not None:
        client.force_authenticate(user)
    return client


def make_editor(django_user_model, username="api-editor"):
    """A staff user who may add, change and delete every content model (and so sees drafts)."""
    user = django_user_model.objects.create_user(username, password="correct horse battery")
    user.is_staff = True
    user.save()
    user.user_permissions.set(
        Permission.objects.filter(
            Q(codename__startswith="add_")
            | Q(codename__startswith="change_")
            | Q(codename__startswith="delete_")
            | Q(codename__startswith="view_"),
            content_type__app_label__in=CONTENT_APPS,
        )
    )
    return django_user_model.objects.get(pk=user.pk)


def make_reader(django_user_model, username="api-reader"):
    """Signed in, with no permissions at all: sees what the public sees."""
    return django_user_model.objects.create_user(username, password="correct horse battery")


def build_atlas():
    """A small atlas with a draft at every place one could leak: a draft case study, a draft
    actor taking part in a published one, a draft mechanism used and a draft challenge met, a
    draft parent mechanism, a membership of a draft actor."""
    europe = RegionFactory(name="Europe", slug="europe")
    worldwide = RegionFactory(name="Worldwide", slug="worldwide")
    africa = RegionFactory(name="Africa", slug="africa")
    post_911 = EraFactory(
        name="After 9/11",
        slug="post-9-11",
        start_date=datetime.date(2001, 9, 11),
        end_date=datetime.date(2014, 6, 9),
    )
    isis = EraFactory(name="ISIS", slug="isis", start_date=datetime.date(2014, 6, 10))
    report = SourceFactory(slug="isaf-report", title="ISAF report")
    book = SourceFactory(slug="coalition-book", title="Coalition book")
    nato = ActorFactory(name="NATO", slug="nato", region=europe)
    canada = StateFactory(name="Canada", slug="canada", country_code="CA", region=europe)
    secret = StateFactory(name="Secretland", slug="secret", country_code="XS", status=Status.DRAFT)
    canada_in_nato = MembershipFactory(member=canada, organisation=nato)
    secret_in_nato = MembershipFactory(member=secret, organisation=nato)
    intel = MechanismFactory(name="Intelligence sharing", slug="intel")
    covert = MechanismFactory(name="Covert liaison", slug="covert", status=Status.DRAFT)
    ops = MechanismFactory(
        name="Joint operations",
        slug="ops",
        category="joint_operations",
        parent=covert,
    )
    politics = ChallengeFactory(name="Politics", slug="politics")
    politics.mitigated_by.add(intel, covert)
    leaks = ChallengeFactory(name="Leaks", slug="leaks", category="technology", status=Status.DRAFT)
    isaf = CaseStudyFactory(
        title="ISAF",
        slug="isaf",
        summary="The NATO-led security mission in Afghanistan.",
        start_date=datetime.date(2003, 8, 11),
        end_date=datetime.date(2014, 12, 28),
        outcome=CaseStudy.Outcome.MIXED,
    )
    isaf.regions.add(worldwide)
    isaf.countries.add(canada, secret)
    isaf.sources.add(report)
    lead = ParticipationFactory(case_study=isaf, actor=nato, role="lead", contribution="Command.")
    lead.sources.add(report)
    ParticipationFactory(case_study=isaf, actor=canada)
    hidden_participation = ParticipationFactory(case_study=isaf, actor=secret)
    MechanismUseFactory(case_study=isaf, mechanism=intel)
    MechanismUseFactory(case_study=isaf, mechanism=covert)
    ChallengeEncounterFactory(case_study=isaf, challenge=politics)
    ChallengeEncounterFactory(case_study=isaf, challenge=leaks)
    sahel = CaseStudyFactory(
        title="Sahel task force",
        slug="sahel",
        summary="A European task force in the Sahel.",
        start_date=datetime.date(2020, 3, 27),
        end_date=None,
        outcome=CaseStudy.Outcome.ONGOING,
    )
    sahel.regions.add(africa, europe)
    ParticipationFactory(case_study=sahel, actor=canada, role="partner")
    MechanismUseFactory(case_study=sahel, mechanism=ops)
    plan = CaseStudyFactory(
        title="Secret plan",
        slug="secret-plan",
        summary="Not ready.",
        status=Status.DRAFT,
    )
    plan.regions.add(europe)
    draft_link = ParticipationFactory(case_study=plan, actor=canada)
    alliances = TopicFactory(
        title="Alliances", slug="alliances", body="[[actor:nato]] led [[case-study:isaf]]."
    )
    alliances.sources.add(book)
    secret_topic = TopicFactory(title="Secret topic", slug="secret-topic", status=Status.DRAFT)
    return SimpleNamespace(**locals())


def error_of(response):
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == response.status_code
    return body["error"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # throttle counters live in the cache


@pytest.fixture
def atlas_data(db):
    return build_atlas()


@pytest.fixture
def api_editor(django_user_model):
    return make_editor(django_user_model)


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


def test_malformed_json_and_wrong_types(atlas_data, api_editor):
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


def test_an_unexpected_error_is_a_json_500(atlas_data, monkeypatch):
    from cooperation.api import RegionViewSet

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


def test_method_not_allowed_has_the_shape(atlas_data, api_editor):
    response = client_for(api_editor).put("/api/v1/regions/", {}, format="json")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


# Pagination


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


def test_pages_do_not_overlap_when_names_tie(db):
    for index in range(6):
        ActorFactory(name="Same name", slug=f"same-{index}")
    seen = []
    for page in (1, 2, 3):
        response = client_for().get(f"/api/v1/actors/?page_size=2&page={page}")
        seen += [actor["slug"] for actor in response.json()["results"]]
    assert sorted(seen) == [f"same-{index}" for index in range(6)]


# Authentication and permissions


def test_token_sign_in_and_use(atlas_data, api_editor):
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


def test_token_errors(atlas_data, api_editor):
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


def test_session_authentication_serves_the_browsable_api(atlas_data, api_editor):
    client = APIClient()
    client.force_login(api_editor)
    response = client.get("/api/v1/case-studies/secret-plan/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Secret plan" in response.content.decode()


def test_writes_need_model_permissions(atlas_data, django_user_model):
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
def test_anonymous_clients_are_throttled_by_the_anonymous_rate(atlas_data, settings, user_rate):
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


def test_authenticated_clients_have_their_own_rate(atlas_data, api_editor, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1/minute", "user": "2/minute", "token": "1/minute"},
    }
    client = client_for(api_editor)
    statuses = [client.get("/api/v1/regions/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    assert client_for().get("/api/v1/regions/").status_code == 200  # anonymous: its own count


def test_token_sign_in_is_throttled(atlas_data, settings):
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

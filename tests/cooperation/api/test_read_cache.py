"""The API's public read cache (cooperation.api.read_cache.PublicReadCacheMixin): a repeat
anonymous read is served from the cache, the next read after any change shows the change,
drafts and signed-in users never meet a cached body, throttling and ETags still hold."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers
from rest_framework.authtoken.models import Token

from casestudies import facet_index
from casestudies.models import CaseStudy
from cooperation.api.serializers.fields import EntryURLField
from cooperation.editorial.workflow import transition
from cooperation.models import Actor, Status
from tests.factories import CaseStudyFactory, SourceFactory
from tests.support.api import client_for, error_of

pytestmark = pytest.mark.django_db

READS = [
    "/api/v1/case-studies/?region=europe&ordering=-start",
    "/api/v1/case-studies/isaf/",
    "/api/v1/actors/",
    "/api/v1/stats/regions/",
    "/api/v1/stats/timeline/?outcome=mixed",
]


CSRF_TOKEN = re.compile(r'"csrfToken": "([^"]*)"')


def titles(response):
    return [case["title"] for case in response.json()["results"]]


@pytest.mark.parametrize("path", READS)
def test_a_repeat_anonymous_read_is_served_from_the_cache(
    small_atlas, path, django_assert_num_queries
):
    client = client_for()
    first = client.get(path)
    assert first.status_code == 200
    assert first["X-Atlas-Cache"] == "miss"
    with django_assert_num_queries(1):  # the content version, nothing else
        second = client.get(path)
    assert second["X-Atlas-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second.get("ETag") == first.get("ETag")
    assert second.get("Last-Modified") == first.get("Last-Modified")


def test_head_is_answered_from_the_same_entry(small_atlas):
    client = client_for()
    assert client.get("/api/v1/case-studies/")["X-Atlas-Cache"] == "miss"
    response = client.head("/api/v1/case-studies/")
    assert response.status_code == 200
    assert response["X-Atlas-Cache"] == "hit"


def test_each_query_string_and_format_has_its_own_entry(small_atlas):
    client = client_for()
    everything = client.get("/api/v1/case-studies/")
    europe = client.get("/api/v1/case-studies/?region=europe")
    assert europe["X-Atlas-Cache"] == "miss"
    assert titles(everything) == ["ISAF", "Sahel task force"]
    assert titles(europe) == ["Sahel task force"]

    # The same URL negotiated to the browsable API by the Accept header: an entry of its own
    browsable = client.get("/api/v1/case-studies/", HTTP_ACCEPT="text/html")
    assert browsable["X-Atlas-Cache"] == "miss"
    assert browsable["Content-Type"].startswith("text/html")
    again = client.get("/api/v1/case-studies/", HTTP_ACCEPT="text/html")
    assert again["X-Atlas-Cache"] == "hit"
    assert again["Content-Type"].startswith("text/html")
    assert "Sahel task force" in again.content.decode()
    json_again = client.get("/api/v1/case-studies/", HTTP_ACCEPT="application/json")
    assert json_again["X-Atlas-Cache"] == "hit"
    assert json_again["Content-Type"] == "application/json"
    assert json_again.content == everything.content


@pytest.mark.parametrize("path", [*READS, "/api/v1/actors/?page_size=1"])
def test_unknown_parameters_are_the_same_answer_from_the_same_entry(small_atlas, path):
    client = client_for()
    first = client.get(path)
    for noise in ["1", "2"]:
        again = client.get(f"{path}{'&' if '?' in path else '?'}zz={noise}&utm_source=x")
        assert again["X-Atlas-Cache"] == "hit"
        assert again.content == first.content
        assert again.get("ETag") == first.get("ETag")


def test_the_order_of_parameters_does_not_matter_to_the_api(small_atlas):
    client = client_for()
    client.get("/api/v1/case-studies/?region=europe&ordering=-start")
    again = client.get("/api/v1/case-studies/?ordering=-start&region=europe")
    assert again["X-Atlas-Cache"] == "hit"


def test_page_links_do_not_carry_unknown_parameters(small_atlas):
    body = client_for().get("/api/v1/actors/?page_size=1&zz=noise").json()
    assert "page_size=1" in body["next"] and "zz" not in body["next"]


def test_a_signed_in_reader_meets_the_same_rule(small_atlas, api_editor):
    """The parameters are dropped for everyone, so what the cache ignores no view reads."""
    client = client_for(api_editor)
    plain = client.get("/api/v1/case-studies/?region=europe")
    noisy = client.get("/api/v1/case-studies/?region=europe&zz=1")
    assert noisy.json() == plain.json() and noisy["ETag"] == plain["ETag"]


def test_the_browsable_api_renders_each_readers_own_csrf_token(small_atlas):
    """The cache keeps data, not pages: a browsable page holds its reader's CSRF token."""
    path = "/api/v1/regions/?format=api"
    first = client_for().get(path)
    second = client_for().get(path)
    assert (first["X-Atlas-Cache"], second["X-Atlas-Cache"]) == ("miss", "hit")
    tokens = [CSRF_TOKEN.search(r.content.decode()).group(1) for r in (first, second)]
    assert all(tokens) and tokens[0] != tokens[1]
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_urls_in_a_cached_body_name_the_host_asked(small_atlas, settings):
    settings.ALLOWED_HOSTS = ["testserver", "atlas.example"]
    client = client_for()
    client.get("/api/v1/case-studies/isaf/")
    response = client.get("/api/v1/case-studies/isaf/", HTTP_HOST="atlas.example")
    assert response["X-Atlas-Cache"] == "miss"
    assert response.json()["url"] == "http://atlas.example/api/v1/case-studies/isaf/"


def test_an_edit_is_served_at_once(small_atlas):
    client = client_for()
    client.get("/api/v1/case-studies/isaf/")
    client.get("/api/v1/case-studies/")
    isaf = CaseStudy.objects.get(slug="isaf")
    isaf.title = "ISAF, renamed"
    isaf.save()
    response = client.get("/api/v1/case-studies/isaf/")
    assert response["X-Atlas-Cache"] == "miss"
    assert response.json()["title"] == "ISAF, renamed"
    assert "ISAF, renamed" in titles(client.get("/api/v1/case-studies/"))


def test_an_edit_of_an_embedded_record_is_served_at_once(small_atlas):
    client = client_for()
    client.get("/api/v1/case-studies/isaf/")
    nato = Actor.objects.get(slug="nato")
    nato.name = "North Atlantic Treaty Organization"
    nato.save()
    participants = client.get("/api/v1/case-studies/isaf/").json()["participants"]
    assert "North Atlantic Treaty Organization" in [p["actor"]["name"] for p in participants]


def test_a_publication_and_an_unpublication_are_served_at_once(small_atlas, admin_user):
    client = client_for()
    plan = CaseStudy.objects.get(slug="secret-plan")
    plan.sources.add(SourceFactory())
    small_atlas.draft_link.sources.add(small_atlas.report)  # its claims cite sources too
    assert "Secret plan" not in titles(client.get("/api/v1/case-studies/"))
    assert client.get("/api/v1/case-studies/secret-plan/").status_code == 404
    assert client.get("/api/v1/stats/regions/").json()["total"] == 2

    transition(CaseStudy.objects.get(pk=plan.pk), "submit", user=admin_user)
    transition(CaseStudy.objects.get(pk=plan.pk), "publish", user=admin_user)
    assert "Secret plan" in titles(client.get("/api/v1/case-studies/"))
    assert client.get("/api/v1/case-studies/secret-plan/").status_code == 200
    assert client.get("/api/v1/stats/regions/").json()["total"] == 3

    transition(
        CaseStudy.objects.get(pk=plan.pk),
        "archive",
        user=admin_user,
        comment="Withdrawn for the test.",
    )
    assert "Secret plan" not in titles(client.get("/api/v1/case-studies/"))
    assert (
        client.get("/api/v1/case-studies/secret-plan/").status_code == 410
    )  # withdrawn: gone, and says so
    assert client.get("/api/v1/stats/regions/").json()["total"] == 2


def test_a_deletion_is_served_at_once(small_atlas):
    client = client_for()
    assert client.get("/api/v1/case-studies/sahel/").status_code == 200
    assert "Sahel task force" in titles(client.get("/api/v1/case-studies/"))
    CaseStudy.objects.get(slug="sahel").delete()
    assert client.get("/api/v1/case-studies/sahel/").status_code == 404
    assert "Sahel task force" not in titles(client.get("/api/v1/case-studies/"))


def test_a_draft_is_never_served_from_the_cache(small_atlas, api_editor):
    editor = client_for(api_editor)
    for _ in range(2):
        response = editor.get("/api/v1/case-studies/")
        assert "Secret plan" in titles(response)
        assert "X-Atlas-Cache" not in response  # neither read from nor stored in the cache
        response = editor.get("/api/v1/case-studies/secret-plan/")
        assert response.status_code == 200 and "X-Atlas-Cache" not in response
    anonymous = client_for()
    response = anonymous.get("/api/v1/case-studies/")
    assert response["X-Atlas-Cache"] == "miss"
    assert "Secret plan" not in titles(response)
    assert anonymous.get("/api/v1/case-studies/secret-plan/").status_code == 404


def test_a_signed_in_editor_never_gets_the_cached_public_body(small_atlas, api_editor):
    anonymous = client_for()
    anonymous.get("/api/v1/case-studies/")
    assert anonymous.get("/api/v1/case-studies/")["X-Atlas-Cache"] == "hit"
    public_isaf = anonymous.get("/api/v1/case-studies/isaf/").json()
    public_actors = {p["actor"]["slug"] for p in public_isaf["participants"]}

    by_token = client_for()  # as API clients sign in
    by_token.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=api_editor).key}")
    for editor in [client_for(api_editor), by_token]:
        response = editor.get("/api/v1/case-studies/")
        assert "X-Atlas-Cache" not in response
        assert "Secret plan" in titles(response)
        isaf = editor.get("/api/v1/case-studies/isaf/").json()
        assert {p["actor"]["slug"] for p in isaf["participants"]} - public_actors == {"secret"}


def test_a_bad_token_is_refused_not_served_from_the_cache(small_atlas):
    client_for().get("/api/v1/case-studies/")
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    response = client.get("/api/v1/case-studies/")
    assert response.status_code == 401
    assert "X-Atlas-Cache" not in response


def test_throttling_applies_before_the_cache(small_atlas, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute", "user": "1000/minute", "token": "1/minute"},
    }
    client = client_for()
    responses = [client.get("/api/v1/regions/") for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert [r.get("X-Atlas-Cache") for r in responses] == ["miss", "hit", "hit", None]
    assert error_of(responses[3])["code"] == "throttled"
    assert client.get("/api/v1/stats/regions/").status_code == 429


def test_a_cached_read_answers_if_none_match_with_304(small_atlas):
    client = client_for()
    path = "/api/v1/case-studies/?region=europe"
    etag = client.get(path)["ETag"]
    response = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["X-Atlas-Cache"] == "hit"
    assert response["ETag"] == etag
    assert response.content == b""
    other = client.get(path, HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200 and other["X-Atlas-Cache"] == "hit"
    assert other["ETag"] == etag
    last_modified = other["Last-Modified"]
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_a_conditional_first_read_fills_the_cache(small_atlas):
    client = client_for()
    first = client.get("/api/v1/case-studies/isaf/", HTTP_IF_NONE_MATCH='"stale"')
    assert first.status_code == 200 and first["X-Atlas-Cache"] == "miss"
    second = client.get("/api/v1/case-studies/isaf/")
    assert second["X-Atlas-Cache"] == "hit"
    assert second.content == first.content


def test_errors_and_csv_are_not_cached(small_atlas):
    client = client_for()
    for _ in range(2):
        response = client.get("/api/v1/case-studies/?year_from=nineteen")
        assert response.status_code == 400
        assert "X-Atlas-Cache" not in response
        response = client.get("/api/v1/case-studies/?format=csv")
        assert response["X-Atlas-Cache"] == "miss"
        assert b"".join(response.streaming_content).count(b"\n") == 3


def test_caching_can_be_turned_off(small_atlas, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client = client_for()
    client.get("/api/v1/case-studies/")
    assert "X-Atlas-Cache" not in client.get("/api/v1/case-studies/")


def test_a_new_case_study_changes_the_cached_count(small_atlas):
    client = client_for()
    assert client.get("/api/v1/case-studies/").json()["count"] == 2
    CaseStudyFactory(status=Status.PUBLISHED)
    assert client.get("/api/v1/case-studies/").json()["count"] == 3


# Cheaper cold reads


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/case-studies/",
        "/api/v1/case-studies/isaf/",
        "/api/v1/case-studies/isaf.json",  # a format suffix carries on into the nested URLs
        "/api/v1/actors/nato/",
        "/api/v1/participations/",
        "/api/v1/memberships/",
    ],
)
def test_entry_urls_are_the_ones_drf_reverses(small_atlas, settings, monkeypatch, path):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client = client_for()
    templated = client.get(path)
    assert templated.status_code == 200
    assert b"http://testserver/api/v1/" in templated.content
    monkeypatch.setattr(EntryURLField, "get_url", serializers.HyperlinkedIdentityField.get_url)
    assert client.get(path).content == templated.content


def test_the_case_study_list_leaves_the_long_texts_unread(small_atlas):
    facet_index.current_snapshot()  # built once per publication, not per request
    with CaptureQueriesContext(connection) as queries:
        response = client_for().get("/api/v1/case-studies/?page_size=100")
    assert response.status_code == 200
    (page_query,) = [
        q["sql"]
        for q in queries
        if q["sql"].startswith('SELECT "casestudies_casestudy"."id"')
        and '"casestudies_casestudy"."title"' in q["sql"]
    ]
    for column in ["body", "lessons", "outcome_assessment", "review_note"]:
        assert f'"casestudies_casestudy"."{column}"' not in page_query
    assert len(queries) <= 6

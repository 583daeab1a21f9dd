"""The stats API, which gives the insight pages' aggregates, and a fixed number of queries for
every insight page and endpoint however many case studies there are."""

import datetime

import pytest
from django.urls import include, path

from tests.factories import (
    ActorFactory,
    CaseStudyFactory,
    ChallengeEncounterFactory,
    MechanismUseFactory,
    MembershipFactory,
    ParticipationFactory,
    RegionFactory,
    StateFactory,
)

pytestmark = pytest.mark.django_db


# The API's URLconf mounts the stats endpoints; these tests mount them the same way.
urlpatterns = [
    path("api/v1/stats/", include("casestudies.api.stats")),
    path("", include("cooperation.project.urls")),
]
with_api = pytest.mark.urls(__name__)


# The stats API


@with_api
@pytest.mark.parametrize(
    ("endpoint", "expected"),
    [
        ("eras", lambda data: [(r["slug"], r["case_studies"]) for r in data["results"]]
         == [("cold-war", 1), ("post-9-11", 1), ("contemporary", 1)] and data["outside_eras"] == 1),
        ("regions", lambda data: data["results"][0]["url"] == "http://testserver/regions/europe/"),
        ("mechanisms", lambda data: [r["slug"] for r in data["results"]]
         == ["intel", "ops", "training"]),
        ("matrix", lambda data: {(c["mechanism"], c["challenge"]): c["case_studies"]
                                 for c in data["cells"]}[("intel", "trust")] == 2),
        ("outcomes-by-mechanism", lambda data: data["results"][0]["outcomes"]
         == {"success": 1, "mixed": 1, "failure": 1, "too_early": 0}),
        ("timeline", lambda data: [c["slug"] for c in data["case_studies"]]
         == ["alpha", "delta", "bravo", "charlie"] and data["case_studies"][1]["era"] is None),
        ("network", lambda data: len(data["nodes"]) == 4 and data["links"][0]
         == {"source": "uk", "target": "us", "case_studies": 2, "membership": False,
             "relation": "cooperation"}),
    ],
)  # fmt: skip
def test_stats_api_gives_the_same_aggregates(client, insight_atlas, endpoint, expected):
    response = client.get(f"/api/v1/stats/{endpoint}/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    assert expected(response.json())


@with_api
def test_stats_api_follows_the_filters_and_hides_drafts(client, insight_atlas, editor):
    url = "/api/v1/stats/mechanisms/"
    data = client.get(url, {"region": "middle-east"}, HTTP_ACCEPT="application/json").json()
    assert {r["slug"]: r["case_studies"] for r in data["results"]} == {
        "intel": 1,
        "ops": 1,
        "training": 1,
    }
    assert data["total"] == 2
    assert (
        client.get(url, {"region": "atlantis"}, HTTP_ACCEPT="application/json").status_code == 400
    )
    client.force_login(editor)
    data = client.get(url, HTTP_ACCEPT="application/json").json()
    assert {r["slug"] for r in data["results"]} == {"intel", "ops", "training", "secret"}


# A fixed number of queries


def grow(count):
    """`count` more published case studies, each with its own region, mechanism, challenge and
    actors (so every list an aggregate draws from grows), all sharing one actor."""
    shared = ActorFactory()
    for index in range(count):
        case = CaseStudyFactory(start_date=datetime.date(1990 + index, 1, 1))
        case.regions.add(RegionFactory())
        MechanismUseFactory(case_study=case)
        ChallengeEncounterFactory(case_study=case)
        ParticipationFactory(case_study=case, actor=shared)
        member = ParticipationFactory(case_study=case).actor
        MembershipFactory(member=StateFactory(), organisation=member)


MEASURED = [
    "/case-studies/timeline/?colour_by=region",
    "/case-studies/network/",
    "/case-studies/statistics/?mechanism=intel&mechanism=ops&region=europe",
    "/case-studies/timeline/case-studies.csv",
    "/case-studies/network/links.csv",
    "/case-studies/statistics/matrix.csv",
    "/api/v1/stats/timeline/",
    "/api/v1/stats/network/",
    "/api/v1/stats/eras/",
    "/api/v1/stats/regions/",
    "/api/v1/stats/mechanisms/",
    "/api/v1/stats/matrix/",
    "/api/v1/stats/outcomes-by-mechanism/",
]


@with_api
@pytest.mark.parametrize("url", MEASURED)
def test_queries_do_not_grow_with_the_data(
    client, insight_atlas, django_assert_max_num_queries, url
):
    grow(2)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url, HTTP_ACCEPT="application/json").status_code == 200
    grow(20)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url, HTTP_ACCEPT="application/json").status_code == 200

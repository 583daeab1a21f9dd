"""The API's side of releases: the releases resource; every read endpoint pinned to a release
with `?release=` answering from the frozen data with every filter; withdrawals for mirrors that
sync, never leaking a draft; and 410 for a withdrawn entry, in the one error shape."""

import pytest
from django.utils import timezone

from casestudies.filters import CaseStudyFilterSet
from casestudies.models import CaseStudy
from cooperation.editorial.workflow import transition
from cooperation.models import Actor, Status
from cooperation.releases.snapshot import cut_release
from tests.factories import CaseStudyFactory, ParticipationFactory
from tests.support.api import client_for, error_of
from tests.support.users import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def rita(db):
    return member_of("Reviewers", "rita")


def slugs(response):
    assert response.status_code == 200, response.content
    return sorted(item["slug"] for item in response.json()["results"])


def test_the_releases_resource(small_atlas):
    cut_release("2027.1", notes="First.")
    cut_release("2027.2", notes="Second.")
    client = client_for()
    listed = client.get("/api/v1/releases/").json()
    assert [r["version"] for r in listed["results"]] == ["2027.2", "2027.1"]
    detail = client.get("/api/v1/releases/2027.1/").json()
    assert detail["counts"]["casestudies.casestudy"] == 2 and detail["licence"]["name"]
    assert detail["downloads"]["zip"].endswith("/releases/2027.1/download.zip")
    assert error_of(client.get("/api/v1/releases/2099.1/"))["status"] == 404


FILTER_STATES = [
    {},
    {"region": "europe"},
    {"region": ["africa", "worldwide"]},
    {"actor": "canada"},
    {"country": "canada"},
    {"mechanism": "intel"},
    {"challenge": "politics"},
    {"actor_kind": "state"},
    {"outcome": "mixed"},
    {"lifecycle": "active"},
    {"era": "post-9-11"},
    {"year_from": "2010"},
    {"q": "task force"},
    {"ordering": "-start"},
]


def test_a_pinned_read_answers_from_the_frozen_data_with_every_filter(small_atlas, rita):
    assert {name for state in FILTER_STATES for name in state} | {"year_to", "search"} >= set(
        CaseStudyFilterSet.base_filters
    ) - {"status"}
    client = client_for()
    at_cut = {
        repr(state): slugs(client.get("/api/v1/case-studies/", state)) for state in FILTER_STATES
    }
    cut_release("2027.1", notes="First.")
    # Afterwards: a new case study in Europe with Canada, a case archived, a summary changed.
    later = CaseStudyFactory(
        slug="later",
        title="Later task force",
        start_date=timezone.localdate(),
        end_date=None,
        outcome="too_early",
    )
    later.regions.add(small_atlas.europe)
    ParticipationFactory(case_study=later, actor=small_atlas.canada)
    transition(CaseStudy.objects.get(slug="sahel"), "archive", user=rita, comment="Merged.")
    for state in FILTER_STATES:
        pinned = client.get("/api/v1/case-studies/", {**state, "release": "2027.1"})
        assert slugs(pinned) == at_cut[repr(state)], state
        assert pinned["Atlas-Release"] == "2027.1" and pinned.json()["release"] == "2027.1"
    current = client.get("/api/v1/case-studies/", {"region": "europe"})
    assert "later" in slugs(current) and current["Atlas-Release"] == "current"
    frozen_csv = client.get("/api/v1/case-studies/", {"release": "2027.1", "format": "csv"})
    text = b"".join(frozen_csv.streaming_content).decode()
    assert "sahel" in text and "later" not in text


def test_every_read_endpoint_takes_a_release(small_atlas):
    cut_release("2027.1", notes="First.")
    Actor.objects.filter(slug="nato").update(name="Renamed later")
    client = client_for()
    frozen = client.get("/api/v1/actors/nato/", {"release": "2027.1"}).json()
    assert frozen["name"] == "NATO"
    assert client.get("/api/v1/actors/nato/").json()["name"] == "Renamed later"
    for path in [
        "/api/v1/memberships/",
        "/api/v1/participations/",
        "/api/v1/topics/",
        "/api/v1/sources/",
        "/api/v1/regions/",
        "/api/v1/stats/eras/",
    ]:
        response = client.get(path, {"release": "2027.1"})
        assert response.status_code == 200 and response["Atlas-Release"] == "2027.1", path
    unknown = client.get("/api/v1/actors/", {"release": "2099.1"})
    assert "No release “2099.1”" in error_of(unknown)["message"]


def test_a_release_cannot_be_written_to(small_atlas, django_user_model):
    from tests.support.api import make_editor

    cut_release("2027.1", notes="First.")
    client = client_for(make_editor(django_user_model, publishes=True))
    response = client.post("/api/v1/regions/?release=2027.1", {"name": "X"}, format="json")
    assert error_of(response)["fields"]["release"][0].startswith("A release never changes")


def test_withdrawals_sync_and_never_leak_a_draft(small_atlas, rita):
    start = timezone.now()
    transition(CaseStudy.objects.get(slug="sahel"), "archive", user=rita, comment="Merged.")
    transition(CaseStudy.objects.get(slug="secret-plan"), "archive", user=rita)  # never public
    client = client_for()
    listed = client.get("/api/v1/withdrawals/", {"updated_after": start.isoformat()}).json()
    (item,) = listed["results"]
    assert (item["kind"], item["slug"], item["reason"], item["withdrawn"]) == (
        "case-study",
        "sahel",
        "Merged.",
        True,
    )
    later = timezone.now().isoformat()
    assert client.get("/api/v1/withdrawals/", {"updated_after": later}).json()["results"] == []
    assert client.get("/api/v1/withdrawals/", {"kind": "actor"}).json()["results"] == []
    bad = client.get("/api/v1/withdrawals/", {"updated_after": "yesterday"})
    assert "updated_after" in error_of(bad)["fields"]


def test_a_withdrawn_entry_answers_410_in_the_error_shape(small_atlas, rita):
    cut_release("2027.1", notes="First.")
    transition(CaseStudy.objects.get(slug="sahel"), "archive", user=rita, comment="Merged.")
    client = client_for()
    error = error_of(client.get("/api/v1/case-studies/sahel/"))
    assert error["status"] == 410 and error["code"] == "gone"
    assert "Merged." in error["message"]
    assert error["withdrawal"]["last_release"] == "2027.1"
    assert client.get(error["withdrawal"]["last_release_url"]).json()["slug"] == "sahel"
    assert error_of(client.get("/api/v1/case-studies/never/"))["status"] == 404


def test_a_published_entry_is_archived_not_deleted(small_atlas, django_user_model):
    from tests.support.api import make_editor

    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client = client_for(admin)
    etag = client.get("/api/v1/case-studies/sahel/")["ETag"]
    response = client.delete("/api/v1/case-studies/sahel/", HTTP_IF_MATCH=etag)
    assert response.status_code == 409 and "archive it first" in error_of(response)["message"]
    assert CaseStudy.objects.filter(slug="sahel", status=Status.PUBLISHED).exists()
    assert make_editor  # editors may not delete entries at all (test_access_matrix)


@pytest.mark.parametrize("path", ["/api/v1/releases/", "/api/v1/withdrawals/"])
def test_new_endpoints_run_a_fixed_number_of_queries(
    small_atlas, rita, django_assert_max_num_queries, path
):
    for number in range(1, 6):
        cut_release(f"2027.{number}", notes="A release.")
    for number in range(20):
        case = CaseStudyFactory(slug=f"withdrawn-{number}", title=f"Withdrawn {number}")
        transition(case, "archive", user=rita, comment="Withdrawn.")
    with django_assert_max_num_queries(6):
        assert client_for().get(path, {"page_size": 100}).status_code == 200

"""The API lists' filters and orderings."""

import datetime

import pytest

from casestudies.models import CaseStudy
from cooperation.caching.versions import bump_content_version
from cooperation.models import Actor
from tests.support.api import (
    client_for,
    error_of,
    get_json,
    slugs,
)

pytestmark = pytest.mark.django_db


# Filters and ordering


def test_case_study_filters_are_the_shared_ones(small_atlas):
    client = client_for()
    assert slugs(get_json(client, "/api/v1/case-studies/?region=africa&region=worldwide")) == [
        "isaf",
        "sahel",
    ]
    assert slugs(get_json(client, "/api/v1/case-studies/?region=europe")) == ["sahel"]
    assert slugs(get_json(client, "/api/v1/case-studies/?era=post-9-11")) == ["isaf"]
    assert slugs(get_json(client, "/api/v1/case-studies/?outcome=too_early&outcome=failure")) == [
        "sahel"
    ]
    assert slugs(get_json(client, "/api/v1/case-studies/?mechanism=ops")) == ["sahel"]
    assert slugs(get_json(client, "/api/v1/case-studies/?challenge=politics")) == ["isaf"]
    assert slugs(get_json(client, "/api/v1/case-studies/?actor=nato")) == ["isaf"]
    assert slugs(get_json(client, "/api/v1/case-studies/?actor_kind=state")) == ["isaf", "sahel"]
    assert slugs(get_json(client, "/api/v1/case-studies/?year_from=2015")) == ["sahel"]
    assert slugs(get_json(client, "/api/v1/case-studies/?year_to=2010")) == ["isaf"]
    assert slugs(get_json(client, "/api/v1/case-studies/?q=afghanistan")) == ["isaf"]
    assert slugs(get_json(client, "/api/v1/case-studies/?search=sahel")) == ["sahel"]
    assert slugs(get_json(client, "/api/v1/case-studies/?search=zqxjkv")) == []


def test_unknown_filter_value_is_a_400_naming_the_filter(small_atlas):
    response = client_for().get("/api/v1/case-studies/?region=europe&region=atlantis")
    assert response.status_code == 400
    error = error_of(response)
    assert list(error["fields"]) == ["region"]
    assert "atlantis" in error["fields"]["region"][0]


def test_updated_after_returns_what_changed_since(small_atlas):
    client = client_for()
    everything = get_json(client, "/api/v1/case-studies/")["results"]
    since = max(case["updated_at"] for case in everything)
    assert get_json(client, f"/api/v1/case-studies/?updated_after={since}")["count"] == 0
    CaseStudy.objects.filter(slug="sahel").update(
        updated_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=5)
    )
    bump_content_version()  # as a save would; a bulk update sends no signal
    changed = get_json(client, "/api/v1/case-studies/", status=200)
    assert changed["count"] == 2
    assert slugs(get_json(client, f"/api/v1/case-studies/?updated_after={since}")) == ["sahel"]
    earlier = "2000-01-01T00:00:00Z"
    assert get_json(client, f"/api/v1/regions/?updated_after={earlier}")["count"] == 3


def test_ordering(small_atlas):
    client = client_for()
    assert slugs(get_json(client, "/api/v1/case-studies/?ordering=-start")) == ["sahel", "isaf"]
    assert slugs(get_json(client, "/api/v1/case-studies/?ordering=start")) == ["isaf", "sahel"]
    assert slugs(get_json(client, "/api/v1/actors/?ordering=-name")) == ["nato", "canada"]
    assert slugs(get_json(client, "/api/v1/eras/?ordering=-start")) == ["isis", "post-9-11"]
    response = client.get("/api/v1/actors/?ordering=secret_field")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["ordering"]


def test_other_resources_filters(small_atlas, api_editor):
    client = client_for()
    assert slugs(get_json(client, "/api/v1/actors/?kind=state")) == ["canada"]
    assert slugs(get_json(client, "/api/v1/actors/?region=europe")) == ["canada", "nato"]
    assert slugs(get_json(client, "/api/v1/actors/?kind=state&kind=military_alliance")) == [
        "canada",
        "nato",
    ]
    assert slugs(get_json(client, "/api/v1/actors/?search=canada")) == ["canada"]
    assert slugs(get_json(client, "/api/v1/mechanisms/?category=joint_operations")) == ["ops"]
    assert slugs(get_json(client_for(api_editor), "/api/v1/mechanisms/?parent=covert")) == ["ops"]
    assert client.get("/api/v1/mechanisms/?parent=covert").status_code == 400
    assert slugs(get_json(client, "/api/v1/challenges/?category=political")) == ["politics"]
    assert slugs(get_json(client, "/api/v1/challenges/?mitigated_by=intel")) == ["politics"]
    assert slugs(get_json(client, "/api/v1/sources/?search=isaf")) == ["isaf-report"]
    assert get_json(client, "/api/v1/memberships/?organisation=nato")["count"] == 1
    assert get_json(client, "/api/v1/participations/?case_study=isaf&role=lead")["count"] == 1


def test_actors_are_found_by_their_crosswalk_ids(small_atlas):
    client = client_for()
    Actor.objects.filter(slug="nato").update(wikidata_qid="Q7184", atop_id=3180)
    Actor.objects.filter(slug="canada").update(cow_code=20)
    assert [a["slug"] for a in get_json(client, "/api/v1/actors/?wikidata=Q7184")["results"]] == [
        "nato"
    ]
    assert [a["slug"] for a in get_json(client, "/api/v1/actors/?cow=20")["results"]] == ["canada"]
    assert [a["slug"] for a in get_json(client, "/api/v1/actors/?atop=3180")["results"]] == ["nato"]
    refused = client.get("/api/v1/actors/?wikidata=NATO")
    assert "Q followed by digits" in error_of(refused)["fields"]["wikidata"][0]

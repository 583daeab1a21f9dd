"""Every API resource for the public, an editor and an admin: what each sees (drafts never reach
the public, in lists, details, embedded links, counts or CSV), the filters and orderings, the
writes, and a fixed number of queries per list whatever its size."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from casestudies import facet_index
from casestudies.models import CaseStudy, Participation
from cooperation.caching.versions import bump_content_version
from cooperation.models import Actor, Region
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
from tests.support.api import RECORD_OF_CHANGE, RESOURCES, client_for, error_of, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def clients(api_editor, admin_user):
    return {
        "anonymous": client_for(),
        "editor": client_for(api_editor),
        "admin": client_for(admin_user),
    }


def get_json(client, path, status=200):
    response = client.get(path)
    assert response.status_code == status, response.content
    return response.json()


def slugs(body, key="slug"):
    return [item[key] for item in body["results"]]


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


# The root, the URL names


def test_the_root_is_browsable_and_links_every_resource(small_atlas):
    body = get_json(client_for(), "/api/v1/")
    assert set(body) == {*RESOURCES, *RECORD_OF_CHANGE, "stats"}
    stats = get_json(client_for(), body["stats"])
    assert stats["outcomes_by_mechanism"].endswith("/api/v1/stats/outcomes-by-mechanism/")
    assert get_json(client_for(), stats["regions"] + "?region=europe")["total"] >= 1
    assert body["case-studies"] == "http://testserver/api/v1/case-studies/"
    response = client_for().get("/api/v1/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert "Counterterrorism Cooperation Atlas API" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("api:api-root", {}, "/api/v1/"),
        ("api:casestudy-list", {}, "/api/v1/case-studies/"),
        ("api:casestudy-detail", {"slug": "isaf"}, "/api/v1/case-studies/isaf/"),
        ("api:actor-detail", {"slug": "nato"}, "/api/v1/actors/nato/"),
        ("api:membership-detail", {"pk": 7}, "/api/v1/memberships/7/"),
        ("api:participation-detail", {"pk": 3}, "/api/v1/participations/3/"),
        ("api:mechanismuse-list", {}, "/api/v1/mechanism-uses/"),
        ("api:challengeencounter-list", {}, "/api/v1/challenge-encounters/"),
        ("api:token", {}, "/api/v1/auth/token/"),
        ("api:schema", {}, "/api/v1/schema/"),
        ("api:docs", {}, "/api/v1/docs/"),
    ],
)
def test_url_names_reverse_and_resolve(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).url_name == name.split(":")[1]


# Every endpoint, every role

PUBLIC_LISTS = {
    "actors": ["canada", "nato"],
    "mechanisms": ["intel", "ops"],
    "challenges": ["politics"],
    "case-studies": ["isaf", "sahel"],
    "sources": ["coalition-book", "isaf-report"],
    "regions": ["africa", "europe", "worldwide"],
    "eras": ["post-9-11", "isis"],
    "topics": ["alliances"],
}
EDITOR_LISTS = {
    **PUBLIC_LISTS,
    "actors": ["canada", "nato", "secret"],
    "mechanisms": ["covert", "intel", "ops"],
    "challenges": ["leaks", "politics"],
    "case-studies": ["isaf", "sahel", "secret-plan"],
    "topics": ["alliances", "secret-topic"],
}


@pytest.mark.parametrize("role", ["anonymous", "editor", "admin"])
@pytest.mark.parametrize("resource", sorted(PUBLIC_LISTS))
def test_slug_resources_list_and_detail(small_atlas, clients, role, resource):
    expected = (PUBLIC_LISTS if role == "anonymous" else EDITOR_LISTS)[resource]
    body = get_json(clients[role], f"/api/v1/{resource}/")
    assert sorted(slugs(body)) == sorted(expected)
    assert body["count"] == len(expected)
    for item in body["results"]:
        detail = get_json(clients[role], item["url"])
        assert detail["slug"] == item["slug"]
        assert detail["url"] == item["url"]


LINK_COUNTS = {
    # public: links whose both ends are published; editors: all of them
    "memberships": (1, 2),
    "participations": (3, 5),
    "mechanism-uses": (2, 3),
    "challenge-encounters": (1, 2),
}


@pytest.mark.parametrize("role", ["anonymous", "editor", "admin"])
@pytest.mark.parametrize("resource", sorted(LINK_COUNTS))
def test_link_resources_list_and_detail_by_id(small_atlas, clients, role, resource):
    public, everyone = LINK_COUNTS[resource]
    body = get_json(clients[role], f"/api/v1/{resource}/")
    assert body["count"] == (public if role == "anonymous" else everyone)
    for item in body["results"]:
        assert item["url"].endswith(f"/api/v1/{resource}/{item['id']}/")
        assert get_json(clients[role], item["url"])["id"] == item["id"]


# Drafts never reach the public


def test_draft_details_are_not_found_for_the_public(small_atlas, clients):
    a = small_atlas
    for path in [
        "/api/v1/case-studies/secret-plan/",
        "/api/v1/actors/secret/",
        "/api/v1/mechanisms/covert/",
        "/api/v1/challenges/leaks/",
        f"/api/v1/memberships/{a.secret_in_nato.pk}/",
        f"/api/v1/participations/{a.hidden_participation.pk}/",
        f"/api/v1/participations/{a.draft_link.pk}/",
    ]:
        response = clients["anonymous"].get(path)
        assert response.status_code == 404, path
        assert error_of(response)["code"] == "not_found"
        assert "ETag" not in response
        assert get_json(clients["editor"], path)["url"].endswith(path)


def test_embedded_links_hide_drafts_from_the_public(small_atlas, clients):
    public = get_json(clients["anonymous"], "/api/v1/case-studies/isaf/")
    assert [p["actor"]["slug"] for p in public["participants"]] == ["nato", "canada"]
    assert [m["mechanism"]["slug"] for m in public["mechanisms"]] == ["intel"]
    assert [c["challenge"]["slug"] for c in public["challenges"]] == ["politics"]
    assert [c["slug"] for c in public["countries"]] == ["canada"]
    editor = get_json(clients["editor"], "/api/v1/case-studies/isaf/")
    assert [p["actor"]["slug"] for p in editor["participants"]] == ["nato", "canada", "secret"]
    assert [m["mechanism"]["slug"] for m in editor["mechanisms"]] == ["covert", "intel"]
    assert [c["slug"] for c in editor["countries"]] == ["canada", "secret"]

    nato = get_json(clients["anonymous"], "/api/v1/actors/nato/")
    assert [m["member"]["slug"] for m in nato["members"]] == ["canada"]
    editor_nato = get_json(clients["editor"], "/api/v1/actors/nato/")
    assert sorted(m["member"]["slug"] for m in editor_nato["members"]) == ["canada", "secret"]

    assert get_json(clients["anonymous"], "/api/v1/mechanisms/ops/")["parent"] is None
    assert get_json(clients["editor"], "/api/v1/mechanisms/ops/")["parent"]["slug"] == "covert"
    ops_in_list = get_json(clients["anonymous"], "/api/v1/mechanisms/")["results"][1]
    assert ops_in_list["slug"] == "ops" and ops_in_list["parent"] is None
    politics = get_json(clients["anonymous"], "/api/v1/challenges/politics/")
    assert [m["slug"] for m in politics["mitigated_by"]] == ["intel"]
    intel = get_json(clients["anonymous"], "/api/v1/mechanisms/intel/")
    assert [c["slug"] for c in intel["mitigates"]] == ["politics"]


def test_counts_and_filters_do_not_reveal_drafts(small_atlas, clients):
    assert get_json(clients["anonymous"], "/api/v1/case-studies/?region=europe")["count"] == 1
    assert get_json(clients["editor"], "/api/v1/case-studies/?region=europe")["count"] == 2
    assert get_json(clients["anonymous"], "/api/v1/case-studies/?actor=canada")["count"] == 2
    assert get_json(clients["editor"], "/api/v1/case-studies/?actor=canada")["count"] == 3
    # A draft's slug is not a valid value for the public: the same answer as a made-up one.
    draft = clients["anonymous"].get("/api/v1/case-studies/?actor=secret")
    made_up = clients["anonymous"].get("/api/v1/case-studies/?actor=made-up")
    assert draft.status_code == made_up.status_code == 400
    assert (
        error_of(draft)["fields"]["actor"][0].replace("secret", "made-up")
        == (error_of(made_up)["fields"]["actor"][0])
    )
    assert get_json(clients["editor"], "/api/v1/case-studies/?actor=secret")["count"] == 1
    assert get_json(clients["anonymous"], "/api/v1/case-studies/?status=draft")["count"] == 0
    assert slugs(get_json(clients["editor"], "/api/v1/case-studies/?status=draft")) == [
        "secret-plan"
    ]
    assert get_json(clients["anonymous"], "/api/v1/participations/?actor=canada")["count"] == 2


def test_csv_has_one_header_row_and_no_drafts_for_the_public(small_atlas, clients):
    rows = read_csv(clients["anonymous"].get("/api/v1/case-studies/?format=csv"))
    assert rows[0][:3] == ["slug", "title", "url"]
    assert [row[0] for row in rows[1:]] == ["isaf", "sahel"]
    header = rows[0]
    isaf = dict(zip(header, rows[1], strict=True))
    assert isaf["participants"] == "canada;nato"
    assert isaf["mechanisms"] == "intel"
    assert isaf["challenges"] == "politics"
    editor_rows = read_csv(clients["editor"].get("/api/v1/case-studies/?format=csv"))
    assert [row[0] for row in editor_rows[1:]] == ["isaf", "sahel", "secret-plan"]
    assert "secret" in dict(zip(header, editor_rows[1], strict=True))["participants"]


@pytest.mark.parametrize("resource", RESOURCES)
def test_every_list_exports_csv_with_its_filters(small_atlas, clients, resource):
    response = clients["anonymous"].get(f"/api/v1/{resource}/?format=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response["ETag"]
    rows = read_csv(response)
    count = get_json(clients["anonymous"], f"/api/v1/{resource}/?page_size=100")["count"]
    assert len(rows) == count + 1
    assert len({len(row) for row in rows}) == 1
    assert not any("secret" in cell for row in rows for cell in row)


def test_csv_follows_the_filters_and_accept_header(small_atlas):
    client = client_for()
    rows = read_csv(client.get("/api/v1/case-studies/?format=csv&region=africa"))
    assert [row[0] for row in rows[1:]] == ["sahel"]
    rows = read_csv(client.get("/api/v1/actors/?kind=state", HTTP_ACCEPT="text/csv"))
    assert [row[0] for row in rows[1:]] == ["canada"]


def test_csv_cells_are_spreadsheet_safe(db):
    RegionFactory(slug="formula", name="=HYPERLINK(1)")
    rows = read_csv(client_for().get("/api/v1/regions/?format=csv"))
    assert rows[1][1] == "'=HYPERLINK(1)"


def test_csv_is_only_for_lists(small_atlas):
    response = client_for().get("/api/v1/regions/europe/?format=csv")
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


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


# Writes

CREATE = {
    "actors": {
        "slug": "interpol",
        "name": "Interpol",
        "kind": "international_organisation",
        "summary": "Police cooperation.",
        "region": "europe",
        "sources": ["isaf-report"],
    },
    "memberships": {
        "member": "secret",  # a draft: a published member's memberships wait for review
        "organisation": "nato",
        "role": "partner",
        "start_date": "2001-01-01",
    },
    "mechanisms": {
        "slug": "training",
        "name": "Training",
        "category": "training",
        "summary": "Exercises.",
        "parent": "intel",
    },
    "challenges": {
        "slug": "trust",
        "name": "Trust",
        "category": "political",
        "summary": "Allies doubt each other.",
        "mitigated_by": ["intel"],
    },
    "case-studies": {
        "slug": "new-case",
        "title": "New case",
        "summary": "Something new.",
        "start_date": "2015-01-01",
        "regions": ["europe"],
        "countries": ["canada"],
        "outcome": "too_early",
    },
    # Claims of a draft: a published case study's claims wait for review (test_revisions.py).
    "participations": {"case_study": "secret-plan", "actor": "nato", "role": "lead"},
    "mechanism-uses": {"case_study": "secret-plan", "mechanism": "intel", "confidence": "high"},
    "challenge-encounters": {"case_study": "secret-plan", "challenge": "politics"},
    "sources": {
        "slug": "new-source",
        "title": "A new source",
        "publisher": "A publisher",
        "kind": "news",
        "link": "https://example.org/new",
    },
    "topics": {
        "slug": "new-topic",
        "title": "New topic",
        "summary": "A new analysis.",
        "body": "About [[actor:nato]] in [[case-study:isaf]].",
        "sources": ["isaf-report"],
    },
    "regions": {"slug": "arctic", "name": "Arctic"},
    "eras": {
        "slug": "cold-war",
        "name": "Cold War",
        "start_date": "1947-03-12",
        "end_date": "1991-12-26",
    },
}
CHANGE = {
    "actors": {"summary": "Changed."},
    "memberships": {"note": "Changed."},
    "mechanisms": {"summary": "Changed."},
    "challenges": {"summary": "Changed."},
    "case-studies": {"summary": "Changed."},
    "participations": {"contribution": "Changed."},
    "mechanism-uses": {"description": "Changed."},
    "challenge-encounters": {"response": "Changed."},
    "sources": {"author": "Changed."},
    "topics": {"summary": "Changed."},
    "regions": {"summary": "Changed."},
    "eras": {"summary": "Changed."},
}


@pytest.mark.parametrize("role", ["editor", "admin"])
@pytest.mark.parametrize("resource", RESOURCES)
def test_create_change_delete(small_atlas, clients, role, resource):
    client = clients[role]
    response = client.post(f"/api/v1/{resource}/", CREATE[resource], format="json")
    assert response.status_code == 201, response.content
    created = response.json()
    assert response["Location"] == created["url"]
    assert created["version"] == 1
    if "status" in created:
        assert created["status"] == "draft"  # publishing is the editorial workflow's business
    etag = response["ETag"]
    assert client.get(created["url"])["ETag"] == etag
    assert created["url"] in listed_urls(client, resource)  # available once created

    response = client.patch(created["url"], CHANGE[resource], format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    changed = response.json()
    field, value = next(iter(CHANGE[resource].items()))
    assert changed[field] == value
    assert changed["version"] == 2
    assert response["ETag"] != etag

    last_etag = response["ETag"]
    response = client.delete(created["url"], HTTP_IF_MATCH=last_etag)
    assert response.status_code == 204
    # Gone for every method, and from the list (schemathesis's stateful checks, use after free
    # and resource availability, by hand: docs/security.md)
    assert client.get(created["url"]).status_code == 404
    gone = client.patch(created["url"], CHANGE[resource], format="json", HTTP_IF_MATCH=last_etag)
    assert gone.status_code == 404
    assert client.delete(created["url"], HTTP_IF_MATCH=last_etag).status_code == 404
    assert created["url"] not in listed_urls(client, resource)


def listed_urls(client, resource):
    response = client.get(f"/api/v1/{resource}/", {"page_size": 100})
    assert response.status_code == 200 and response.json()["next"] is None
    return {entry["url"] for entry in response.json()["results"]}


def test_put_replaces_the_entry(small_atlas, clients):
    client = clients["editor"]
    etag = client.get("/api/v1/regions/europe/")["ETag"]
    response = client.put(
        "/api/v1/regions/europe/",
        {"slug": "europe", "name": "Europe and Eurasia", "summary": ""},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 200
    assert Region.objects.get(slug="europe").name == "Europe and Eurasia"
    response = client.put(
        "/api/v1/regions/europe/",
        {"name": "Only a name"},
        format="json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["slug"]


def test_writes_validate_as_the_admin_does(small_atlas, clients):
    client = clients["editor"]
    response = client.post(
        "/api/v1/actors/",
        {"slug": "ruritania", "name": "Ruritania", "kind": "state", "summary": "A state."},
        format="json",
    )
    assert response.status_code == 400
    assert "country_code" in error_of(response)["fields"]
    response = client.post(
        "/api/v1/participations/", CREATE["participations"] | {"actor": "canada"}, format="json"
    )
    assert response.status_code == 400
    assert "already takes part" in error_of(response)["fields"]["non_field_errors"][0]
    response = client.post(
        "/api/v1/case-studies/",
        CREATE["case-studies"] | {"start_date": "2001-09-12", "start_latest": "2001-09-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "latest possible start cannot come before" in str(error_of(response)["fields"])
    response = client.post(
        "/api/v1/case-studies/", CREATE["case-studies"] | {"countries": ["nato"]}, format="json"
    )
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["countries"]
    response = client.post(
        "/api/v1/eras/",
        CREATE["eras"] | {"start_date": "2010-01-01", "end_date": "2012-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "overlap" in error_of(response)["fields"]["start_date"][0]


def test_a_published_entry_keeps_its_slug(small_atlas, clients):
    client = clients["editor"]
    etag = client.get("/api/v1/actors/nato/")["ETag"]
    response = client.patch(
        "/api/v1/actors/nato/", {"slug": "otan"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["slug"]
    etag = client.get("/api/v1/actors/secret/")["ETag"]
    response = client.patch(
        "/api/v1/actors/secret/", {"slug": "hidden"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200  # a draft's slug may still change


def test_deleting_an_entry_still_referred_to_is_a_409(small_atlas, clients):
    client = clients["editor"]
    etag = client.get("/api/v1/actors/canada/")["ETag"]
    response = client.delete("/api/v1/actors/canada/", HTTP_IF_MATCH=etag)
    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
    assert Actor.objects.filter(slug="canada").exists()


def test_writes_are_recorded_in_history_under_the_user(small_atlas, clients, api_editor):
    client = clients["editor"]
    etag = client.get("/api/v1/regions/europe/")["ETag"]
    client.patch(
        "/api/v1/regions/europe/", {"summary": "Changed."}, format="json", HTTP_IF_MATCH=etag
    )
    record = Region.objects.get(slug="europe").history.latest("history_date")
    assert record.history_user == api_editor


def test_draft_slugs_cannot_be_linked_by_someone_who_cannot_see_them(
    small_atlas, django_user_model
):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("linker")
    user.user_permissions.set(Permission.objects.filter(codename="add_participation"))
    response = client_for(user).post(
        "/api/v1/participations/",
        {"case_study": "sahel", "actor": "secret", "role": "member"},
        format="json",
    )
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["actor"]
    assert not Participation.objects.filter(actor__slug="secret", case_study__slug="sahel").exists()


# Queries: a fixed number per list, whatever its size


def grow(count):
    """`count` more entries of every kind, each with what its list representation embeds."""
    region = Region.objects.get_or_create(slug="europe", defaults={"name": "Europe"})[0]
    for _ in range(count):
        source = SourceFactory()
        case_study = CaseStudyFactory()
        case_study.regions.add(region, RegionFactory())
        participation = ParticipationFactory(case_study=case_study, actor=StateFactory())
        participation.sources.add(source)
        MechanismUseFactory(
            case_study=case_study, mechanism=MechanismFactory(parent=MechanismFactory())
        ).sources.add(source)
        ChallengeEncounterFactory(case_study=case_study, challenge=ChallengeFactory())
        MembershipFactory(organisation=ActorFactory(region=region)).sources.add(source)
        EraFactory(start_date=datetime.date(1000 + len(Region.objects.all()), 1, 1))
        TopicFactory(body=f"[[case-study:{case_study.slug}]]").sources.add(source)


def count_queries(client, path):
    with CaptureQueriesContext(connection) as context:
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200, response.content
    return len(context), response


def test_every_list_runs_a_fixed_number_of_queries(
    empty_database, django_user_model, django_assert_max_num_queries
):
    editor = make_editor(django_user_model)
    paths = [f"/api/v1/{resource}/?page_size=100" for resource in RESOURCES]
    paths += ["/api/v1/case-studies/?region=europe&actor_kind=state&ordering=-start&page_size=100"]

    def fresh(user):
        # A new user object each time, so its permissions are loaded in every request alike.
        return None if user is None else django_user_model.objects.get(pk=user.pk)

    grow(2)
    facet_index.current_snapshot()  # built or brought up to date as a change is first read
    small = {}
    for role, user in [("anonymous", None), ("editor", editor)]:
        for path in paths:
            small[role, path], _ = count_queries(client_for(fresh(user)), path)
    grow(18)
    facet_index.current_snapshot()
    for role, user in [("anonymous", None), ("editor", editor)]:
        for path in paths:
            client = client_for(fresh(user))
            with django_assert_max_num_queries(small[role, path]):
                response = client.get(path)
            assert response.json()["count"] >= 20, path


def test_every_detail_runs_a_fixed_number_of_queries(
    empty_database, django_user_model, django_assert_max_num_queries
):
    grow(2)
    paths = {
        resource: get_json(client_for(), f"/api/v1/{resource}/")["results"][0]["url"]
        for resource in RESOURCES
    }
    small = {resource: count_queries(client_for(), path)[0] for resource, path in paths.items()}
    grow(18)
    case_study = CaseStudy.objects.get(slug=paths["case-studies"].rstrip("/").rsplit("/", 1)[1])
    for _ in range(10):
        link = ParticipationFactory(case_study=case_study)
        link.sources.add(SourceFactory(), SourceFactory())
        MechanismUseFactory(case_study=case_study)
    for resource, path in paths.items():
        with django_assert_max_num_queries(small[resource]):
            assert client_for().get(path).status_code == 200


def test_csv_streams_in_a_fixed_number_of_queries(empty_database, django_assert_max_num_queries):
    grow(2)
    small, _ = count_queries(client_for(), "/api/v1/case-studies/?format=csv")
    grow(18)
    with django_assert_max_num_queries(small):
        response = client_for().get("/api/v1/case-studies/?format=csv")
        rows = read_csv(response)
    assert len(rows) == 21


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

"""Every API resource for the public, an editor and an admin: what each reads, and that drafts
never reach the public (in lists, details, embedded links, counts or CSV)."""

import pytest
from django.urls import resolve, reverse

from tests.factories import (
    RegionFactory,
)
from tests.support.api import (
    RECORD_OF_CHANGE,
    RESOURCES,
    client_for,
    error_of,
    get_json,
    read_csv,
    slugs,
)

pytestmark = pytest.mark.django_db


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

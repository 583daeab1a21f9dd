"""Caching and concurrency: ETag and Last-Modified on lists and details, 304 for a copy that is
still current, and updates that must name the version they start from (If-Match), so that of
two editors who read the same version the second gets 412 and overwrites nothing."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.utils.http import http_date

from casestudies.models import CaseStudy
from cooperation.caching.versions import bump_content_version
from cooperation.models import Actor, Region, StaleEntryError, Status
from tests.support.api import client_for, error_of, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def publishing_editors(django_user_model):
    """Two editors whose writes to published entries go live (reviewers' rights)."""
    return [
        make_editor(django_user_model, username="api-editor", publishes=True),
        make_editor(django_user_model, username="second-editor", publishes=True),
    ]


# Reads: validators and 304


@pytest.mark.parametrize(
    "path", ["/api/v1/case-studies/", "/api/v1/case-studies/isaf/", "/api/v1/actors/?kind=state"]
)
def test_etag_and_last_modified_give_304(small_atlas, path):
    client = client_for()
    response = client.get(path)
    assert response.status_code == 200
    etag, last_modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('"') and etag.endswith('"')
    assert "no-cache" in response["Cache-Control"]
    assert "Authorization" in response["Vary"]

    response = client.get(path, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    assert client.get(path, HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH="*").status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    earlier = http_date(0)
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=earlier).status_code == 200
    # If-None-Match wins over If-Modified-Since
    response = client.get(path, HTTP_IF_NONE_MATCH='"other"', HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 200


def test_list_etag_changes_with_content_query_and_visibility(small_atlas, api_editor):
    client = client_for()
    etag = client.get("/api/v1/case-studies/")["ETag"]
    assert client.get("/api/v1/case-studies/")["ETag"] == etag
    assert client.get("/api/v1/case-studies/?region=europe")["ETag"] != etag
    assert client.get("/api/v1/case-studies/?format=csv")["ETag"] != etag
    assert client_for(api_editor).get("/api/v1/case-studies/")["ETag"] != etag

    sahel = CaseStudy.objects.get(slug="sahel")
    sahel.summary = "Changed."
    sahel.save()
    assert client.get("/api/v1/case-studies/")["ETag"] != etag


def test_list_etag_changes_when_an_embedded_record_changes(small_atlas):
    client = client_for()
    etag = client.get("/api/v1/case-studies/")["ETag"]
    worldwide = Region.objects.get(slug="worldwide")
    worldwide.name = "The whole world"
    worldwide.save()
    assert client.get("/api/v1/case-studies/")["ETag"] != etag


def test_detail_etag_changes_when_an_embedded_record_changes(small_atlas):
    client = client_for()
    etag = client.get("/api/v1/case-studies/isaf/")["ETag"]
    nato = Actor.objects.get(slug="nato")
    nato.name = "North Atlantic Treaty Organization"
    nato.save()
    response = client.get("/api/v1/case-studies/isaf/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response.json()["participants"][0]["actor"]["name"] == nato.name


def test_publishing_an_embedded_draft_changes_the_public_etag(small_atlas):
    client = client_for()
    etag = client.get("/api/v1/case-studies/isaf/")["ETag"]
    Actor.objects.filter(slug="secret").update(status=Status.PUBLISHED)
    bump_content_version()  # as a save would; a bulk update sends no signal
    response = client.get("/api/v1/case-studies/isaf/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "secret" in [p["actor"]["slug"] for p in response.json()["participants"]]


def test_editing_an_embedded_draft_changes_no_public_validator(small_atlas, api_editor, settings):
    """The participations list embeds actors; a draft actor's edit is nobody's business but its
    editors', not even when it happened."""
    path = "/api/v1/participations/"
    public = client_for().get(path)
    editors = client_for(api_editor).get(path)["ETag"]
    secret = Actor.objects.get(slug="secret")
    secret.summary = "Still a draft."
    secret.save()
    assert client_for().get(path)["X-Atlas-Cache"] == "hit"  # the public cache stays warm
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # and the validators, worked out afresh, agree
    again = client_for().get(path)
    assert "X-Atlas-Cache" not in again
    assert (again["ETag"], again["Last-Modified"]) == (public["ETag"], public["Last-Modified"])
    assert client_for().get(path, HTTP_IF_NONE_MATCH=public["ETag"]).status_code == 304
    assert client_for(api_editor).get(path)["ETag"] != editors


def test_the_public_and_editors_never_share_a_detail_etag(small_atlas, api_editor):
    public = client_for().get("/api/v1/regions/europe/")["ETag"]
    editor = client_for(api_editor).get("/api/v1/regions/europe/")
    assert editor["ETag"] != public
    assert "private" in editor["Cache-Control"]
    response = client_for().get("/api/v1/regions/europe/", HTTP_IF_NONE_MATCH=editor["ETag"])
    assert response.status_code == 200


@pytest.mark.usefixtures("empty_database")
def test_an_empty_list_has_an_etag_but_no_last_modified(db):
    response = client_for().get("/api/v1/case-studies/")
    assert response.status_code == 200
    assert response["ETag"]
    assert "Last-Modified" not in response
    assert (
        client_for().get("/api/v1/case-studies/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )


# Writes: If-Match


def test_updates_and_deletions_require_if_match(small_atlas, api_editor):
    client = client_for(api_editor)
    for method in (client.patch, client.put):
        response = method("/api/v1/regions/europe/", {"name": "Europa"}, format="json")
        assert response.status_code == 428
        assert error_of(response)["code"] == "precondition_required"
    response = client.delete("/api/v1/regions/europe/")
    assert response.status_code == 428
    assert Region.objects.get(slug="europe").name == "Europe"


def test_two_editors_read_the_same_version_the_second_gets_412(small_atlas, publishing_editors):
    first, second = (client_for(editor) for editor in publishing_editors)
    first_etag = first.get("/api/v1/case-studies/isaf/")["ETag"]
    second_etag = second.get("/api/v1/case-studies/isaf/")["ETag"]
    assert first_etag == second_etag  # the same visibility class, the same representation

    response = first.patch(
        "/api/v1/case-studies/isaf/", {"summary": "First editor's summary."}, format="json",
        HTTP_IF_MATCH=first_etag,
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["version"] == 2

    response = second.patch(
        "/api/v1/case-studies/isaf/",
        {"summary": "Second editor's summary.", "lessons": "Second editor's lessons."},
        format="json",
        HTTP_IF_MATCH=second_etag,
    )
    assert response.status_code == 412
    error = error_of(response)
    assert error["code"] == "precondition_failed"
    assert "changed since you read it: api-editor saved the case study" in error["message"]
    isaf = CaseStudy.objects.get(slug="isaf")
    assert isaf.summary == "First editor's summary."
    assert isaf.lessons == ""
    assert isaf.version == 2

    response = second.delete("/api/v1/case-studies/isaf/", HTTP_IF_MATCH=second_etag)
    assert response.status_code == 412
    assert CaseStudy.objects.filter(slug="isaf").exists()

    fresh = second.get("/api/v1/case-studies/isaf/")["ETag"]
    response = second.patch(
        "/api/v1/case-studies/isaf/", {"lessons": "Second editor's lessons."}, format="json",
        HTTP_IF_MATCH=fresh,
    )  # fmt: skip
    assert response.status_code == 200
    assert CaseStudy.objects.get(slug="isaf").summary == "First editor's summary."


def test_a_write_that_races_past_the_check_gets_412(small_atlas, api_editor, monkeypatch):
    """Both editors pass the If-Match check; the conditional UPDATE lets only one save."""
    from cooperation.api.serializers import inputs

    client = client_for(api_editor)
    etag = client.get("/api/v1/regions/europe/")["ETag"]
    real_save_if_unchanged = inputs.save_if_unchanged

    def someone_saves_first(instance, *, expected_version, **kwargs):
        Region.objects.filter(pk=instance.pk).update(
            name="Someone else's", version=expected_version + 1
        )
        return real_save_if_unchanged(instance, expected_version=expected_version, **kwargs)

    monkeypatch.setattr(inputs, "save_if_unchanged", someone_saves_first)
    response = client.patch(
        "/api/v1/regions/europe/", {"summary": "Mine."}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 412
    assert error_of(response)["code"] == "precondition_failed"
    # Nothing of this request was written (in a test the simulated concurrent save shares the
    # request's transaction, so it is rolled back with it).
    assert Region.objects.get(slug="europe").summary == ""


def test_stale_entry_error_anywhere_is_a_412(small_atlas, api_editor, monkeypatch):
    from cooperation.api.viewsets.reference import RegionViewSet

    def stale(self, request, *args, **kwargs):
        raise StaleEntryError("changed")

    monkeypatch.setattr(RegionViewSet, "partial_update", stale)
    response = client_for(api_editor).patch("/api/v1/regions/europe/", {}, format="json")
    assert response.status_code == 412


def test_if_match_star_and_lists_of_etags(small_atlas, api_editor):
    client = client_for(api_editor)
    etag = client.get("/api/v1/regions/europe/")["ETag"]
    response = client.patch(
        "/api/v1/regions/europe/", {"summary": "A."}, format="json", HTTP_IF_MATCH=f'"x", {etag}'
    )
    assert response.status_code == 200
    star = client.patch(
        "/api/v1/regions/europe/", {"summary": "Z."}, format="json", HTTP_IF_MATCH="*"
    )
    assert star.status_code == 428
    assert "If-Match: * names no version" in error_of(star)["message"]
    assert client.delete("/api/v1/regions/europe/", HTTP_IF_MATCH="*").status_code == 428
    assert Region.objects.get(slug="europe").summary == "A."
    response = client.patch(
        "/api/v1/regions/europe/",
        {"summary": "B."},
        format="json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert response.status_code == 200
    weak = f"W/{response['ETag']}"
    response = client.patch(
        "/api/v1/regions/europe/", {"summary": "C."}, format="json", HTTP_IF_MATCH=weak
    )
    assert response.status_code == 412  # If-Match compares strongly
    assert Region.objects.get(slug="europe").summary == "B."


def test_preconditions_come_before_validation(small_atlas, api_editor):
    client = client_for(api_editor)
    response = client.patch("/api/v1/regions/europe/", {"slug": "not a slug"}, format="json")
    assert response.status_code == 428
    response = client.patch(
        "/api/v1/regions/europe/", {"slug": "not a slug"}, format="json", HTTP_IF_MATCH='"old"'
    )
    assert response.status_code == 412


def test_the_browsable_api_sends_if_match_for_its_forms(small_atlas, api_editor):
    client = client_for(api_editor)
    response = client.get("/api/v1/regions/europe/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    page = response.content.decode()
    assert response["ETag"].replace('"', "") in page
    # The script is a static file (no inline script under the CSP); tests/browser/test_csp.py
    # checks in Chromium that it sets the header.
    assert '<script src="/static/js/api-etag.js">' in page
    assert "If-Match" in Path(finders.find("js/api-etag.js")).read_text()

"""The editorial workflow through the API: status moves only by the workflow's steps, each
against the ETag the client read, under the admin's rules; reviewers publish what was
submitted; the vocabulary (regions, eras) changes only with a reviewer's rights."""

import pytest
from django.contrib.auth.models import Group, Permission

from cooperation.editorial.groups import sync_editorial_groups
from cooperation.editorial.workflow import transition
from cooperation.models import Actor, Region, Status
from tests.support.api import client_for, error_of
from tests.support.users import member_of

pytestmark = pytest.mark.django_db

DRAFT = "/api/v1/actors/secret/"  # a draft actor of the small atlas


@pytest.fixture
def editor(db):
    return client_for(member_of("Editors", "eddie"))


@pytest.fixture
def reviewer(db):
    return client_for(member_of("Reviewers", "rita"))


def step(client, path, name, body=None, etag=None):
    etag = etag or client.get(path)["ETag"]
    return client.post(f"{path}{name}/", body or {}, format="json", HTTP_IF_MATCH=etag)


def stored_status(slug="secret"):
    return Actor.objects.get(slug=slug).status


def test_submit_send_back_and_publish(small_atlas, editor, reviewer):
    submitted = step(editor, DRAFT, "submit")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "in_review"
    assert submitted["ETag"] == editor.get(DRAFT)["ETag"]

    sent_back = step(reviewer, DRAFT, "send-back", {"comment": "Say when it was founded."})
    assert sent_back.status_code == 200 and sent_back.json()["status"] == "draft"
    assert Actor.objects.get(slug="secret").review_note == "Say when it was founded."

    step(editor, DRAFT, "submit")
    published = step(reviewer, DRAFT, "publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert client_for().get(DRAFT).status_code == 200  # the public sees it now
    history = Actor.objects.get(slug="secret").history.order_by("-history_date")
    assert [h.history_change_reason for h in history[:2]] == ["Publish", "Submit for review"]


def test_a_step_needs_the_current_etag(small_atlas, editor):
    etag = editor.get(DRAFT)["ETag"]
    missing = editor.post(f"{DRAFT}submit/", {}, format="json")
    assert missing.status_code == 428
    Actor.objects.filter(slug="secret").update(name="Secretland (renamed)")
    Actor.objects.get(slug="secret").save()  # someone else's save: a new version
    stale = step(editor, DRAFT, "submit", etag=etag)
    assert stale.status_code == 412
    assert stored_status() == Status.DRAFT


def test_editors_may_not_publish_and_are_told_why(small_atlas, editor):
    step(editor, DRAFT, "submit")
    refused = step(editor, DRAFT, "publish")
    assert refused.status_code == 403
    assert "Only reviewers may publish" in error_of(refused)["message"]
    assert stored_status() == Status.IN_REVIEW


def test_a_reviewer_publishes_only_what_was_submitted(small_atlas, reviewer):
    refused = step(reviewer, DRAFT, "publish")
    assert refused.status_code == 409
    assert "nobody has submitted for review" in error_of(refused)["message"]
    assert stored_status() == Status.DRAFT


def test_a_reviewer_publishes_their_own_draft_directly(small_atlas):
    rita = member_of("Reviewers", "rita")
    client = client_for(rita)
    etag = client.get(DRAFT)["ETag"]
    edited = client.patch(DRAFT, {"name": "Secretland"}, format="json", HTTP_IF_MATCH=etag)
    assert edited.status_code == 200
    assert step(client, DRAFT, "publish").status_code == 200
    assert stored_status() == Status.PUBLISHED


def test_sending_back_needs_a_comment(small_atlas, editor, reviewer):
    step(editor, DRAFT, "submit")
    refused = step(reviewer, DRAFT, "send-back", {"comment": "  "})
    assert refused.status_code == 400
    assert "comment" in error_of(refused)["fields"]
    assert stored_status() == Status.IN_REVIEW


def test_a_step_from_the_wrong_state_is_a_conflict_naming_it(small_atlas, editor):
    refused = step(editor, "/api/v1/actors/canada/", "submit")
    assert refused.status_code == 409
    assert "is published" in error_of(refused)["message"]


@pytest.mark.parametrize("status", ["published", "in_review", "archived"])
def test_a_status_in_a_write_is_refused_with_the_way_to_change_it(small_atlas, editor, status):
    etag = editor.get(DRAFT)["ETag"]
    body = {"status": status, "name": "Changed"}
    refused = editor.patch(DRAFT, body, format="json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 400
    message = error_of(refused)["fields"]["status"][0]
    assert "submit/" in message and "publish/" in message
    assert Actor.objects.get(slug="secret").name == "Secretland"  # nothing written
    created = editor.post(
        "/api/v1/actors/", {"name": "New", "slug": "new", "kind": "state", "status": status}
    )
    assert created.status_code == 400 and not Actor.objects.filter(slug="new").exists()


def test_the_status_an_entry_has_may_be_sent_back_unchanged(small_atlas, editor):
    """A mirror that sends back what it read changes nothing about the status."""
    etag = editor.get(DRAFT)["ETag"]
    body = {"status": "draft", "name": "Secret Republic"}
    saved = editor.patch(DRAFT, body, format="json", HTTP_IF_MATCH=etag)
    assert saved.status_code == 200 and saved.json()["status"] == "draft"


def test_only_reviewers_change_regions_and_eras(small_atlas, editor, reviewer):
    region = {"name": "Arctic", "slug": "arctic"}
    assert editor.post("/api/v1/regions/", region, format="json").status_code == 403
    assert not Region.objects.filter(slug="arctic").exists()
    etag = editor.get("/api/v1/eras/isis/")["ETag"]
    patched = editor.patch("/api/v1/eras/isis/", {"name": "x"}, format="json", HTTP_IF_MATCH=etag)
    assert patched.status_code == 403
    assert reviewer.post("/api/v1/regions/", region, format="json").status_code == 201


def test_the_groups_lose_vocabulary_rights_an_administrator_gave_editors(small_atlas):
    editors = Group.objects.get(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="add_region"))
    sync_editorial_groups()
    assert not editors.permissions.filter(codename__in=["add_region", "change_era"]).exists()
    assert editors.permissions.filter(codename="add_source").exists()  # sources stay theirs


def test_the_admin_offers_a_reviewer_no_publish_for_an_unsubmitted_draft(small_atlas, client):
    rita = member_of("Reviewers", "rita")
    client.force_login(rita)
    actor = Actor.objects.get(slug="secret")
    page = client.get(f"/admin/cooperation/actor/{actor.pk}/change/").content.decode()
    assert 'name="_workflow" value="publish"' not in page
    transition(actor, "submit", user=rita)
    page = client.get(f"/admin/cooperation/actor/{actor.pk}/change/").content.decode()
    assert 'name="_workflow" value="publish"' in page


def test_sending_a_draft_back_does_not_make_it_the_reviewers_to_publish(
    small_atlas, editor, reviewer
):
    step(editor, DRAFT, "submit")
    step(reviewer, DRAFT, "send-back", {"comment": "Cite the founding treaty."})
    refused = step(reviewer, DRAFT, "publish")
    assert refused.status_code == 409
    assert stored_status() == Status.DRAFT

"""Changes to published entries through the API wait for review, as in the admin: an editor's
write of a published entry or of one of its claims answers 202 and leaves the public version as
it was; a reviewer publishes the changes (all at once), sends them back, or discards them."""

import pytest

from casestudies.models import CaseStudy, Participation
from cooperation.models import Actor, Revision
from tests.support.api import client_for, error_of
from tests.support.users import member_of

pytestmark = pytest.mark.django_db

# Published, and linked only to published records (the small atlas's SAHEL also links to drafts,
# which publishing its changes would refuse: test_checklist.py).
SAHEL = "/api/v1/case-studies/sahel/"


@pytest.fixture(autouse=True)
def sahel_passes_its_checks(small_atlas):
    """Sources for the case study and each of its claims, as publishing changes requires."""
    sahel = small_atlas.sahel
    sahel.sources.add(small_atlas.book)
    for claim in sahel.claims():
        claim.sources.add(small_atlas.book)


@pytest.fixture
def editor_user(db):
    return member_of("Editors", "eddie")


@pytest.fixture
def editor(editor_user):
    return client_for(editor_user)


@pytest.fixture
def reviewer(db):
    return client_for(member_of("Reviewers", "rita"))


def patch(client, path, body):
    etag = client.get(path)["ETag"]
    return client.patch(path, body, format="json", HTTP_IF_MATCH=etag)


def step(client, path, name, body=None):
    etag = client.get(path)["ETag"]
    return client.post(f"{path}{name}/", body or {}, format="json", HTTP_IF_MATCH=etag)


def pending(slug="sahel", model=CaseStudy):
    return Revision.objects.of(model.objects.get(slug=slug)).open().first()


def participation_url(small_atlas, actor):
    link = Participation.objects.get(case_study=small_atlas.sahel, actor=actor)
    return f"/api/v1/participations/{link.pk}/"


def test_an_editors_patch_of_a_published_entry_waits_for_review(small_atlas, editor, editor_user):
    response = patch(editor, SAHEL, {"summary": "Changed by an editor."})
    assert response.status_code == 202, response.content
    body = response.json()
    assert "wait for review" in body["detail"]
    assert body["revision"]["state"] == "pending" and body["revision"]["edits"] == 1
    assert client_for().get(SAHEL).json()["summary"] == small_atlas.sahel.summary
    assert editor.get(SAHEL).json()["summary"] == small_atlas.sahel.summary  # the live entry
    assert pending().edited_by == editor_user


def test_later_writes_join_the_same_changes(small_atlas, editor, reviewer):
    patch(editor, SAHEL, {"summary": "First."})
    response = patch(editor, participation_url(small_atlas, small_atlas.canada), {"role": "lead"})
    assert response.status_code == 202, response.content
    revision = pending()
    assert revision.edits == 2
    published = step(reviewer, SAHEL, "publish")
    assert published.status_code == 200, published.content
    assert published.json()["summary"] == "First."
    live = client_for().get(participation_url(small_atlas, small_atlas.canada)).json()
    assert live["role"] == "lead"


def test_claims_added_and_removed_wait_with_the_entry(small_atlas, editor, reviewer):
    added = editor.post(
        "/api/v1/mechanism-uses/",
        {
            "case_study": "sahel",
            "mechanism": "intel",
            "confidence": "high",
            "sources": ["coalition-book"],
        },
        format="json",
    )
    assert added.status_code == 202, added.content
    canada = participation_url(small_atlas, small_atlas.canada)
    removed = editor.delete(canada, HTTP_IF_MATCH=editor.get(canada)["ETag"])
    assert removed.status_code == 202, removed.content
    assert client_for().get(canada).status_code == 200  # still public
    assert step(reviewer, SAHEL, "publish").status_code == 200
    assert client_for().get(canada).status_code == 404
    uses = client_for().get("/api/v1/mechanism-uses/", {"case_study": "sahel"}).json()
    assert "intel" in {use["mechanism"]["slug"] for use in uses["results"]}


def test_a_rejected_write_keeps_nothing(small_atlas, editor):
    response = patch(editor, SAHEL, {"start_date": "not a date"})
    assert response.status_code == 400
    assert "start_date" in error_of(response)["fields"]
    assert pending() is None


def test_reviewers_send_back_or_discard(small_atlas, editor, reviewer):
    patch(editor, SAHEL, {"summary": "Changed."})
    refused = step(reviewer, SAHEL, "send-back")
    assert refused.status_code == 400
    sent_back = step(reviewer, SAHEL, "send-back", {"comment": "Cite a source."})
    assert sent_back.status_code == 200, sent_back.content
    assert pending().review_note == "Cite a source."
    assert step(editor, SAHEL, "discard-changes").status_code == 200
    assert pending() is None
    assert step(editor, SAHEL, "discard-changes").status_code == 409
    assert editor.get(SAHEL).json()["summary"] == small_atlas.sahel.summary


def test_editors_cannot_publish_changes(small_atlas, editor):
    patch(editor, SAHEL, {"summary": "Changed."})
    assert step(editor, SAHEL, "publish").status_code == 403
    assert CaseStudy.objects.get(slug="sahel").summary == small_atlas.sahel.summary


def test_a_reviewers_own_patch_goes_live(small_atlas, reviewer):
    response = patch(reviewer, "/api/v1/actors/nato/", {"summary": "Changed by a reviewer."})
    assert response.status_code == 200
    assert Actor.objects.get(slug="nato").summary == "Changed by a reviewer."
    assert pending("nato", Actor) is None


def test_memberships_wait_with_their_published_member(small_atlas, editor):
    membership = f"/api/v1/memberships/{small_atlas.canada_in_nato.pk}/"
    response = patch(editor, membership, {"note": "Changed."})
    assert response.status_code == 202, response.content
    assert client_for().get(membership).json()["note"] == small_atlas.canada_in_nato.note
    assert pending("canada", Actor) is not None


def test_two_editors_writing_changes_from_the_same_read_the_second_gets_412(
    small_atlas, editor, db
):
    second = client_for(member_of("Editors", "edna"))
    public_etag = client_for().get(SAHEL)["ETag"]
    first_etag, second_etag = editor.get(SAHEL)["ETag"], second.get(SAHEL)["ETag"]
    assert first_etag == second_etag
    accepted = editor.patch(SAHEL, {"summary": "First."}, format="json", HTTP_IF_MATCH=first_etag)
    assert accepted.status_code == 202
    refused = second.patch(SAHEL, {"summary": "Second."}, format="json", HTTP_IF_MATCH=second_etag)
    assert refused.status_code == 412
    assert (
        "eddie saved changes to the case study “Sahel task force” that wait for review"
        in (error_of(refused)["message"])
    )
    records = pending().content
    assert records[0]["fields"]["summary"] == "First."
    assert client_for().get(SAHEL)["ETag"] == public_etag  # the public's copy is still current

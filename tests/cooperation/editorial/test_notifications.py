"""Mail about workflow steps: reviewers hear of a submission, the author of a send back (with
the comment) and of publication; a step that fails, or that users make on their own work, sends
nothing."""

import pytest
from django.core import mail

from cooperation.editorial.workflow import WorkflowError, transition
from cooperation.models import Status
from tests.factories import ActorFactory
from tests.support.users import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewers(db):
    return [member_of("Reviewers", name, email=f"{name}@atlas.test") for name in ("rita", "ravi")]


@pytest.fixture
def written_by_editor(eddie):
    actor = ActorFactory(status=Status.DRAFT, name="Gulf Commission")
    actor._history_user = eddie
    actor.summary = "Founded by treaty."
    actor.save()
    return actor


def test_submitting_tells_every_reviewer(
    written_by_editor, eddie, reviewers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        transition(written_by_editor, "submit", user=eddie)
    (message,) = mail.outbox
    assert message.to == ["ravi@atlas.test", "rita@atlas.test"]
    assert message.subject == "Waiting for your review: the actor “Gulf Commission”"
    assert "eddie submitted" in message.body
    assert f"/admin/cooperation/actor/{written_by_editor.pk}/change/" in message.body


def test_a_send_back_tells_the_author_what_to_change(
    written_by_editor, eddie, reviewers, django_capture_on_commit_callbacks
):
    transition(written_by_editor, "submit", user=eddie)
    with django_capture_on_commit_callbacks(execute=True):
        transition(written_by_editor, "send_back", user=reviewers[0], comment="Cite the treaty.")
    (message,) = mail.outbox
    assert message.to == ["eddie@atlas.test"]
    assert message.subject.startswith("Sent back to you")
    assert "Cite the treaty." in message.body and "rita sent" in message.body


def test_publishing_tells_the_author(
    written_by_editor, eddie, reviewers, django_capture_on_commit_callbacks
):
    transition(written_by_editor, "submit", user=eddie)
    with django_capture_on_commit_callbacks(execute=True):
        transition(written_by_editor, "publish", user=reviewers[0])
    (message,) = mail.outbox
    assert (message.to, message.subject) == (
        ["eddie@atlas.test"],
        "Published: the actor “Gulf Commission”",
    )


def test_no_mail_to_a_reviewer_about_their_own_work(reviewers, django_capture_on_commit_callbacks):
    actor = ActorFactory(status=Status.DRAFT)
    actor._history_user = reviewers[0]
    actor.save()
    with django_capture_on_commit_callbacks(execute=True):
        transition(actor, "publish", user=reviewers[0])
    assert mail.outbox == []


def test_a_refused_step_sends_nothing(
    written_by_editor, eddie, reviewers, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(WorkflowError):
        transition(written_by_editor, "send_back", user=reviewers[0], comment="Too early.")
    assert mail.outbox == []


def test_a_mail_server_that_is_down_does_not_undo_the_step(
    written_by_editor, eddie, reviewers, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("cooperation.editorial.notifications.send_mass_mail", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        transition(written_by_editor, "submit", user=eddie)
    written_by_editor.refresh_from_db()
    assert written_by_editor.status == Status.IN_REVIEW
    assert "Could not send the mail about “Gulf Commission” (submit)" in caplog.text

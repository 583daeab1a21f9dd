"""What a reviewer does with changes waiting for review: publish them (all at once, in one
transaction), send them back with a comment, or discard them. The admin's buttons and the API's
workflow endpoints call these, under the same rules as the entry's own workflow."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cooperation.editorial.history import note_action, records_history
from cooperation.editorial.notifications import notify_on_commit
from cooperation.editorial.revisions import apply, open_revision
from cooperation.editorial.snapshots import claim_versions
from cooperation.editorial.workflow import (
    TRANSITIONS,
    MissingComment,
    WorkflowError,
    may_review,
    publication_refusals,
    transition,
)
from cooperation.models import Revision


class StaleRevision(WorkflowError):
    """The live entry changed since the revision was saved: publishing it would undo that."""


@dataclass(frozen=True)
class ChangeStep:
    name: str
    label: str
    needs_review_right: bool
    needs_comment: bool = False
    done: str = ""  # what the entry's history says of it, naming the changes' author


CHANGE_STEPS = {
    step.name: step
    for step in [
        ChangeStep(
            "publish_changes", "Publish the changes", True, done="Published the changes by {}"
        ),
        ChangeStep(
            "send_back_changes",
            "Send the changes back",
            True,
            needs_comment=True,
            done="Sent the changes by {} back",
        ),
        ChangeStep(
            "discard_changes", "Discard the changes", False, done="Discarded the changes by {}"
        ),
    ]
}


def is_author(user, revision):
    return user.pk in (revision.created_by_id, revision.edited_by_id)


def step_allowed(step, user, revision):
    model = revision.content_type.model_class()
    if step.name == "discard_changes" and revision.is_open and is_author(user, revision):
        return True
    if revision.state != Revision.State.PENDING:
        return False
    return may_review(user, model)


def change_steps(user, revision):
    if revision is None:
        return []
    return [step for step in CHANGE_STEPS.values() if step_allowed(step, user, revision)]


def ensure_current(revision, entry):
    if entry.version != revision.base_version or claim_versions(entry) != revision.base_claims:
        raise StaleRevision(
            f"“{entry}” was changed since these changes were saved, so publishing them would "
            "undo that. Open the entry, check the changes and save them again."
        )


@records_history
@transaction.atomic
def take_change_step(revision, name, *, user, comment=""):
    """Publish, send back or discard `revision`; PermissionDenied or WorkflowError if not
    possible. Returns the live entry."""
    step = CHANGE_STEPS[name]
    revision = Revision.objects.select_for_update().get(pk=revision.pk)
    model = revision.content_type.model_class()
    entry = model._default_manager.select_for_update().get(pk=revision.object_id)
    if not step_allowed(step, user, revision):
        if step.needs_review_right and not may_review(user, model):
            raise PermissionDenied(f"Only reviewers may {step.label.lower()}.")
        raise WorkflowError(
            f"The changes to “{entry}” are {revision.get_state_display().lower()}; "
            f"you cannot {step.label.lower()} now."
        )
    if step.needs_comment and not comment.strip():
        raise MissingComment("Say what needs to change when sending changes back.")
    author_id = revision.edited_by_id
    if name == "publish_changes":
        ensure_current(revision, entry)
        author = revision.edited_by or user
        entry = apply(revision, user=author, reason=f"Changes published by {user}")
        problems = publication_refusals(entry)
        if problems:
            reasons = " ".join(problems)
            raise WorkflowError(f"The changes to “{entry}” cannot be published: {reasons}")
        revision.state = Revision.State.PUBLISHED
    elif name == "send_back_changes":
        revision.state = Revision.State.SENT_BACK
    else:
        revision.state = Revision.State.DISCARDED
    done = step.done.format(revision.edited_by or "a former user")
    note_action(
        entry,
        f"{done}: {comment.strip()}" if comment.strip() else f"{done}.",
        change_note=revision.note if name == "publish_changes" else None,
    )
    revision.review_note = comment.strip()
    revision.decided_by, revision.decided_at = user, timezone.now()
    revision.save()
    notify_on_commit(entry, name, user=user, comment=comment, author_id=author_id)
    return entry


def take_step(entry, name, *, user, comment="", expected_version=None, also_publish=()):
    """Take the workflow step `name` on `entry` (publishing the linked drafts `also_publish`
    with it), or the change step on its changes waiting for review; what is done, as a sentence
    (PermissionDenied, WorkflowError otherwise)."""
    if name in TRANSITIONS:
        transition(
            entry,
            name,
            user=user,
            comment=comment,
            expected_version=expected_version,
            also_publish=also_publish,
        )
        return f"“{entry}” is now {entry.get_status_display().lower()}."
    revision = open_revision(entry)
    if revision is None:
        raise WorkflowError(f"No changes to “{entry}” wait for review.")
    take_change_step(revision, name, user=user, comment=comment)
    return f"{CHANGE_STEPS[name].label}: done for “{entry}”."

"""The editorial workflow: draft → in review → published, with send back and archive.

Editors (users who may change an entry) submit drafts for review; reviewers (users with the
model's `review_<model>` permission) publish, send back with a comment, or archive. Admin actions,
admin buttons and commands all call these functions, and every transition is recorded in the
entry's history with the user who made it and mailed to whom it concerns (notifications)."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cooperation.editorial.history import note_action, records_history
from cooperation.editorial.notifications import notify_on_commit
from cooperation.editorial.withdrawals import restore, withdraw
from cooperation.models import Revision, Status, Topic, save_if_unchanged


class WorkflowError(Exception):
    """A transition that is not possible from the entry's current state."""


class MissingComment(WorkflowError):
    """A send back that does not say what needs to change."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    needs_review_right: bool
    done: str = ""  # what the entry's history says of it

    @property
    def needs_comment(self):
        """Whether the step asks for a comment: what needs to change (send back), or why the
        entry is withdrawn (archive; required of a published entry, and shown publicly)."""
        return self.name in ("send_back", "archive")


TRANSITIONS = {
    transition.name: transition
    for transition in [
        Transition(
            "submit",
            "Submit for review",
            frozenset({Status.DRAFT}),
            Status.IN_REVIEW,
            False,
            "Submitted for review",
        ),
        Transition(
            "publish",
            "Publish",
            frozenset({Status.DRAFT, Status.IN_REVIEW, Status.ARCHIVED}),
            Status.PUBLISHED,
            True,
            "Published",
        ),
        Transition(
            "send_back",
            "Send back to draft",
            frozenset({Status.IN_REVIEW}),
            Status.DRAFT,
            True,
            "Sent back to draft",
        ),
        Transition(
            "archive",
            "Archive",
            frozenset({Status.DRAFT, Status.IN_REVIEW, Status.PUBLISHED}),
            Status.ARCHIVED,
            True,
            "Archived",
        ),
    ]
}


def may_review(user, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.review_{opts.model_name}")


def reviews_anything(user):
    """Whether `user` holds a review right on any kind of entry (reviewers, superusers)."""
    return user.is_active and (
        user.is_superuser
        or any(
            codename.split(".", 1)[1].startswith("review_")
            for codename in user.get_all_permissions()
        )
    )


def may_edit(user, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def step_reasons(only=None):
    """History rows that record workflow steps (all, or only the step named `only`), by the
    change reason transition() gives them, with or without a comment."""
    rows = Q()
    for step in TRANSITIONS.values():
        if only is None or step.name == only:
            rows |= Q(history_change_reason=step.label)
            rows |= Q(history_change_reason__startswith=f"{step.label}: ")
    return rows


def last_edited_by(entry):
    """Who last changed the entry's content, by its history. Workflow steps do not count, so a
    reviewer who sends a draft back has not thereby made it their own to publish."""
    edits = entry.history.exclude(step_reasons())
    latest = edits.order_by("-history_date", "-history_id").first()
    return latest.history_user_id if latest is not None else None


def publishes_unsubmitted_work(name, user, entry):
    """A reviewer publishes what was submitted for review, or a draft they saved last
    themselves; never somebody else's draft that nobody submitted."""
    return name == "publish" and entry.status == Status.DRAFT and last_edited_by(entry) != user.pk


def allowed(transition, user, entry):
    """Whether `user` may make `transition` on `entry` now (used to show only allowed buttons)."""
    if entry.status not in transition.sources:
        return False
    if publishes_unsubmitted_work(transition.name, user, entry):
        return False
    if transition.needs_review_right:
        return may_review(user, type(entry))
    return may_edit(user, type(entry))


def available_transitions(user, entry):
    return [transition for transition in TRANSITIONS.values() if allowed(transition, user, entry)]


def unseen_links(entry, published_with=()):
    """A sentence naming the records `entry` links to that the public would not see, or None."""
    together = {(type(record), record.pk) for record in published_with}
    drafts = [d for d in entry.linked_drafts() if (type(d), d.pk) not in together]
    if not drafts:
        return None
    named = ", ".join(
        f"the {draft._meta.verbose_name} “{draft}” ({draft.get_status_display().lower()})"
        for draft in drafts
    )
    return (
        f"It links to records the public cannot see yet: {named}. Publish them first, or "
        "together with it."
    )


def publication_refusals(entry, published_with=()):
    """Why `entry` cannot be published now (with the linked drafts `published_with`), as
    sentences; none if it can."""
    problems = entry.publication_problems()
    unseen = unseen_links(entry, published_with)
    return [*problems, unseen] if unseen else problems


@records_history
@transaction.atomic
def transition(entry, name, *, user, comment="", expected_version=None, also_publish=()):
    """Move `entry` through the workflow, or raise PermissionDenied or WorkflowError; with
    `expected_version`, only if the entry is still that version (StaleEntryError otherwise).
    Publishing it publishes the linked drafts in `also_publish` first, each under its own
    rules, all or nothing."""
    step = TRANSITIONS[name]
    if step.needs_review_right and not may_review(user, type(entry)):
        raise PermissionDenied(f"Only reviewers may {step.label.lower()} entries.")
    if not step.needs_review_right and not may_edit(user, type(entry)):
        raise PermissionDenied("Only editors may submit entries for review.")
    if entry.status not in step.sources:
        raise WorkflowError(
            f"“{entry}” is {entry.get_status_display().lower()}; "
            f"it cannot be {'sent back' if name == 'send_back' else step.target.replace('_', ' ')}."
        )
    if entry.status == Status.PUBLISHED and step.target != Status.PUBLISHED:
        # Published topics link only to published records; like a protected foreign key.
        referring = Topic.objects.published().referring_to(entry)
        if isinstance(entry, Topic):
            referring = referring.exclude(pk=entry.pk)  # a topic naming itself
        if referring:
            titles = ", ".join(f"“{topic}”" for topic in referring)
            raise WorkflowError(
                f"“{entry}” cannot be {step.target.replace('_', ' ')} while published topics "
                f"refer to it: {titles}. Remove those references first."
            )
    if publishes_unsubmitted_work(name, user, entry):
        raise WorkflowError(
            f"“{entry}” is a draft that nobody has submitted for review. Its author submits it "
            "first; a reviewer publishes a draft directly only if they saved it last themselves."
        )
    if step.target == Status.PUBLISHED:
        problems = publication_refusals(entry, also_publish)
        if problems:
            raise WorkflowError(f"“{entry}” cannot be published: {' '.join(problems)}")
        for draft in also_publish:
            if not draft.is_published:
                transition(draft, "publish", user=user)
    if name == "send_back" and not comment.strip():
        raise MissingComment("Say what needs to change when sending an entry back.")
    if name == "archive" and entry.status == Status.PUBLISHED and not comment.strip():
        raise MissingComment(
            "Say why the entry is withdrawn: its public page will show the reason."
        )
    author_id = last_edited_by(entry)  # before this step joins the history
    note_action(
        entry,
        f"{step.done}: {comment.strip()}" if comment.strip() else f"{step.done}.",
        # A withdrawal's reason is public: it is the version's note, for the changelog.
        change_note=comment.strip() if name == "archive" else None,
    )
    was_published = entry.status == Status.PUBLISHED
    entry.status = step.target
    entry.review_note = comment.strip() if name == "send_back" else ""
    entry._history_user = user
    entry._change_reason = step.label if not comment else f"{step.label}: {comment.strip()}"
    fields = ["status", "review_note", "updated_at"]
    if expected_version is None:
        entry.save(update_fields=fields)
    else:
        save_if_unchanged(entry, expected_version=expected_version, update_fields=fields)
    if step.target == Status.ARCHIVED:  # changes waiting for review die with the live entry
        Revision.objects.of(entry).open().update(
            state=Revision.State.DISCARDED,
            decided_by=user,
            decided_at=timezone.now(),
            review_note="Discarded: the entry was archived.",
        )
    if was_published and step.target == Status.ARCHIVED:
        withdraw(entry, user=user, reason=comment.strip())
    elif step.target == Status.PUBLISHED:
        restore(entry)
    notify_on_commit(entry, name, user=user, comment=comment, author_id=author_id)
    return entry

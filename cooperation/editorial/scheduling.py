"""Scheduled workflow steps: a reviewer approves an entry (or its changes waiting for review) to
go live at a given moment, or sets a published entry to be archived at one. `manage.py
publish_scheduled`, run from cron every minute, takes the steps that are due: each once, in its
own transaction, under the rules and rights of the reviewer who scheduled it; what happened is
kept on the schedule, so running it again changes nothing."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cooperation.editorial.review import take_change_step
from cooperation.editorial.revisions import open_revision
from cooperation.editorial.workflow import (
    TRANSITIONS,
    MissingComment,
    WorkflowError,
    allowed,
    may_review,
    transition,
)
from cooperation.models import Schedule, Status

Step = Schedule.Step


def schedulable_steps(user, entry):
    """The steps `user` may schedule for `entry` now (none already waiting)."""
    if entry is None or entry.pk is None or not may_review(user, type(entry)):
        return []
    steps = []
    if allowed(TRANSITIONS["publish"], user, entry):
        steps.append(Step.PUBLISH)
    revision = open_revision(entry)
    if revision is not None and revision.state == revision.State.PENDING:
        steps.append(Step.PUBLISH_CHANGES)
    if entry.status == Status.PUBLISHED:
        steps.append(Step.ARCHIVE)
    waiting = set(Schedule.objects.of(entry).waiting().values_list("step", flat=True))
    return [step for step in steps if step not in waiting]


def schedule(entry, step, at, *, user, reason=""):
    """Schedule `step` on `entry` for the moment `at` (timezone-aware); archiving a published
    entry says why (`reason`), as archiving it now would."""
    if step not in schedulable_steps(user, entry):
        if not may_review(user, type(entry)):
            raise PermissionDenied("Only reviewers may schedule workflow steps.")
        raise WorkflowError(
            f"“{entry}” cannot be scheduled to {Step(step).label.lower()} now (or it is already)."
        )
    if at <= timezone.now():
        raise WorkflowError("Choose a moment in the future; to act now, use the buttons.")
    if step == Step.ARCHIVE and entry.status == Status.PUBLISHED and not reason.strip():
        raise MissingComment(
            "Say why the entry is to be withdrawn: its public page will show the reason."
        )
    return Schedule.objects.create(
        content_type=ContentType.objects.get_for_model(entry, for_concrete_model=False),
        object_id=entry.pk,
        step=step,
        at=at,
        revision=open_revision(entry) if step == Step.PUBLISH_CHANGES else None,
        scheduled_by=user,
        reason=reason.strip() if step == Step.ARCHIVE else "",
    )


def cancel(scheduled, *, user):
    if not may_review(user, scheduled.content_type.model_class()):
        raise PermissionDenied("Only reviewers may cancel scheduled steps.")
    scheduled.done_at = timezone.now()
    scheduled.outcome = f"Cancelled by {user.get_username()}."
    scheduled.save(update_fields=["done_at", "outcome"])


def take(scheduled):
    """Take the scheduled step; the outcome, as a sentence."""
    entry, user = scheduled.entry, scheduled.scheduled_by
    if entry is None:
        return "Not done: the entry no longer exists."
    if user is None or not user.is_active:
        return "Not done: the reviewer who scheduled it no longer has an active account."
    if scheduled.step == Step.PUBLISH_CHANGES:
        revision = scheduled.revision
        if revision is None or revision.state != revision.State.PENDING:
            return "Not done: the changes no longer wait for review."
        take_change_step(revision, "publish_changes", user=user)
        return "Done: the changes are published."
    target = Status.PUBLISHED if scheduled.step == Step.PUBLISH else Status.ARCHIVED
    if entry.status == target:
        return f"Nothing to do: it was {entry.get_status_display().lower()} already."
    transition(entry, scheduled.step, user=user, comment=scheduled.reason)
    return f"Done: it is {entry.get_status_display().lower()}."


def run_due(now=None):
    """Take every step due at `now` (default: now), oldest first; [(schedule, outcome)]."""
    now = now or timezone.now()
    results = []
    for pk in Schedule.objects.due(now).values_list("pk", flat=True):
        with transaction.atomic():
            # Another run may be taking it (cron overlapping a slow run): skip, never twice.
            due = Schedule.objects.select_for_update(skip_locked=True, of=("self",))
            due = due.due(now).filter(pk=pk)
            scheduled = due.select_related("scheduled_by", "revision").first()
            if scheduled is None:
                continue
            try:
                with transaction.atomic():
                    outcome = take(scheduled)
            except (WorkflowError, PermissionDenied) as error:
                outcome = f"Not done: {error}"
            scheduled.done_at, scheduled.outcome = timezone.now(), outcome
            scheduled.save(update_fields=["done_at", "outcome"])
            results.append((scheduled, outcome))
    return results

"""Changes to published entries wait for review as revisions (cooperation.models.Revision).

An editor's save of a published entry runs as any save does (the admin's form and inlines, the
API's serializer, with all their checks) inside a savepoint; the result, the entry with its links
and claims, is serialised and the savepoint rolled back, so the live entry never changes. The
revision is the serialised result. To show it (the editor's form, the preview at the public URL)
it is applied inside a savepoint that is rolled back once the page is rendered. Publishing applies
it for good, in one transaction, after checking that the live entry is still the version it was
made from. What travels with an entry is its snapshot (cooperation.editorial.snapshots)."""

from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from cooperation.editorial.history import current_note
from cooperation.editorial.notifications import notify_on_commit
from cooperation.editorial.snapshots import apply_content, claim_versions, snapshot
from cooperation.editorial.workflow import may_review
from cooperation.models import Revision, Status


def is_revised(entry):
    """Whether a save of `entry` by someone without the review right makes a revision."""
    return entry is not None and entry.pk is not None and entry.status == Status.PUBLISHED


def waits_for_review(entry, user):
    """Whether `user`'s save of `entry` is kept as a revision: the entry is published and they
    may not publish it, or changes to it already wait for review."""
    if entry is None or entry.pk is None:
        return False
    if open_revision(entry) is not None:
        return True
    return is_revised(entry) and not may_review(user, type(entry))


def open_revision(entry):
    if entry is None or entry.pk is None:
        return None
    return Revision.objects.of(entry).open().select_related("created_by", "edited_by").first()


class _RollBack(Exception):
    pass


@contextmanager
def rolled_back():
    """Whatever the block writes is undone when it ends (errors inside it propagate)."""
    try:
        with transaction.atomic():
            yield
            raise _RollBack
    except _RollBack:
        pass


def apply(revision, *, user, reason):
    """Make the live entry and its claims what the revision says."""
    model = revision.content_type.model_class()
    return apply_content(revision.content, model, revision.object_id, user=user, reason=reason)


@contextmanager
def previewing(revision):
    """Within it, the database shows the entry as the revision would make it; then undone.

    The entry's version in there counts the revision's saves on top of the live version, so a
    form opened on the revision is refused if either changed before it is saved (and the
    refusal names the revision's last editor, from the history written in here)."""
    with rolled_back():
        if revision is not None:
            entry = apply(revision, user=revision.edited_by, reason="Changes waiting for review")
            type(entry)._default_manager.filter(pk=entry.pk).update(
                version=entry.version + revision.edits
            )
        yield


def save_as_revision(entry, *, user, change):
    """Run `change()`, which saves the entry (and its claims) as an editor's form or request
    would, on the entry as its open revision shows it; keep the result as that revision, not
    live. `change` returns whether it saved; if not, nothing is kept. Returns (revision or None,
    what `change` returned)."""
    with transaction.atomic():
        # Lock the live row first: of two editors saving at once, the second then waits,
        # finds the first one's revision and, having opened the form before it, is refused.
        live = type(entry)._default_manager.select_for_update().filter(pk=entry.pk)
        base_version = live.values_list("version", flat=True).get()
        revision = open_revision(entry)
        base_claims = claim_versions(entry)
        content = None
        with previewing(revision):
            outcome = change()
            if outcome:
                content = snapshot(entry)
        if content is None:
            return None, outcome
        if revision is None:
            revision = Revision(
                content_type=ContentType.objects.get_for_model(entry, for_concrete_model=False),
                object_id=entry.pk,
                created_by=user,
                edits=0,
            )
        newly_submitted = revision.state != Revision.State.PENDING or revision.pk is None
        revision.content = content
        revision.base_version, revision.base_claims = base_version, base_claims
        revision.state, revision.review_note = Revision.State.PENDING, ""
        revision.edits += 1
        revision.edited_by, revision.updated_at = user, timezone.now()
        revision.note = current_note() or revision.note
        revision.save()
    if newly_submitted:
        notify_on_commit(entry, "submit_changes", user=user, comment="", author_id=None)
    return revision, outcome

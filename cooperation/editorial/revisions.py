"""Changes to published entries wait for review as revisions (cooperation.models.Revision).

An editor's save of a published entry runs as any save does (the admin's form and inlines, the
API's serializer, with all their checks) inside a savepoint; the result, the entry with its links
and claims, is serialised and the savepoint rolled back, so the live entry never changes. The
revision is the serialised result. To show it (the editor's form, the preview at the public URL)
it is applied inside a savepoint that is rolled back once the page is rendered. Publishing applies
it for good, in one transaction, after checking that the live entry is still the version it was
made from.

Which claims travel with an entry: the related managers its model names in `revised_relations`
(a case study's participations, mechanism uses and challenge encounters; an actor's
memberships)."""

from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import transaction
from django.utils import timezone

from cooperation.editorial.notifications import notify_on_commit
from cooperation.models import PublishableModel, Revision, Status

# What stays as the live entry has it: its identity, place in the workflow and bookkeeping.
LIVE_FIELDS = {"id", "status", "review_note", "published_at", "version", "created_at", "updated_at"}


def owner_field(model):
    """The foreign key by which a record of `model` is a claim of an entry: the one whose
    reverse accessor the entry's model names in `revised_relations`; None for other models."""
    for field in model._meta.concrete_fields:
        related = field.related_model if field.many_to_one else None
        if related and field.remote_field.get_accessor_name() in getattr(
            related, "revised_relations", ()
        ):
            return field
    return None


def owning_entry(record):
    """The entry `record` is part of: itself if it is an entry, else the entry it is a claim of
    (a participation's case study, a membership's member), or None."""
    if isinstance(record, PublishableModel):
        return record
    field = owner_field(type(record))
    return getattr(record, field.name) if field is not None else None


def is_revised(entry):
    """Whether a save of `entry` by someone without the review right makes a revision."""
    return entry is not None and entry.pk is not None and entry.status == Status.PUBLISHED


def open_revision(entry):
    if entry is None or entry.pk is None:
        return None
    return Revision.objects.of(entry).open().select_related("created_by", "edited_by").first()


def claims_of(entry):
    for relation in getattr(type(entry), "revised_relations", ()):
        yield from getattr(entry, relation).order_by("pk")


def claim_versions(entry):
    return [[claim._meta.label_lower, claim.pk, claim.version] for claim in claims_of(entry)]


def snapshot(entry):
    """The entry and its claims as stored now, as JSON-ready data."""
    entry = type(entry)._default_manager.get(pk=entry.pk)
    return serializers.serialize("python", [entry, *claims_of(entry)])


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


def copy_fields(source, target):
    """Copy the content fields of `source` onto `target`; whether any differed."""
    changed = False
    for field in target._meta.concrete_fields:
        if field.name in LIVE_FIELDS or field.primary_key:
            continue
        value = getattr(source, field.attname)
        if getattr(target, field.attname) != value:
            setattr(target, field.attname, value)
            changed = True
    return changed


def set_links(obj, m2m_data):
    for name, pks in m2m_data.items():
        manager = getattr(obj, name)
        if set(manager.values_list("pk", flat=True)) != set(pks):
            manager.set(pks)


def apply(revision, *, user, reason):
    """Make the live entry and its claims what the revision says. Unchanged rows are not
    saved, so applying the same revision twice gives the same versions (the forms rely on it)."""
    records = list(serializers.deserialize("python", revision.content))
    entry_model = revision.content_type.model_class()
    entry = entry_model._default_manager.get(pk=revision.object_id)
    wanted, *claims = records
    if copy_fields(wanted.object, entry):
        entry._history_user, entry._change_reason = user, reason
        entry.save()
    set_links(entry, wanted.m2m_data)
    live = {(claim._meta.label_lower, claim.pk): claim for claim in claims_of(entry)}
    for record in claims:
        claim = record.object
        current = live.pop((claim._meta.label_lower, claim.pk), None)
        if current is None:
            if type(claim)._base_manager.filter(pk=claim.pk).exists():
                claim.pk = None  # its provisional id went to another row meanwhile
            claim.version = 1
            claim._history_user, claim._change_reason = user, reason
            claim.save(force_insert=True)
            current = claim
        elif copy_fields(claim, current):
            current._history_user, current._change_reason = user, reason
            current.save()
        set_links(current, record.m2m_data)
    for claim in live.values():
        claim._history_user, claim._change_reason = user, reason
        claim.delete()
    return entry


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
        revision.save()
    if newly_submitted:
        notify_on_commit(entry, "submit_changes", user=user, comment="", author_id=None)
    return revision, outcome

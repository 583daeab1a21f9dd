"""Reverting an entry to one of its versions: everything a comparison shows comes back (fields,
many-to-many links, claims and their sources), but not its place in the workflow, nor, once it
has left the draft stage, its URL. A revert is a save like any other: by someone who may not
publish a published entry it waits for review, and it is recorded in the history as "Reverted to
the version of <date> (saved by <user>)"."""

from django.apps import apps
from django.db import transaction

from cooperation.editorial.diffs import former_name
from cooperation.editorial.history import note_action, recording
from cooperation.editorial.revisions import save_as_revision, waits_for_review
from cooperation.editorial.snapshots import apply_content
from cooperation.editorial.workflow import WorkflowError
from cooperation.models import StaleEntryError, Status


class RevertError(WorkflowError):
    """The version cannot be restored as it stands."""


def missing_targets(content):
    """Sentences naming the records `content` links to that no longer exist."""
    wanted = {}  # model -> {pk}
    for record in content:
        model = model_of(record)
        for field in model._meta.concrete_fields:
            value = record["fields"].get(field.name)
            if field.many_to_one and value is not None:
                wanted.setdefault(field.related_model, set()).add(value)
        for field in model._meta.many_to_many:
            wanted.setdefault(field.related_model, set()).update(
                record["fields"].get(field.name, [])
            )
    # The entry's own claims are put back by the revert itself.
    own = {(model_of(record), record["pk"]) for record in content}
    missing = []
    for model, pks in wanted.items():
        pks -= {pk for owner, pk in own if owner is model}
        found = set(model._base_manager.filter(pk__in=pks).values_list("pk", flat=True))
        for pk in sorted(pks - found):
            missing.append(f"the {model._meta.verbose_name} “{former_name(model, pk)}”")
    return missing


def model_of(record):
    return apps.get_model(record["model"])


@transaction.atomic
def revert(entry, version, *, user, expected_version, note=""):
    """Make `entry` what `version` holds, as `user`, with the change note `note`; refused
    (StaleEntryError) if the entry is no longer at `expected_version`. Returns the revision if
    the revert waits for review, else None."""
    if version.content is None:
        raise RevertError("That version records the entry's deletion; there is nothing to restore.")
    missing = missing_targets(version.content)
    if missing:
        raise RevertError(
            f"Version {version.number} links to records that no longer exist: "
            f"{', '.join(missing)}. Edit the entry instead."
        )
    sentence = f"Reverted to {version.description}."
    keep = () if entry.status == Status.DRAFT else ("slug",)
    model = type(entry)

    def change():
        current = model._default_manager.get(pk=entry.pk)
        if current.version != expected_version:
            raise StaleEntryError(
                f"This {model._meta.verbose_name} was changed by someone else since you opened it."
            )
        apply_content(version.content, model, entry.pk, user=user, reason=sentence, keep=keep)
        return True

    with recording(user=user, note=note):
        if waits_for_review(entry, user):
            revision, _ = save_as_revision(entry, user=user, change=change)
            # What the version will say once a reviewer publishes the changes.
            revision.note = f"Reverted to the version of {version.when}. {note}".strip()
            revision.save(update_fields=["note"])
            return revision
        change()
        note_action(entry, sentence)
        return None

"""What changed between two versions of an entry, in an editor's words: each field by its label,
linked records by their names, many-to-many links as what was added and removed, text word by
word, and the claims (participants, mechanisms used, challenges met, memberships) one by one as
added, removed or changed."""

import difflib
import re
from dataclasses import dataclass, field

from django.apps import apps

from cooperation.editorial.history import BOOKKEEPING

SAME, REMOVED, ADDED = "same", "removed", "added"

# Long text is compared word by word; shorter values whole.
WORDWISE = {"TextField"}


@dataclass
class Change:
    label: str
    old: str
    new: str
    # For text and lists: the pieces of both sides, each (SAME, REMOVED or ADDED, text), and
    # what goes between two pieces (text pieces carry their own spaces).
    pieces: list = field(default_factory=list)
    joiner: str = ""

    @property
    def old_pieces(self):
        return [(kind, text) for kind, text in self.pieces if kind != ADDED]

    @property
    def new_pieces(self):
        return [(kind, text) for kind, text in self.pieces if kind != REMOVED]


@dataclass
class ClaimChange:
    kind: str
    label: str
    how: str  # "added", "removed" or "changed"
    changes: list


def model_of(record):
    return apps.get_model(record["model"])


class Names:
    """The names of the records two versions link to, looked up once per model; a record
    deleted since is named from its own history."""

    def __init__(self, *contents):
        wanted = {}
        for content in contents:
            for record in content or ():
                model = model_of(record)
                for target, values in links(model, record):
                    wanted.setdefault(target, set()).update(values)
        self.names = {}
        for model, pks in wanted.items():
            for obj in model._base_manager.filter(pk__in=pks):
                self.names[model, obj.pk] = str(obj)
            for pk in pks - {pk for (m, pk) in self.names if m is model}:
                self.names[model, pk] = f"{former_name(model, pk)} (deleted)"

    def __call__(self, model, pk):
        return self.names.get((model, pk), f"#{pk}")


def former_name(model, pk):
    """The name or title a deleted record last had, from its history; else its id."""
    history = getattr(model, "history", None)
    last = history.filter(id=pk).order_by("-history_id").first() if history else None
    for name in ("title", "name", "slug"):
        if getattr(last, name, ""):
            return getattr(last, name)
    return f"#{pk}"


def links(model, record):
    """(linked model, [pk]) for each foreign key and many-to-many field of `record`."""
    fields = record["fields"]
    for model_field in model._meta.concrete_fields:
        if model_field.many_to_one and fields.get(model_field.name) is not None:
            yield model_field.related_model, [fields[model_field.name]]
    for model_field in model._meta.many_to_many:
        yield model_field.related_model, fields.get(model_field.name, [])


def shown(model_field, value, names):
    if value in (None, ""):
        return "—"
    if model_field.many_to_one:
        return names(model_field.related_model, value)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.get_internal_type() == "BooleanField":
        return "Yes" if value else "No"
    return str(value)


def words(old, new):
    """The pieces of two texts, word by word (spaces kept with the word before them)."""
    before, after = re.findall(r"\S+\s*", old or ""), re.findall(r"\S+\s*", new or "")
    pieces = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append((SAME, "".join(before[i1:i2])))
            continue
        if i2 > i1:
            pieces.append((REMOVED, "".join(before[i1:i2])))
        if j2 > j1:
            pieces.append((ADDED, "".join(after[j1:j2])))
    return pieces


def field_changes(model, old, new, names, skip=()):
    """The changes from record fields `old` to `new` (either may be empty), by label."""
    changes = []
    for model_field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        name = model_field.name
        if model_field.primary_key or name in BOOKKEEPING or name in skip:
            continue
        before, after = old.get(name), new.get(name)
        label = str(model_field.verbose_name).capitalize()
        if model_field.many_to_many:
            before, after = set(before or ()), set(after or ())
            if before == after:
                continue
            target = model_field.related_model
            pieces = sorted(
                [(SAME, names(target, pk)) for pk in before & after]
                + [(REMOVED, names(target, pk)) for pk in before - after]
                + [(ADDED, names(target, pk)) for pk in after - before],
                key=lambda piece: piece[1].casefold(),
            )
            old_text = ", ".join(text for kind, text in pieces if kind != ADDED) or "—"
            new_text = ", ".join(text for kind, text in pieces if kind != REMOVED) or "—"
            changes.append(Change(label, old_text, new_text, pieces, joiner=", "))
            continue
        if before == after:
            continue
        change = Change(label, shown(model_field, before, names), shown(model_field, after, names))
        if model_field.get_internal_type() in WORDWISE:
            change.pieces = words(before, after)
        changes.append(change)
    return changes


def claim_label(model, fields, names, entry_key):
    """A claim named by what it links the entry to, and its role: “NATO (lead)”."""
    parts = []
    for model_field in model._meta.concrete_fields:
        value = fields.get(model_field.name)
        if not model_field.many_to_one or value is None:
            continue
        if (model_field.related_model, value) == entry_key:
            continue
        parts.append(names(model_field.related_model, value))
    role = model._meta.get_field("role") if "role" in fields else None
    label = ", ".join(parts)
    if role is not None and fields["role"]:
        label += f" ({shown(role, fields['role'], names)})"
    return label


def compare(older, newer):
    """(changes to the entry's fields, changes to its claims) from content `older` to `newer`."""
    names = Names(older, newer)
    old_entry, *old_claims = older or [None]
    new_entry, *new_claims = newer or [None]
    model = model_of(new_entry or old_entry)
    entry_key = (model, (new_entry or old_entry)["pk"])
    entry_changes = field_changes(
        model, (old_entry or {}).get("fields", {}), (new_entry or {}).get("fields", {}), names
    )
    before = {(record["model"], record["pk"]): record for record in old_claims}
    after = {(record["model"], record["pk"]): record for record in new_claims}
    claim_changes = []
    for key in [*before, *(key for key in after if key not in before)]:
        claim_model = apps.get_model(key[0])
        old_fields = before[key]["fields"] if key in before else {}
        new_fields = after[key]["fields"] if key in after else {}
        owners = {
            model_field.name
            for model_field in claim_model._meta.concrete_fields
            if model_field.many_to_one
            and (model_field.related_model, (new_fields or old_fields).get(model_field.name))
            == entry_key
        }
        changes = field_changes(claim_model, old_fields, new_fields, names, skip=owners)
        how = "removed" if key not in after else "added" if key not in before else "changed"
        if how == "changed" and not changes:
            continue
        claim_changes.append(
            ClaimChange(
                kind=str(claim_model._meta.verbose_name).capitalize(),
                label=claim_label(claim_model, new_fields or old_fields, names, entry_key),
                how=how,
                changes=changes,
            )
        )
    return entry_changes, claim_changes

"""An entry's content as one piece of data, and back: the entry with its many-to-many links and
its claims (the related managers its model names in `revised_relations`: a case study's
participations, mechanism uses and challenge encounters; an actor's memberships), read as
Django's Python serializer writes them, and applied to the database again. Revisions, history
versions and reverts all use this one form."""

from django.core import serializers

from cooperation.models import PublishableModel

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


def owning_entry_model_and_pk(record):
    """`owning_entry` as (model, pk), read without a query; None if it has none."""
    if isinstance(record, PublishableModel):
        return type(record), record.pk
    field = owner_field(type(record))
    pk = getattr(record, field.attname) if field is not None else None
    return (field.related_model, pk) if pk is not None else None


def _owner_fields(record):
    """The foreign keys of a claim that point to the entries listing it."""
    for field in record._meta.concrete_fields:
        related = field.related_model if field.many_to_one else None
        accessor = field.remote_field.get_accessor_name() if related else None
        if related and accessor in getattr(related, "revised_relations", ()):
            yield field


def owning_entries(record):
    """The entries `record` is part of: itself, or those whose claim it is (a participation's
    case study; a membership's member and organisation, which both list it)."""
    if isinstance(record, PublishableModel):
        return [record]
    entries = (getattr(record, field.name) for field in _owner_fields(record))
    return [entry for entry in entries if entry is not None]


def owning_entry_keys(record):
    """The (model label, pk) of the entries `record` is part of, read without a query."""
    if isinstance(record, PublishableModel):
        return {(record._meta.label_lower, record.pk)}
    keys = {
        (field.related_model._meta.label_lower, getattr(record, field.attname))
        for field in _owner_fields(record)
    }
    return {(label, pk) for label, pk in keys if pk is not None}


def claims_of(entry):
    for relation in getattr(type(entry), "revised_relations", ()):
        yield from getattr(entry, relation).order_by("pk")


def claim_versions(entry):
    """[model label, pk, version] of each of the entry's claims, as stored now (a version read,
    not the claims themselves: every write waiting for review reads these first)."""
    versions = []
    for relation in getattr(type(entry), "revised_relations", ()):
        claims = getattr(entry, relation).order_by("pk")
        label = claims.model._meta.label_lower
        versions += [[label, pk, version] for pk, version in claims.values_list("pk", "version")]
    return versions


def with_links(queryset):
    return queryset.prefetch_related(*(field.name for field in queryset.model._meta.many_to_many))


def snapshot(entry):
    """The entry and its claims as stored now, as JSON-ready data."""
    entry = with_links(type(entry)._default_manager.filter(pk=entry.pk)).get()
    claims = [
        claim
        for relation in getattr(type(entry), "revised_relations", ())
        for claim in with_links(getattr(entry, relation).order_by("pk"))
    ]
    return serializers.serialize("python", [entry, *claims])


def copy_fields(source, target, keep=()):
    """Copy the content fields of `source` onto `target`, but those in `keep`; whether any
    differed."""
    changed = False
    for field in target._meta.concrete_fields:
        if field.name in LIVE_FIELDS or field.name in keep or field.primary_key:
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


def apply_content(content, model, pk, *, user, reason, keep=()):
    """Make the entry `pk` of `model` and its claims what `content` (a revision's, or a past
    version's) says, leaving the fields in `keep` as they are. Unchanged rows are not saved, so
    applying the same content twice gives the same versions (the forms rely on it)."""
    wanted, *claims = serializers.deserialize("python", content)
    entry = model._default_manager.get(pk=pk)
    if copy_fields(wanted.object, entry, keep=keep):
        entry._history_user, entry._change_reason = user, reason
        entry.save()
    set_links(entry, wanted.m2m_data)
    live = {(claim._meta.label_lower, claim.pk): claim for claim in claims_of(entry)}
    kept = {(record.object._meta.label_lower, record.object.pk) for record in claims}
    # Removed claims go first: a claim put back may be the same link under a new id.
    for key, claim in list(live.items()):
        if key not in kept:
            claim._history_user, claim._change_reason = user, reason
            claim.delete()
            del live[key]
    for record in claims:
        claim = record.object
        current = live.get((claim._meta.label_lower, claim.pk))
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
    return entry

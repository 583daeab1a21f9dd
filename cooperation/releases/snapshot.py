"""Cutting a release: every record the public can see at that moment (published entries, the
reference data, and the links and claims whose two ends are public), frozen as it stands, with the
changes since the previous release computed record by record.

What a release holds is what the anonymous public sees (`visible_to(AnonymousUser())` of each
model), its many-to-many links narrowed to records in the release, without reviewers' notes."""

import hashlib
import json

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from cooperation.exchange.exporting import exported_models
from cooperation.models import Release, ReleaseRecord, TopicReference

# Editorial bookkeeping that is not part of the public record.
PRIVATE_FIELDS = {"review_note", "version"}
# Fields that change with every save but say nothing a reader would call a change.
UNCOMPARED_FIELDS = {"updated_at", "created_at"}


def released_models():
    """The models a release holds, in an order their foreign keys allow loading them in."""
    return [*exported_models(), TopicReference]


def public_rows(model):
    queryset = model._default_manager
    if hasattr(queryset, "visible_to"):
        return queryset.visible_to(AnonymousUser())
    if model is TopicReference:
        return queryset.filter(topic__status="published")
    return queryset.all()


def name_of(fields):
    for name in ("title", "name", "slug"):
        if fields.get(name):
            return str(fields[name])[:300]
    return ""


def digest_of(data):
    canonical = json.dumps(data, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def stored(data):
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def public_records():
    """{model label: {id: fields}} of everything the public sees now."""
    found = {}
    for model in released_models():
        rows = public_rows(model).order_by("pk")
        many = [field.name for field in model._meta.many_to_many]
        objects = list(rows.prefetch_related(*many))
        found[model._meta.label_lower] = {
            record["pk"]: {k: v for k, v in record["fields"].items() if k not in PRIVATE_FIELDS}
            for record in serializers.serialize("python", objects)
        }
    narrow_links(found)
    topic_references_to_public_records(found)
    return {
        label: {pk: stored(fields) for pk, fields in records.items()}
        for label, records in found.items()
    }


def narrow_links(found):
    """Links only to records the release holds: a case study's draft country, or a mechanism's
    draft parent, is not public, so not in the release. (A claim of a draft is not public at
    all, so never found here.)"""
    for label, records in found.items():
        model = apps.get_model(label)
        for field in model._meta.many_to_many:
            held = found.get(field.related_model._meta.label_lower, {})
            for fields in records.values():
                fields[field.name] = [pk for pk in fields[field.name] if pk in held]
        for field in model._meta.concrete_fields:
            target = field.related_model._meta.label_lower if field.many_to_one else None
            if target not in found or not field.null:
                continue
            for fields in records.values():
                if fields[field.name] is not None and fields[field.name] not in found[target]:
                    fields[field.name] = None


def topic_references_to_public_records(found):
    references = found.get("cooperation.topicreference", {})
    labels = {
        content_type.pk: f"{content_type.app_label}.{content_type.model}"
        for content_type in ContentType.objects.all()
    }
    for pk in list(references):
        fields = references[pk]
        target = found.get(labels.get(fields["content_type"]), {})
        if fields["object_id"] not in target:
            del references[pk]


def compared(fields):
    return {name: value for name, value in fields.items() if name not in UNCOMPARED_FIELDS}


def changed_fields(old, new):
    old, new = compared(old), compared(new)
    return sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))


def changes_between(previous_records, records):
    """{label: {"added": [[id, name]], "changed": [[id, name, [fields]]], "withdrawn": [...]}}."""
    changes = {}
    for label in sorted(records.keys() | previous_records.keys()):
        before, after = previous_records.get(label, {}), records.get(label, {})
        entry = {
            "added": [[pk, name_of(after[pk])] for pk in sorted(after.keys() - before.keys())],
            "changed": [
                [pk, name_of(after[pk]), names]
                for pk in sorted(after.keys() & before.keys())
                if (names := changed_fields(before[pk], after[pk]))
            ],
            "withdrawn": [[pk, name_of(before[pk])] for pk in sorted(before.keys() - after.keys())],
        }
        if any(entry.values()):
            changes[label] = entry
    return changes


def records_of(release):
    """{label: {id: fields}} of a release (ids as ints, as public_records gives them)."""
    found = {}
    for label, pk, fields in release.records.values_list("model", "object_id", "fields"):
        found.setdefault(label, {})[pk] = fields
    return found


@transaction.atomic
def cut_release(version, *, notes, user=None, progress=None):
    """Freeze what the public sees now as release `version`. ValidationError if the number is
    malformed, taken, or not after the latest release's."""
    previous = Release.objects.order_by("-cut_at", "-pk").first()
    release = Release(version=version, notes=notes, cut_by=user, previous=previous)
    release.full_clean(exclude=["digest", "counts", "changes"])
    check_follows(version, previous)
    records = public_records()
    before = records_of(previous) if previous is not None else {}
    previous_digests = (
        {
            (label, pk): (digest, changed_in)
            for label, pk, digest, changed_in in previous.records.values_list(
                "model", "object_id", "digest", "changed_in"
            )
        }
        if previous is not None
        else {}
    )
    release.counts = {label: len(rows) for label, rows in records.items()}
    release.changes = changes_between(before, records)
    release.digest = digest_of(records)
    release.cut_at = timezone.now()
    release.save()
    rows = []
    for label, by_pk in records.items():
        for pk, fields in by_pk.items():
            digest = digest_of(compared(fields))
            earlier = previous_digests.get((label, pk))
            changed_in_id = earlier[1] if earlier and earlier[0] == digest else release.pk
            rows.append(
                ReleaseRecord(
                    release=release,
                    model=label,
                    object_id=pk,
                    slug=str(fields.get("slug", ""))[:200],
                    name=name_of(fields),
                    fields=fields,
                    digest=digest,
                    changed_in_id=changed_in_id,
                )
            )
    for start in range(0, len(rows), 500):
        ReleaseRecord.objects.bulk_create(rows[start : start + 500])
        if progress is not None:
            progress(min(start + 500, len(rows)), len(rows))
    return release


def check_follows(version, previous, field="version"):
    """ValidationError unless `version` comes after the `previous` release's."""
    if previous is None:
        return
    number = tuple(int(part) for part in version.split("."))
    latest = tuple(int(part) for part in previous.version.split("."))
    if number <= latest:
        message = f"Release {version} would not come after {previous.version}, the latest."
        raise ValidationError({field: message} if field else message)


def next_version(today=None):
    """The number the next release would have: this year's next, or YEAR.1."""
    year = (today or timezone.localdate()).year
    this_year = Release.objects.filter(version__startswith=f"{year}.")
    numbers = [
        int(version.split(".")[1]) for version in this_year.values_list("version", flat=True)
    ]
    return f"{year}.{max(numbers, default=0) + 1}"

"""Exporting the atlas: every record (or a filtered part) in the fixture format, natural keys
only, so an export imports into any database, empty or not; or as CSV, one file per model.

Models are found through the app registry (every concrete TimeStampedModel), in the order their
natural keys depend on each other, so this module needs to know no app by name."""

import itertools
import json

from django.apps import apps
from django.core import serializers

from cooperation import references
from cooperation.exchange.csv import csv_lines
from cooperation.exchange.importing import CSV_KEY_SEPARATOR, CSV_LIST_SEPARATOR
from cooperation.exchange.json import ExactJSONEncoder
from cooperation.models import TimeStampedModel

# Bookkeeping that the importing database sets for itself.
# The version stays: importing the file back checks that each record is still as exported.
SKIPPED_FIELDS = {"id", "created_at", "updated_at"}


def exported_models():
    models = [
        model
        for model in apps.get_models()
        if issubclass(model, TimeStampedModel) and not model._meta.abstract
    ]
    app_list = {}
    for model in models:
        app_list.setdefault(apps.get_app_config(model._meta.app_label), []).append(model)
    ordered = serializers.sort_dependencies(app_list.items())
    # Text that refers to records ([[kind:slug]], see cooperation.references) is imported only
    # once the records it names exist, so the models holding such text come last.
    referring = [model for model in ordered if getattr(model, "reference_fields", None)]
    return [model for model in ordered if model not in referring] + referring


def _parents_first(objects):
    """Rows of a model that refers to itself (a mechanism's parent), parents before children."""
    model = type(objects[0]) if objects else None
    self_links = (
        [
            f.attname
            for f in model._meta.concrete_fields
            if f.many_to_one and f.related_model is model
        ]
        if model
        else []
    )
    if not self_links:
        return objects
    by_pk = {obj.pk: obj for obj in objects}
    placed, ordered = set(), []

    def place(obj):
        if obj.pk in placed:
            return
        placed.add(obj.pk)
        for attname in self_links:
            parent = by_pk.get(getattr(obj, attname))
            if parent is not None:
                place(parent)
        ordered.append(obj)

    for obj in objects:
        place(obj)
    return ordered


def _referenced_first(objects):
    """Rows whose text refers to rows of the same model (a topic naming another), the named
    ones first where the references allow it."""
    model = type(objects[0]) if objects else None
    kind = references.kind_of(model) if getattr(model, "reference_fields", None) else None
    if kind is None:
        return objects
    by_slug = {obj.slug: obj for obj in objects}
    placed, ordered = set(), []

    def place(obj):
        if obj.pk in placed:
            return
        placed.add(obj.pk)
        for name in model.reference_fields:
            for reference in references.parse(getattr(obj, name)):
                named = by_slug.get(reference.slug) if reference.kind == kind.key else None
                if named is not None:
                    place(named)
        ordered.append(obj)

    for obj in objects:
        place(obj)
    return ordered


def export_records(models=None, *, status=None, slugs=None):
    """The records of `models` (default: all) as fixture dicts, optionally only those with a
    given status or slug."""
    records = []
    for model in models or exported_models():
        queryset = model._default_manager.order_by("pk")
        field_names = {f.name for f in model._meta.get_fields()}
        if status and "status" in field_names:
            queryset = queryset.filter(status=status)
        if slugs and "slug" in field_names:
            queryset = queryset.filter(slug__in=slugs)
        many = [f.name for f in model._meta.many_to_many]
        objects = _referenced_first(_parents_first(list(queryset.prefetch_related(*many))))
        for record in serializers.serialize(
            "python", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True
        ):
            record.pop("pk", None)
            for name in SKIPPED_FIELDS:
                record["fields"].pop(name, None)
            records.append(record)
    return records


def _csv_cell(value):
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], list | tuple):
            return CSV_LIST_SEPARATOR.join(CSV_KEY_SEPARATOR.join(map(str, key)) for key in value)
        return CSV_KEY_SEPARATOR.join(map(str, value))
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else value


def records_to_csv(records):
    """Records of one model as CSV text: a header of field names, a row per record."""
    if not records:
        return ""
    columns = list(records[0]["fields"])
    rows = ([record["fields"].get(name) for name in columns] for record in records)
    return "".join(csv_lines(itertools.chain([columns], rows), cell=_csv_cell))


def records_to_json(records):
    return json.dumps(records, cls=ExactJSONEncoder, indent=1, ensure_ascii=False)

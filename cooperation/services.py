"""Writes that carry rules. Loading the atlas's fixtures: every record is validated like an admin
form would validate it, the whole load is one transaction, and a record that is already there
with the same content is left alone, so loading twice changes nothing."""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.core import serializers
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, transaction


class FixtureError(Exception):
    """A fixture that cannot be loaded; the message names the file and the record."""


@dataclass
class LoadReport:
    created: int = 0
    changed: int = 0
    unchanged: int = 0
    files: list = field(default_factory=list)


def _describe(path, index, record):
    model = record.get("model", "?") if isinstance(record, dict) else "?"
    fields = record.get("fields", {}) if isinstance(record, dict) else {}
    name = fields.get("slug") if isinstance(fields, dict) else None
    if name is None and isinstance(fields, dict):
        keys = ("case_study", "member", "organisation", "actor", "mechanism", "challenge")
        name = ", ".join(str(fields[k]) for k in keys if k in fields) or None
    label = f"{path}, record {index + 1} ({model}"
    return f"{label} {name})" if name else f"{label})"


def _read_records(path):
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise FixtureError(f"{path}: cannot be read: {error.strerror}") from error
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FixtureError(f"{path}: not valid JSON: {error}") from error
    if not isinstance(records, list):
        raise FixtureError(f"{path}: expected a JSON list of records")
    return records


def _deserialize(record):
    if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
        raise FixtureError('expected an object with "model" and "fields"')
    try:
        (deserialized,) = serializers.deserialize(
            "python", [record], handle_forward_references=False
        )
    except DeserializationError as error:
        raise FixtureError(str(error)) from error
    return deserialized


def _save(deserialized, present):
    """Create the record, or update the fields the fixture gives; return what happened."""
    incoming = deserialized.object
    model = type(incoming)
    existing = model._default_manager.filter(pk=incoming.pk).first() if incoming.pk else None
    target = existing or incoming
    changed_fields = []
    if existing is not None:
        for model_field in model._meta.concrete_fields:
            if model_field.name in present and not model_field.primary_key:
                value = getattr(incoming, model_field.attname)
                if getattr(existing, model_field.attname) != value:
                    setattr(existing, model_field.attname, value)
                    changed_fields.append(model_field.name)
    target.full_clean()
    if existing is None:
        target.save()
    elif changed_fields:
        target.save(update_fields=changed_fields)
    m2m_changed = False
    for name, values in deserialized.m2m_data.items():
        related = getattr(target, name)
        if existing is None or set(related.values_list("pk", flat=True)) != set(values):
            related.set(values)
            m2m_changed = True
    if existing is None:
        return "created"
    return "changed" if changed_fields or m2m_changed else "unchanged"


@transaction.atomic
def load_fixtures(paths):
    """Load fixture files in order, all or nothing. Raises FixtureError naming the bad record."""
    report = LoadReport()
    for path in paths:
        for index, record in enumerate(_read_records(path)):
            try:
                deserialized = _deserialize(record)
                outcome = _save(deserialized, set(record["fields"]))
            except ValidationError as error:
                problems = "; ".join(
                    f"{'record' if name == NON_FIELD_ERRORS else name}: {' '.join(messages)}"
                    for name, messages in error.message_dict.items()
                )
                raise FixtureError(f"{_describe(path, index, record)}: {problems}") from error
            except (FixtureError, DatabaseError) as error:
                raise FixtureError(f"{_describe(path, index, record)}: {error}") from error
            setattr(report, outcome, getattr(report, outcome) + 1)
        report.files.append(str(path))
    return report

"""What is wrong with an imported record's values before Django deserialises it, and the
record in the editor's words: the deserializer would crash on some values, quietly coerce
others, and name a missing reference in developer's terms."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from cooperation.models import TimeStampedModel

# Set by the importing database itself, as exports leave them out.
BOOKKEEPING_FIELDS = {"id", "created_at", "updated_at"}
MAX_KEY = 2**63 - 1


LINK_ENDS = ("case_study", "member", "organisation", "actor", "mechanism", "challenge")


def record_label(record):
    """The record in the editor's words: “actor “nato””, “participation of case study “isaf”,
    actor “canada””."""
    label = record.get("model", "?") if isinstance(record, dict) else "?"
    model = importable_models().get(label.lower()) if isinstance(label, str) else None
    kind = model._meta.verbose_name if model is not None else str(label)
    fields = record.get("fields", {}) if isinstance(record, dict) else {}
    if not isinstance(fields, dict):
        return kind
    if isinstance(fields.get("slug"), str):
        return f"{kind} “{fields['slug']}”"
    ends = [
        f"{name.replace('_', ' ')} “{_key_text(fields[name])}”"
        for name in LINK_ENDS
        if name in fields
    ]
    return f"{kind} of {', '.join(ends)}" if ends else kind


def importable_models():
    """Atlas records, and nothing else (no accounts, permissions or derived tables)."""
    return {
        model._meta.label_lower: model
        for model in apps.get_models()
        if issubclass(model, TimeStampedModel) and not model._meta.abstract
    }


def is_key(value):
    """A primary key, or a natural key (a list of slugs and the like), as fixtures refer."""
    if isinstance(value, list):
        return bool(value) and all(isinstance(part, str | None) for part in value)
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_KEY


def _key_text(key):
    return " ".join(str(part) for part in key) if isinstance(key, list) else str(key)


def _missing_targets(target, keys):
    """The references among `keys` that name no record of `target`, in the editor's words
    ("no actor “gulf-commission”"); None if every one names a record."""
    manager = target._default_manager
    missing = []
    for key in keys:
        if isinstance(key, list):
            try:
                manager.get_by_natural_key(*key)
            except (target.DoesNotExist, TypeError):  # TypeError: a key of the wrong length
                missing.append(key)
        elif not manager.filter(pk=key).exists():
            missing.append(key)
    if not missing:
        return None
    names = ", ".join(f"“{_key_text(key)}”" for key in missing)
    return f"no {target._meta.verbose_name} {names} in the atlas (or earlier in the file)."


def missing_references(model, fields):
    """For a record the deserializer refused: each reference field naming no record, with what
    it names, in the editor's words. Looked up only then, as the deserializer looks every
    reference up itself."""
    problems = {}
    for name, value in fields.items():
        model_field = model._meta.get_field(name)
        if value is None or not (model_field.many_to_one or model_field.many_to_many):
            continue
        keys = value if model_field.many_to_many else [value]
        problem = _missing_targets(model_field.related_model, keys)
        if problem:
            problems[name] = problem
    return problems


def _unstorable(value):
    """Text no database stores faithfully: a null character, or a lone surrogate."""
    values = value if isinstance(value, list) else [value]
    parts = [*values, *(part for item in values if isinstance(item, list) for part in item)]
    return any(
        "\x00" in text or any("\ud800" <= character <= "\udfff" for character in text)
        for text in parts
        if isinstance(text, str)
    )


def field_problem(model, name, value):
    """What is wrong with one input value, if anything: the deserializer would otherwise crash
    on it or quietly coerce it (a list into its Python text, 1.5 into 1, true into 1)."""
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return "no such field."
    if not (model_field.concrete or model_field.many_to_many):
        return "no such field (it is a link from other records)."
    if name in BOOKKEEPING_FIELDS:
        return "set by the atlas itself; leave it out."
    if _unstorable(value):
        return "contains a null character or a lone surrogate, which cannot be stored."
    if model_field.many_to_many:
        if not isinstance(value, list) or not all(is_key(item) for item in value):
            return "expected a list of references (slugs, or lists of them)."
    elif model_field.many_to_one:
        if value is not None and not is_key(value):
            return 'expected a reference (a slug in a list, e.g. ["nato"]) or null.'
    elif isinstance(value, list | dict):
        return "expected a single value, not a list or an object."
    elif isinstance(model_field, models.BooleanField):
        if not isinstance(value, bool):
            return "expected true or false."
    elif isinstance(value, bool | float):
        return "expected text or a whole number, not true, false or a fraction."
    elif isinstance(model_field, models.CharField | models.TextField) and not isinstance(
        value, str
    ):
        return "expected text."
    elif (
        # full_clean() checks the choices of editable fields only; status is not editable.
        model_field.choices
        and value not in [choice for choice, _ in model_field.flatchoices]
        and not (model_field.blank and value in ("", None))
    ):
        return f"“{value}” is not one of the choices."
    return None

"""Importing records: the atlas's fixtures, and bulk imports from JSON (the fixture format) or CSV.

Every record is validated as an admin form would validate it. An import is all or nothing: each
record is tried in a savepoint so that the report can say, for every row, what would be created,
changed or left alone, or why it is rejected; then the whole import is rolled back if anything
was rejected or if it was a dry run. A record already there with the same content is left alone,
so importing the same file twice changes nothing."""

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, models, transaction

from cooperation.caching.versions import one_version_change
from cooperation.editorial.changes import changes_since
from cooperation.editorial.snapshots import owning_entry_model_and_pk
from cooperation.editorial.workflow import publication_refusals
from cooperation.exchange.csv import unguarded
from cooperation.exchange.first_history import write_first_versions
from cooperation.exchange.records import (
    field_problem,
    importable_models,
    is_key,
    missing_references,
    record_label,
)
from cooperation.models import Status, TimeStampedModel, remember_slug, slugs_remembered

CSV_LIST_SEPARATOR = ";"


CSV_KEY_SEPARATOR = "|"


# A record's `version` (which exports give) is not written: it says which version the file was
# made from.
EXPORTED_VERSION = "version"


class FixtureError(Exception):
    """Input that cannot be imported; the message names the file and the record."""


@dataclass
class RowResult:
    source: str
    index: int
    label: str
    outcome: str  # created, changed, unchanged or rejected
    message: str = ""

    def __str__(self):
        text = f"{self.source}, record {self.index + 1} ({self.label}): {self.outcome}"
        return f"{text}: {self.message}" if self.message else text


@dataclass
class ImportReport:
    rows: list = field(default_factory=list)
    dry_run: bool = False

    def count(self, outcome):
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def rejected(self):
        return [row for row in self.rows if row.outcome == "rejected"]

    @property
    def written(self):
        return not self.dry_run and not self.rejected

    def summary(self):
        counts = ", ".join(
            f"{self.count(outcome)} {outcome}"
            for outcome in ("created", "changed", "unchanged", "rejected")
        )
        if self.rejected:
            return f"{counts}. Nothing was written: fix the rejected records and import again."
        if self.dry_run:
            return f"{counts}. Dry run: nothing was written."
        return f"{counts}."


def read_json(text, source):
    try:
        records = json.loads(text)
    except (ValueError, RecursionError) as error:  # ValueError: also a 5,000-digit number
        raise FixtureError(f"{source}: not valid JSON: {error}") from error
    if not isinstance(records, list):
        raise FixtureError(f"{source}: expected a JSON list of records")
    return records


def _csv_value(model_field, text):
    if model_field.many_to_many:
        keys = [part.strip() for part in text.split(CSV_LIST_SEPARATOR) if part.strip()]
        return [key.split(CSV_KEY_SEPARATOR) for key in keys]
    if text == "" and model_field.null:
        return None
    if model_field.many_to_one:
        return text.split(CSV_KEY_SEPARATOR)
    if isinstance(model_field, models.BooleanField):
        return text.strip().lower() in {"1", "true", "yes"}
    return text


def read_csv(text, source, model_label):
    """CSV rows as records: a column per field, natural keys for links (several joined by ;)."""
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError) as error:
        raise FixtureError(f"{source}: unknown model “{model_label}”") from error
    reader = csv.DictReader(io.StringIO(text))
    fields = {f.name: f for f in [*model._meta.concrete_fields, *model._meta.many_to_many]}
    try:
        unknown = [name for name in reader.fieldnames or [] if name not in fields]
        if unknown:
            raise FixtureError(
                f"{source}: unknown column(s) for {model_label}: {', '.join(unknown)}"
            )
        rows = list(reader)
    except csv.Error as error:  # e.g. a cell larger than the csv module's limit
        raise FixtureError(f"{source}: not readable as CSV: {error}") from error
    for number, row in enumerate(rows, start=1):
        if None in row:  # DictReader's key for cells beyond the header
            raise FixtureError(f"{source}, record {number}: more cells than the header has")
    return [
        {
            "model": model_label,
            "fields": {
                name: _csv_value(fields[name], unguarded(value or ""))
                for name, value in row.items()
            },
        }
        for row in rows
    ]


def read_path(path, model_label=None):
    """Records from a .json fixture or a .csv file (model from `model_label` or the file name,
    e.g. casestudies.casestudy.csv)."""
    path = Path(path)
    try:
        # Bytes, not read_text: newline translation would turn a CR inside a CSV cell into LF.
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise FixtureError(f"{path}: cannot be read: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise FixtureError(f"{path}: not UTF-8 text: {error}") from error
    if path.suffix.lower() == ".csv":
        return read_csv(text, str(path), model_label or path.name.removesuffix(".csv"))
    return read_json(text, str(path))


def _check_record(record):
    if not isinstance(record, dict) or not isinstance(record.get("fields"), dict):
        raise FixtureError('expected an object with "model" and "fields"')
    label = record.get("model")
    model = importable_models().get(label.lower()) if isinstance(label, str) else None
    if model is None:
        raise FixtureError(f"“{label}” is not a kind of atlas record")
    problems = {
        name: problem
        for name, value in record["fields"].items()
        for problem in [field_problem(model, name, value)]
        if problem
    }
    if record.get("pk") is not None and not is_key(record["pk"]):
        problems["pk"] = "expected a whole number above 0, or no pk."
    if problems:
        raise ValidationError(problems)


def _deserialize(record):
    _check_record(record)
    try:
        (deserialized,) = serializers.deserialize(
            "python", [record], handle_forward_references=False
        )
    except DeserializationError as error:
        missing = missing_references(importable_models()[record["model"].lower()], record["fields"])
        if missing:
            raise ValidationError(missing) from error
        raise FixtureError(str(error)) from error
    return deserialized


def _check_rights(user, instance, existing):
    """An import by a user may only add and change what that user may, and only reviewers may
    import an entry in a state other than draft (importing must not bypass review)."""
    opts = instance._meta
    action = "change" if existing else "add"
    if not user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        raise FixtureError(f"you may not {action} {opts.verbose_name_plural}")
    status = getattr(instance, "status", Status.DRAFT)
    current = getattr(existing, "status", Status.DRAFT)
    if user.has_perm(f"{opts.app_label}.review_{opts.model_name}"):
        return
    if current != Status.DRAFT:
        raise FixtureError(
            f"this {opts.verbose_name} is {Status(current).label.lower()} in the atlas; only "
            "reviewers may change it by import (edit it in the admin instead)"
        )
    if status != Status.DRAFT:
        raise FixtureError(
            f"the file gives it the status “{status}”; only reviewers may import entries "
            "that are not drafts (give it the status “draft”, or ask a reviewer)"
        )


def _without_version(record):
    """The record without the version it was exported at, and that version (None if not given:
    a hand-made file or a fixture is not checked)."""
    fields = record.get("fields") if isinstance(record, dict) else None
    if not isinstance(fields, dict) or EXPORTED_VERSION not in fields:
        return record, None
    value = fields[EXPORTED_VERSION]
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)  # from a CSV cell
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError({EXPORTED_VERSION: "expected a whole number above 0, or none."})
    rest = {name: value for name, value in fields.items() if name != EXPORTED_VERSION}
    return {**record, "fields": rest}, value


def _check_unchanged_since_export(existing, exported_version):
    if existing is None or exported_version is None or existing.version == exported_version:
        return
    since = changes_since(type(existing), existing.pk, exported_version)
    raise FixtureError(
        f"changed since this file was made from version {exported_version} (now version "
        f"{existing.version}): {since}. Export it again and reapply your changes, so theirs "
        "are not lost."
    )


def _save(deserialized, present, user, exported_version=None, starting_point=False):
    """Create the record, or update the fields the input gives; return what happened. An
    import that is the atlas's starting point (`starting_point`: into an empty atlas, as a new
    installation's first load) writes no row history as it goes: a row per record and per link
    took half the time of the load; each record's first version is written in bulk at the end
    (cooperation.exchange.first_history)."""
    incoming = deserialized.object
    model = type(incoming)
    existing = model._default_manager.filter(pk=incoming.pk).first() if incoming.pk else None
    _check_unchanged_since_export(existing, exported_version)
    if user is not None:
        _check_rights(user, incoming, existing)
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
    if user is not None:
        target._history_user = user
    if starting_point:
        target.skip_history_when_saving = True  # django-simple-history's own switch
    if existing is None:
        target.save()
    elif changed_fields:
        target.save(update_fields=changed_fields)
    m2m_changed = False
    for name, values in deserialized.m2m_data.items():
        related = getattr(target, name)
        if existing is None:
            related.add(*values)  # a new row has no links to compare or remove
        elif set(related.values_list("pk", flat=True)) != set(values):
            related.set(values)
            m2m_changed = True
    if starting_point:
        del target.skip_history_when_saving
    if existing is None:
        remember_slug(target)
        return "created", target
    return ("changed" if changed_fields or m2m_changed else "unchanged"), target


def _problem(error):
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{'record' if name == NON_FIELD_ERRORS else name}: {' '.join(messages)}"
            for name, messages in error.message_dict.items()
        )
    return str(error)


def atlas_is_empty():
    return not any(
        model._default_manager.exists()
        for model in apps.get_models()
        if issubclass(model, TimeStampedModel) and not model._meta.abstract
    )


def import_records(batches, *, dry_run=False, user=None, progress=None):
    """Import `batches` of (source name, records), all or nothing; report every record.

    `user`, when given, limits the import to what that user may do. `progress`, when given, is
    called once per record (a progress bar's update)."""
    report = ImportReport(dry_run=dry_run)
    touched = {}  # (model, pk) of each entry the import changed: the first row that did
    starting_point = atlas_is_empty()
    first_loaded = []
    with transaction.atomic(), one_version_change(), slugs_remembered(complete=starting_point):
        for source, records in batches:
            for index, record in enumerate(records):
                try:
                    with transaction.atomic():
                        record, exported_version = _without_version(record)
                        deserialized = _deserialize(record)
                        outcome, saved = _save(
                            deserialized,
                            set(record["fields"]),
                            user,
                            exported_version,
                            starting_point=starting_point,
                        )
                    row = RowResult(source, index, record_label(record), outcome)
                    report.rows.append(row)
                    if starting_point:
                        first_loaded.append(saved)
                    entry = owning_entry_model_and_pk(saved) if outcome != "unchanged" else None
                    if entry is not None:
                        touched.setdefault(entry, row)
                except (ValidationError, FixtureError, DatabaseError) as error:
                    report.rows.append(
                        RowResult(source, index, record_label(record), "rejected", _problem(error))
                    )
                if progress is not None:
                    progress()
        report.rows += unpublishable(touched)
        if not report.written:
            transaction.set_rollback(True)
        elif first_loaded:
            write_first_versions(first_loaded, user)
    return report


def unpublishable(touched):
    """A rejected row for each published entry that the import left failing its publication
    checks (cooperation.editorial.workflow), as if a reviewer had tried to publish it so."""
    rows = []
    for (model, pk), row in touched.items():
        entry = model._default_manager.filter(pk=pk).first()
        if entry is None or not entry.is_published:
            continue
        problems = publication_refusals(entry)
        if problems:
            reasons = " ".join(problems)
            message = f"“{entry}” cannot be published as the file has it: {reasons}"
            rows.append(RowResult(row.source, row.index, row.label, "rejected", message))
    return rows


def load_fixtures(paths):
    """Load fixture files in order, all or nothing. Raises FixtureError naming the first bad
    record."""
    report = import_records([(str(path), read_path(path)) for path in paths])
    if report.rejected:
        raise FixtureError(str(report.rejected[0]).replace(": rejected: ", ": ", 1))
    return report

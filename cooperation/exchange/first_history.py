"""The row history of an import that is the atlas's starting point, written in bulk.

Such an import (cooperation.exchange.importing, into an empty atlas) saves its records without
django-simple-history's per-save rows, which were half the time of a first load. Each record
still needs its first version: an export made from it names that version, and a later import
of the file that meets a changed record names the fields changed since (changes_since) by
comparing with it. So once every record is saved, each gets that first version here, with its
tracked many-to-many links, in a few bulk inserts per model."""

from collections import defaultdict

from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_field_name


def write_first_versions(records, user=None):
    """A first historical row for each of `records` (as they stand now), and its links."""
    by_model = defaultdict(dict)
    for record in records:
        if hasattr(type(record), "history"):
            by_model[type(record)][record.pk] = record
    for model, saved in by_model.items():
        fresh = model._default_manager.in_bulk(list(saved))
        rows = model.history.bulk_history_create(list(fresh.values()), default_user=user)
        history_of = {getattr(row, model._meta.pk.attname): row for row in rows}
        for field in getattr(model.history.model, "_history_m2m_fields", []):
            _write_links(model, field, history_of)


def _write_links(model, field, history_of):
    through = getattr(model, field.name).through
    owner = get_m2m_field_name(field)
    names = [through_field.attname for through_field in through._meta.fields]
    links = through.objects.filter(**{f"{owner}__in": list(history_of)}).values_list(*names)
    owner_attname = through._meta.get_field(owner).attname
    m2m_history_model = HistoricalRecords.m2m_models[field]
    m2m_history_model.objects.bulk_create(
        m2m_history_model(
            history=history_of[values[names.index(owner_attname)]],
            **dict(zip(names, values, strict=True)),
        )
        for values in links
    )

"""Answering from a release: each release is also a small read-only SQLite database with the
atlas's own tables, built from its frozen records the first time it is asked for (on every app
server, in `RELEASES_DIR`; a missing file is simply built again). While a request is pinned to a
release (`pinned(release)`), a database router sends every read of atlas content there, so the
same pages, API views, filters and serializers answer from the frozen data, with every filter.

The file is a cache of the records in the main database, which alone are authoritative: it is
named after the release's digest, so a file can never stand for other records."""

import os
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import connections
from django.db.utils import load_backend

from cooperation.releases.snapshot import released_models

ALIAS_PREFIX = "release_"

_pinned = ContextVar("atlas_pinned_release", default=None)
_building = threading.Lock()


@dataclass(frozen=True)
class Pinned:
    release: object
    alias: str


def frozen_models():
    """The models whose reads a pinned request answers from the release, link tables included."""
    models = set(released_models())
    for model in list(models):
        models.update(field.remote_field.through for field in model._meta.many_to_many)
    return models


def pinned_release():
    """The release the current request answers from, or None for the live atlas."""
    current = _pinned.get()
    return current.release if current is not None else None


@contextmanager
def pinned(release):
    """Within it, atlas content is read from `release` (None: the live atlas)."""
    if release is None:
        yield
        return
    token = _pinned.set(Pinned(release, database_of(release)))
    try:
        yield
    finally:
        _pinned.reset(token)


class ReleaseRouter:
    """Reads of atlas content go to the pinned release's database; nothing is migrated there."""

    def __init__(self):
        self.models = None

    def db_for_read(self, model, **hints):
        current = _pinned.get()
        if current is None:
            return None
        if self.models is None:
            self.models = frozen_models()
        return current.alias if model in self.models else None

    def allow_migrate(self, db, app_label, **hints):
        return False if db.startswith(ALIAS_PREFIX) else None


def sqlite_connection(alias, name):
    """A connection of its own to the SQLite database `name`, under `alias`."""
    settings_dict = connections.configure_settings(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": name}}
    )["default"]
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)


def database_of(release):
    """The connection alias of the release's database, built if need be.

    Its connection is kept for the thread (like Django's own, one per thread) among Django's
    connections, but not in DATABASES: releases come and go with the data, not the settings."""
    alias = f"{ALIAS_PREFIX}{release.version.replace('.', '_')}_{release.digest[:12]}"
    if not hasattr(connections._connections, alias):
        path = built(release)
        setattr(connections._connections, alias, sqlite_connection(alias, f"file:{path}?mode=ro"))
    return alias


def built(release):
    directory = Path(settings.RELEASES_DIR)
    path = directory / f"{release.version}-{release.digest[:16]}.sqlite3"
    if path.exists():
        return path
    with _building:
        if path.exists():
            return path
        directory.mkdir(parents=True, exist_ok=True)
        # Built beside its final name and renamed in one step: another process never opens a
        # half-built file, and two building at once each rename a whole one.
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.unlink(missing_ok=True)
        try:
            build(release, partial)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
    return path


def build(release, path):
    alias = f"{ALIAS_PREFIX}building"
    connection = sqlite_connection(alias, str(path))
    setattr(connections._connections, alias, connection)
    try:
        with connection.schema_editor() as editor:
            editor.create_model(ContentType)
            for model in released_models():
                editor.create_model(model)
        ContentType.objects.using(alias).bulk_create(ContentType.objects.all())
        by_model = {}
        for label, pk, fields in (
            release.records.order_by("pk")
            .values_list("model", "object_id", "fields")
            .iterator(chunk_size=2000)
        ):
            by_model.setdefault(label, []).append({"model": label, "pk": pk, "fields": fields})
        for model in released_models():
            load(alias, model, by_model.get(model._meta.label_lower, []))
    finally:
        connection.close()
        delattr(connections._connections, alias)


def load(alias, model, records):
    objects, links = [], {}
    for found in serializers.deserialize("python", records):
        objects.append(found.object)
        for name, pks in (found.m2m_data or {}).items():
            links.setdefault(name, []).extend((found.object.pk, pk) for pk in pks)
    model._base_manager.using(alias).bulk_create(objects, batch_size=500)
    for name, pairs in links.items():
        field = model._meta.get_field(name)
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        through._base_manager.using(alias).bulk_create(
            [through(**{f"{source}_id": a, f"{target}_id": b}) for a, b in pairs], batch_size=500
        )

"""Caching public pages and API reads for anonymous readers, invalidated by any change to what
they may see.

Two version tokens key the cache. The public one changes with every save, delete or
many-to-many change that touches a row the public can see, before or after the change; the other
changes with every change, drafts included, and keys what editors share (their facet counts).
So an editor's work on a draft leaves the public cache warm, and a publication, an edit of a
published entry or an unpublication retires it. Tokens change in the same transaction as the
content: once a change is committed no reader is served the old page (and until then, readers
see the old token with the old content). The token is read before the content it keys, so
nothing older than the token is ever stored under it. Only anonymous GET requests are cached:
whoever may see drafts never gets, or fills, the public cache. API reads are cached by
cooperation.api.read_cache.PublicReadCacheMixin, after DRF's throttles, with the keys made here."""

import dataclasses
import hashlib
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)

from cooperation.editorial.snapshots import owning_entry_keys
from cooperation.models import ContentChange, ContentVersion

PUBLIC_VERSION_ROW = 1

# A change of more entries than this is logged as a change of everything (ContentChange): a
# reader re-reads everything rather than thousands of entries one by one.
MOST_ENTRIES_LOGGED = 200

# The change log keeps about this many rows: enough for a reader that was busy for a while.
CHANGES_KEPT = 5_000


DRAFTS_VERSION_ROW = 2


def content_version(drafts=False):
    """The current token. Every request reads it, a cached page too, so it is one plain
    statement: as a queryset, building it took the worker twice as long as the database."""
    row = DRAFTS_VERSION_ROW if drafts else PUBLIC_VERSION_ROW
    database = connections[ContentVersion.objects.db]
    quote = database.ops.quote_name
    table = quote(ContentVersion._meta.db_table)
    token = quote(ContentVersion._meta.get_field("token").column)
    key = quote(ContentVersion._meta.pk.column)
    with database.cursor() as cursor:
        cursor.execute(f"SELECT {token} FROM {table} WHERE {key} = %s", [row])  # noqa: S608
        found = cursor.fetchone()
    return (found and found[0]) or "initial"


def versioned_key(kind, *parts, drafts=False):
    """A cache key under the current content version: any change the public could see retires
    it, or with `drafts`, for what includes drafts, any change at all."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"atlas:{kind}:{content_version(drafts)}:{digest}"


def public_cache_seconds():
    """How long a public page or API read may be cached; 0 turns caching off."""
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 600)


def bump_content_version(public=True, entries=None):
    """Retire what is cached for editors and, unless the change was to drafts only, for the
    public too, logging which entries changed ((model label, pk) pairs; None: it cannot be told
    entry by entry) for what keeps its own copy of the public content."""
    for row in (DRAFTS_VERSION_ROW, PUBLIC_VERSION_ROW) if public else (DRAFTS_VERSION_ROW,):
        token = uuid.uuid4().hex
        if not ContentVersion.objects.filter(pk=row).update(token=token):
            ContentVersion.objects.update_or_create(pk=row, defaults={"token": token})
    if public:
        log_changes(entries)


def log_changes(entries):
    entries = None if entries is None or len(entries) > MOST_ENTRIES_LOGGED else sorted(entries)
    rows = [ContentChange(entry_type=label, entry_id=pk) for label, pk in entries or ()]
    logged = [row.pk for row in ContentChange.objects.bulk_create(rows or [ContentChange()])]
    if any(pk is not None and pk % 100 == 0 for pk in logged):  # now and then, not every time
        ContentChange.objects.filter(pk__lte=logged[-1] - CHANGES_KEPT).delete()


@dataclass
class _Batch:
    changed: bool = False
    public: bool = False
    entries: set | None = dataclasses.field(default_factory=set)  # None: not known entry by entry


_batch = ContextVar("atlas_content_batch", default=None)


@contextmanager
def one_version_change():
    """Within it, changes only note what they retire; at its end the tokens change once for all
    of them. A bulk import of thousands of records so costs two updates, not thousands (and,
    once one change touched what the public sees, no more look-ups of whether the next did).
    Used inside the transaction of the changes, so the tokens change with the content, and not
    at all when that transaction is to be rolled back (a dry run, a rejected import)."""
    batch = _Batch()
    reset = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(reset)
    rolled_back = connection.in_atomic_block and transaction.get_rollback()
    if batch.changed and not rolled_back:
        bump_content_version(public=batch.public, entries=batch.entries)


def retire(is_public, entries):
    """Retire what a change to `entries` ((model label, pk) pairs; None: not known) makes stale:
    `is_public()` says whether the public could see it."""
    batch = _batch.get()
    if batch is None:
        bump_content_version(public=is_public(), entries=entries)
    else:
        batch.changed = True
        batch.public = batch.public or is_public()
        if entries is None or batch.entries is None:
            batch.entries = None
        elif len(batch.entries) <= MOST_ENTRIES_LOGGED:  # past it, the number no longer matters
            batch.entries.update(entries)


def changed_entries(record):
    """The entries a change to `record` changes: those it is a claim of, or itself."""
    return owning_entry_keys(record) or {(record._meta.label_lower, record.pk)}


def public_cache_retired_by_batch():
    batch = _batch.get()
    return batch is not None and batch.public


def shown_publicly(instance):
    """Whether the stored row is one the public can see (see TimeStampedModel.public_rows)."""
    if instance.public_rows is None:
        return True
    if instance.pk is None:
        return False
    manager = type(instance)._base_manager
    return manager.filter(instance.public_rows, pk=instance.pk).exists()


def note_public_before_change(sender, instance, raw=False, **kwargs):
    if not public_cache_retired_by_batch():
        # Fixtures load rows before the ones they point to: assume the public sees them.
        instance._shown_publicly_before_change = raw or shown_publicly(instance)


def content_saved(sender, instance, **kwargs):
    before = getattr(instance, "_shown_publicly_before_change", True)
    retire(lambda: before or shown_publicly(instance), changed_entries(instance))


def content_deleted(sender, instance, **kwargs):
    before = getattr(instance, "_shown_publicly_before_change", True)
    retire(lambda: before, changed_entries(instance))


def m2m_content_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action.startswith("post_"):
        entries = changed_entries(instance)
        if reverse:  # changed from the other side: the entries declaring the links changed too
            label = model._meta.label_lower
            # Cleared from that side: which of them lost a link is no longer known.
            entries = entries | {(label, pk) for pk in pk_set} if pk_set is not None else None
        retire(lambda: shown_publicly(instance), entries)


def connect_content_signals(models):
    """Retire what is cached whenever a record of `models` (atlas records, each app its own),
    or one of the many-to-many links they declare, changes."""
    for model in models:
        label = model._meta.label_lower
        pre_save.connect(note_public_before_change, model, dispatch_uid=f"atlas-saving-{label}")
        pre_delete.connect(note_public_before_change, model, dispatch_uid=f"atlas-deleting-{label}")
        post_save.connect(content_saved, model, dispatch_uid=f"atlas-saved-{label}")
        post_delete.connect(content_deleted, model, dispatch_uid=f"atlas-deleted-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            uid = f"atlas-links-{through._meta.label_lower}"
            m2m_changed.connect(m2m_content_changed, through, dispatch_uid=uid)

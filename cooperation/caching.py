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
cooperation.api_support.PublicReadCacheMixin, after DRF's throttles, with the keys made here."""

import hashlib
import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import (
    m2m_changed,
    post_delete,
    post_save,
    pre_delete,
    pre_save,
)

from cooperation.models import ContentVersion
from cooperation.publishing import TimeStampedModel

PUBLIC_VERSION_ROW = 1
DRAFTS_VERSION_ROW = 2


def content_version(drafts=False):
    row = DRAFTS_VERSION_ROW if drafts else PUBLIC_VERSION_ROW
    token = ContentVersion.objects.filter(pk=row).values_list("token", flat=True).first()
    return token or "initial"


def versioned_key(kind, *parts, drafts=False):
    """A cache key under the current content version: any change the public could see retires
    it, or with `drafts`, for what includes drafts, any change at all."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"atlas:{kind}:{content_version(drafts)}:{digest}"


def public_cache_seconds():
    """How long a public page or API read may be cached; 0 turns caching off."""
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 600)


def bump_content_version(public=True):
    """Retire what is cached for editors and, unless the change was to drafts only, for the
    public too."""
    for row in (DRAFTS_VERSION_ROW, PUBLIC_VERSION_ROW) if public else (DRAFTS_VERSION_ROW,):
        token = uuid.uuid4().hex
        if not ContentVersion.objects.filter(pk=row).update(token=token):
            ContentVersion.objects.update_or_create(pk=row, defaults={"token": token})


@dataclass
class _Batch:
    changed: bool = False
    public: bool = False


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
        bump_content_version(public=batch.public)


def retire(is_public):
    """Retire what a change makes stale: `is_public()` says whether the public could see it."""
    batch = _batch.get()
    if batch is None:
        bump_content_version(public=is_public())
    else:
        batch.changed = True
        batch.public = batch.public or is_public()


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
    if issubclass(sender, TimeStampedModel) and not public_cache_retired_by_batch():
        # Fixtures load rows before the ones they point to: assume the public sees them.
        instance._shown_publicly_before_change = raw or shown_publicly(instance)


def content_saved(sender, instance, **kwargs):
    if issubclass(sender, TimeStampedModel):
        before = getattr(instance, "_shown_publicly_before_change", True)
        retire(lambda: before or shown_publicly(instance))


def content_deleted(sender, instance, **kwargs):
    if issubclass(sender, TimeStampedModel):
        retire(lambda: getattr(instance, "_shown_publicly_before_change", True))


def m2m_content_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, TimeStampedModel):
        retire(lambda: shown_publicly(instance))


def connect_signals():
    pre_save.connect(note_public_before_change, dispatch_uid="atlas-content-saving")
    pre_delete.connect(note_public_before_change, dispatch_uid="atlas-content-deleting")
    post_save.connect(content_saved, dispatch_uid="atlas-content-saved")
    post_delete.connect(content_deleted, dispatch_uid="atlas-content-deleted")
    m2m_changed.connect(m2m_content_changed, dispatch_uid="atlas-content-links")


class PublicPageCacheMiddleware:
    """Serves anonymous GET requests for site pages from the cache, keyed by content version."""

    excluded_prefixes = ("/admin/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = public_cache_seconds()

    def __call__(self, request):
        if not self.timeout or not self.cacheable_request(request):
            return self.get_response(request)
        key = self.key(request)
        response = cache.get(key)
        if response is not None:
            response["X-Atlas-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self.cacheable_response(response):
            cache.set(key, response, self.timeout)
        response["X-Atlas-Cache"] = "miss"
        return response

    def cacheable_request(self, request):
        return (
            request.method == "GET"
            and not request.user.is_authenticated
            and not request.path.startswith(self.excluded_prefixes)
        )

    @staticmethod
    def cacheable_response(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in cache_control
            and "no-store" not in cache_control
        )

    @staticmethod
    def key(request):
        return versioned_key("page", request.get_host(), request.get_full_path())

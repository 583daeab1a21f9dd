"""Caching public pages and API reads for anonymous readers, invalidated by any change to the
content.

Every save, delete or many-to-many change of an atlas record replaces the content version token,
in the same transaction; cached pages are keyed by that token, so once a publish or an edit is
committed no reader is served the old page (and until then, readers see the old token with the
old content). The token is read before the content it keys, so nothing older than the token is
ever stored under it. Only anonymous GET requests are cached: whoever may see drafts never gets,
or fills, the public cache. API reads are cached by cooperation.api_support.PublicReadCacheMixin,
after DRF's throttles, with the keys made here."""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

from cooperation.models import ContentVersion
from cooperation.publishing import TimeStampedModel

VERSION_ROW = 1


def content_version():
    token = ContentVersion.objects.filter(pk=VERSION_ROW).values_list("token", flat=True).first()
    return token or "initial"


def versioned_key(kind, *parts):
    """A cache key under the current content version: any content change retires it."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"atlas:{kind}:{content_version()}:{digest}"


def public_cache_seconds():
    """How long a public page or API read may be cached; 0 turns caching off."""
    return getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", 600)


def bump_content_version():
    token = uuid.uuid4().hex
    if not ContentVersion.objects.filter(pk=VERSION_ROW).update(token=token):
        ContentVersion.objects.update_or_create(pk=VERSION_ROW, defaults={"token": token})


def content_changed(sender, **kwargs):
    if issubclass(sender, TimeStampedModel):
        bump_content_version()


def m2m_content_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, TimeStampedModel):
        bump_content_version()


def connect_signals():
    post_save.connect(content_changed, dispatch_uid="atlas-content-saved")
    post_delete.connect(content_changed, dispatch_uid="atlas-content-deleted")
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

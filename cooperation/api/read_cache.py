"""The public read cache: anonymous reads answered from Django's cache under the content version."""

import datetime
import functools
import json

from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.http import parse_http_date_safe
from rest_framework import renderers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings

from cooperation.api.conditional import is_not_modified
from cooperation.caching.pages import only_parameters
from cooperation.caching.versions import public_cache_seconds, versioned_key

CACHED_HEADERS = ("ETag", "Last-Modified")
PAGINATION_PARAMETERS = (
    "page_query_param",
    "page_size_query_param",
    "cursor_query_param",
    "limit_query_param",
    "offset_query_param",
)


def cacheable_read(response):
    """A complete, public answer: DRF data (not a stream, e.g. CSV) that sets no cookie."""
    cache_control = response.get("Cache-Control", "")
    return (
        isinstance(response, Response)
        and response.status_code == status.HTTP_200_OK
        and response.data is not None
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def cached_entry(response):
    """The data as plain JSON: DRF's hyperlinks hold the model instances they were made from,
    which would be pickled along with them."""
    headers = {name: response[name] for name in CACHED_HEADERS if response.has_header(name)}
    return {"json": renderers.JSONRenderer().render(response.data), "headers": headers}


def response_from(entry, request):
    """The cached read in the negotiated format, or 304 if the client's copy is the one cached
    (only for what carries an ETag, as uncached reads do)."""
    headers = entry["headers"]
    etag = headers.get("ETag")
    if etag is not None:
        seconds = parse_http_date_safe(headers.get("Last-Modified") or "")
        last_modified = (
            None if seconds is None else datetime.datetime.fromtimestamp(seconds, datetime.UTC)
        )
        if is_not_modified(request, etag, last_modified):
            response = HttpResponseNotModified()
            for name, value in headers.items():
                response[name] = value
            return response
    if (
        type(request.accepted_renderer) is renderers.JSONRenderer
        and request.accepted_media_type == renderers.JSONRenderer.media_type
    ):
        # Exactly what the renderer would write from the data again
        return HttpResponse(
            entry["json"], content_type=request.accepted_media_type, headers=headers
        )
    return Response(json.loads(entry["json"]), headers=headers)


class PublicReadCacheMixin:
    """Anonymous reads (GET, HEAD) answered from Django's cache, keyed by the content version
    (so any content change retires every entry), the absolute URL with its query string, and the
    negotiated format. `X-Atlas-Cache` says hit or miss.

    It starts after DRF's `initial()`: authentication, permissions and throttles come first (a
    throttled client still gets 429), and a signed-in user, who may see drafts, neither reads nor
    fills the cache. Whatever GET handler the view has (list, retrieve, get) is wrapped.

    It keeps the serialised data, as JSON, and its validators: a JSON reader gets those bytes as
    they are, any other format is rendered from them (the browsable API embeds each reader's own
    CSRF token, so its pages are never shared)."""

    query_parameters = ()  # what the view reads besides its filters, pagination and format

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        method = request.method.lower()
        if method in ("get", "head"):
            # As on site pages (cooperation.caching.pages): a parameter the view does not read
            # is dropped, so `?zz=<random>` is the same answer from the same cache entry and
            # the same ETag, not a fresh one per request. The query string goes too: the cache
            # key and the answer's own links (next, previous) are built from it.
            known = only_parameters(request.query_params, sorted(self.read_parameters()))
            request._request.GET = known
            request._request.META["QUERY_STRING"] = known.urlencode()
        handler = getattr(self, method, None)
        if method in ("get", "head") and handler and self.public_read_cacheable(request):
            setattr(self, method, functools.partial(self.cached_read, handler))

    def read_parameters(self):
        """Every query parameter the view reads: its filter set's, its paginator's, the format
        and what it declares in `query_parameters`."""
        names = {api_settings.URL_FORMAT_OVERRIDE, *self.query_parameters}
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None:
            names.update(filterset_class.base_filters)
        paginator = getattr(self, "paginator", None)
        for attribute in PAGINATION_PARAMETERS:
            names.add(getattr(paginator, attribute, None))
        names.discard(None)
        return names

    def public_read_cacheable(self, request):
        return bool(public_cache_seconds()) and not request.user.is_authenticated

    def public_read_key(self, request):
        """Read before the content, so nothing older than the version is stored under it."""
        return versioned_key("api", request.build_absolute_uri(), request.accepted_renderer.format)

    def cached_read(self, read, request, *args, **kwargs):
        key = self.public_read_key(request)
        entry = cache.get(key)
        if entry is not None:
            response = response_from(entry, request)
            response["X-Atlas-Cache"] = "hit"
            return response
        response = read(request, *args, **kwargs)
        if cacheable_read(response):
            cache.set(key, cached_entry(response), public_cache_seconds())
        response["X-Atlas-Cache"] = "miss"
        return response

"""The public page cache: anonymous GET requests for site pages served from the cache, keyed by the
content version and by what the page reads of the query string.

A view says which query parameters it reads (`query_parameters` on its class); the others are
dropped from the request before the view sees it, and the cache key lists the ones kept in a
fixed order. So `?zz=<random>` or a reordered query is the same page, served from the same entry,
rather than a fresh render that lets anyone empty the cache. A view that declares nothing keeps
its whole query string, in a fixed order."""

from django.core.cache import cache
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

from cooperation.caching.versions import public_cache_seconds, versioned_key


def declared_parameters(request):
    """The query parameters the view of `request` reads, or None if it does not say."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    view_class = getattr(match.func, "view_class", match.func)
    return getattr(view_class, "query_parameters", None)


def only_parameters(query, names):
    """`query` (a QueryDict) with only the parameters in `names`, unchangeable as request.GET."""
    known = QueryDict(mutable=True)
    for name in names:
        if name in query:
            known.setlist(name, query.getlist(name))
    known._mutable = False
    return known


def known_query(request):
    """The request's query string with only the parameters its view reads."""
    names = declared_parameters(request)
    return request.GET if names is None else only_parameters(request.GET, names)


class PublicPageCacheMiddleware:
    """Serves anonymous GET requests for site pages from the cache, keyed by content version.
    Marks every answer to a signed-in user private: it may show what only they may see."""

    excluded_prefixes = ("/admin/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = public_cache_seconds()

    def __call__(self, request):
        site_page = request.method == "GET" and not request.path.startswith(self.excluded_prefixes)
        if site_page:
            request.GET = known_query(request)
        if not self.timeout or not site_page or request.user.is_authenticated:
            return self.personal(request, self.get_response(request))
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

    @staticmethod
    def personal(request, response):
        # After the view: an API token's user is known only then (DRF sets it on the request).
        if request.user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            patch_cache_control(response, private=True)
        return response

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
        query = sorted((name, request.GET.getlist(name)) for name in request.GET)
        encoded = QueryDict(mutable=True)
        for name, values in query:
            encoded.setlist(name, values)
        return versioned_key("page", request.get_host(), f"{request.path}?{encoded.urlencode()}")

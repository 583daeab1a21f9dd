"""The public page cache: anonymous GET requests for site pages served from the cache, keyed by the
content version."""

from django.core.cache import cache

from cooperation.caching.versions import public_cache_seconds, versioned_key


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

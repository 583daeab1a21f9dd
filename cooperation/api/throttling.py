"""Rate limits, read from the settings at request time so that tests and deployments can change
them."""

from django.core.cache import caches
from rest_framework import throttling
from rest_framework.settings import api_settings


class RuntimeRateMixin:
    """DRF binds throttle rates when it is imported; read them per request instead, so the one
    setting (and a test overriding it) decides. Counts go to the "throttle" cache, which every
    worker shares (see CACHES in the settings)."""

    @property
    def cache(self):
        return caches["throttle"]

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or None  # "": no limit


class AnonRateThrottle(RuntimeRateMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(RuntimeRateMixin, throttling.UserRateThrottle):
    """Signed-in users only. DRF's version also counts anonymous clients by address, as the anon
    rate already does: a second count would cost every anonymous request two more cache round
    trips and hold it to a limit other than the one set for it."""

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None  # DRF lets a request through when its throttle has no key
        return super().get_cache_key(request, view)


class ScopedRateThrottle(RuntimeRateMixin, throttling.ScopedRateThrottle):
    pass


class SitePageThrottle(RuntimeRateMixin, throttling.SimpleRateThrottle):
    """Site pages, per client address whoever is signed in (a page served from the cache
    counts too: it is the same work for the client that asks for it)."""

    scope = "site"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

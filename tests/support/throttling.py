"""One app-server worker's view of the rate limits, for tests that run several in turn."""

from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from cooperation.api.throttling import AnonRateThrottle, SitePageThrottle


def requests_allowed(count, address="203.0.113.9"):
    """How many of `count` requests from `address` this process lets through, per throttle."""
    allowed = {"site": 0, "anon": 0}
    for _ in range(count):
        request = RequestFactory().get("/", REMOTE_ADDR=address)
        request.user = AnonymousUser()
        allowed["site"] += SitePageThrottle().allow_request(request, None)
        allowed["anon"] += AnonRateThrottle().allow_request(request, None)
    return allowed

import pytest


@pytest.fixture
def no_rate_limits(settings):
    """The API's rate limits off: tests that send hundreds of requests as one client would be
    throttled otherwise (the limits have tests of their own, test_rate_limits.py)."""
    rates = dict.fromkeys(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

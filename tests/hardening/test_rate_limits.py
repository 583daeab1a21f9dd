"""Rate limits: site pages per client address, with Retry-After; and every limit counted once
for all the app server's workers, with or without Redis."""

import pytest
from django.urls import reverse

from tests.support.settings import settings_in_subprocess

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_rate(settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "site": "3/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}


def test_site_pages_are_limited_per_address(client, atlas, site_rate):
    answers = [client.get(reverse("home")).status_code for _ in range(3)]
    answers.append(client.get(reverse("casestudies:list")).status_code)  # cached or not
    assert answers == [200, 200, 200, 429]
    refused = client.get("/case-studies/?zz=1")
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Too many requests" in refused.content.decode()
    assert refused["Cache-Control"] == "no-store"
    other_address = client.get(reverse("home"), REMOTE_ADDR="198.51.100.7")
    assert other_address.status_code == 200


def test_the_api_keeps_its_own_limits(client, atlas, site_rate):
    for _ in range(3):
        client.get(reverse("home"))
    assert client.get("/api/v1/regions/").status_code == 200


def test_an_empty_rate_turns_the_site_limit_off(client, atlas, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "site": ""}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    assert {client.get(reverse("home")).status_code for _ in range(5)} == {200}


@pytest.mark.slow
def test_workers_without_redis_share_one_count(tmp_path):
    """Two workers in turn (two processes, as gunicorn runs them) against a limit of 60 a
    minute: together they let 60 requests through, not 60 each."""
    environment = {
        "REDIS_URL": "",
        "THROTTLE_CACHE_DIR": str(tmp_path),
        "API_THROTTLE_ANON": "60/minute",
        "SITE_THROTTLE": "60/minute",
    }
    count = "__import__('tests.support.throttling', fromlist=['_']).requests_allowed(75)"
    first = settings_in_subprocess(environment, count)
    second = settings_in_subprocess(environment, count)
    assert first == {"site": 60, "anon": 60}
    assert second == {"site": 0, "anon": 0}

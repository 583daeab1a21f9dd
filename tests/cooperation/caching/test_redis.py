"""The production cache: Redis through cooperation.caching.redis, which shares one redis-py client
per connection pool between requests and threads. Against the local Redis server (REDIS_TEST_URL,
a database of its own that each test empties); skipped when none answers, unless REQUIRE_REDIS
is set, as in CI."""

import os
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.core.cache import cache

from casestudies.models import CaseStudy
from tests.support.api import client_for
from tests.support.small_atlas import build_small_atlas

# A database of each test process's own (pytest-xdist's workers are gw0, gw1, ...): each test
# empties it.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw"))
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", f"redis://127.0.0.1:6379/{14 - WORKER}")


@pytest.fixture
def redis_cache(settings):
    server = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        server.ping()
    except redis.ConnectionError:
        if os.environ.get("REQUIRE_REDIS"):
            raise
        pytest.skip(f"no Redis at {REDIS_TEST_URL}")
    server.flushdb()
    settings.CACHES = {
        name: {"BACKEND": "cooperation.caching.redis.RedisCache", "LOCATION": REDIS_TEST_URL}
        for name in ("default", "throttle")
    }
    yield server
    server.flushdb()


@pytest.mark.usefixtures("empty_database")
def test_reads_are_cached_in_redis_and_an_edit_is_served_at_once(db, redis_cache):
    build_small_atlas()
    client = client_for()
    for path in ("/case-studies/isaf/", "/api/v1/case-studies/isaf/"):
        assert client.get(path)["X-Atlas-Cache"] == "miss"
        assert client.get(path)["X-Atlas-Cache"] == "hit"
    assert redis_cache.dbsize() > 0

    isaf = CaseStudy.objects.get(slug="isaf")
    isaf.title = "ISAF, renamed"
    isaf.save()
    page = client.get("/case-studies/isaf/")
    assert page["X-Atlas-Cache"] == "miss"
    assert "ISAF, renamed" in page.content.decode()
    assert client.get("/api/v1/case-studies/isaf/").json()["title"] == "ISAF, renamed"


def test_threads_sharing_the_client_each_get_their_own_values(redis_cache):
    def round_trip(worker):
        for step in range(200):
            key = f"worker-{worker}-{step}"
            cache.set(key, {"worker": worker, "step": step})
            assert cache.get(key) == {"worker": worker, "step": step}
        return worker

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert sorted(pool.map(round_trip, range(8))) == list(range(8))
    assert cache.get("worker-7-199") == {"worker": 7, "step": 199}

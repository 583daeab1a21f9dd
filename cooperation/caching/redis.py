"""Django's Redis cache backend, with one redis-py client per connection pool.

Django's client wraps its pool in a new `redis.Redis` for every operation, which costs about
0.2 ms of CPU each time, and an anonymous API read makes three operations. redis-py clients are
safe to share between threads, so one per pool is kept and reused."""

from django.core.cache.backends import redis


class SharedClientRedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        if index not in self._clients:
            self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return self._clients[index]


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

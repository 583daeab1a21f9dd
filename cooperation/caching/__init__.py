"""Caching: the content version that keys every cached answer (versions.py), the public page
cache (pages.py) and the production cache backend (redis.py). The API's read cache is
cooperation.api.read_cache."""

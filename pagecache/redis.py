"""Django's Redis cache, with one client per connection pool instead of one per operation.

Django builds a new ``redis.Redis`` object for every cache call, and each one fills a table of
about two hundred response callbacks: on a page served from the cache, or rendered with the
site-wide values it keeps there, that was the largest cost after the database. A client is
thread-safe and holds no connection of its own (it borrows from the pool per command), so one
per pool is enough.

It also skips Django's check that each key would suit memcached: a request reads its tag times
in one MGET of forty-odd keys, and scanning each for memcached's forbidden characters cost more
than the round trip's own work; Redis takes any key.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            # Django's private helpers, which django-stubs does not declare.
            client = self._clients[index] = self._client(  # type: ignore[attr-defined]
                connection_pool=self._get_connection_pool(write)  # type: ignore[attr-defined]
            )
        return client


class ReusingRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def validate_key(self, key: str) -> None:
        """Redis accepts any key: no memcached portability warnings to compute."""

"""Dependency tags: what a render read, and when each thing it read last changed.

A stored entry is fresh only if none of its tags was bumped after its render started; nothing
is deleted to invalidate. The rules and the Redis eviction policy: docs/page-cache.md.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction

T = TypeVar("T")
V = TypeVar("V")

TAG_PREFIX = "pagecache:tag:"
FLOOR_KEY = "pagecache:floor"
MEMO_PREFIX = "pagecache:memo:"
FRAGMENT_PREFIX = "pagecache:fragment:"
FRAGMENT_BASE_TAG = "model:wagtailcore.Site"
#: Tags every cached response depends on, whatever it shows.
SITE_WIDE_TAGS = ("urls",)


def clock_skew() -> float:
    """Seconds of disagreement allowed between the clocks of the hosts sharing the cache."""
    return float(getattr(settings, "PAGECACHE_CLOCK_SKEW", 1.0))


@dataclass
class Collector:
    """What one response read while it rendered, and whether it may be stored."""

    started_at: float = field(default_factory=time.time)
    tags: set[str] = field(default_factory=lambda: set(SITE_WIDE_TAGS))
    cacheable: bool = False
    refused: bool = False
    expires_at: float | None = None


_collector: ContextVar[Collector | None] = ContextVar("pagecache_collector", default=None)


def current() -> Collector | None:
    return _collector.get()


def collecting() -> bool:
    """Whether the response being rendered may be stored (so its dependencies matter)."""
    return _collector.get() is not None


def ensure_floor() -> None:
    """Store the floor if it is missing; call it before taking a render's start time."""
    snapshot = _snapshot.get()
    if snapshot is not None and snapshot.floor is not None:
        # This request read it: it exists. Should the cache be emptied meanwhile, what is
        # built now keeps the floor it read, and no longer matches the new one.
        return
    cache.add(FLOOR_KEY, time.time(), timeout=None)


def start() -> Any:
    """Begin collecting for a response; returns a token for ``stop``."""
    ensure_floor()
    return _collector.set(Collector())


def stop(token: Any) -> None:
    _collector.reset(token)


def record(*tags: str) -> None:
    """Note that the response being rendered shows what ``tags`` name."""
    collector = _collector.get()
    if collector is not None:
        collector.tags.update(tags)


def page_tags(page_ids: Iterable[int]) -> list[str]:
    return [f"page:{pk}" for pk in page_ids]


def type_tag(model: type[models.Model]) -> str:
    return f"type:{model._meta.label}"


def model_tag(model: type[models.Model]) -> str:
    return f"model:{model._meta.label}"


def mark_cacheable() -> None:
    """Allow the response being rendered to be stored (pages, feeds, the sitemap)."""
    collector = _collector.get()
    if collector is not None:
        collector.cacheable = True


def mark_uncacheable() -> None:
    """Forbid storing the response being rendered, whatever else allowed it."""
    collector = _collector.get()
    if collector is not None:
        collector.refused = True


def valid_until(when: datetime | float | None) -> None:
    """The response shows something that changes by the clock at ``when`` (an event ends,
    a vote opens): it must not be served after that instant."""
    collector = _collector.get()
    if collector is None or when is None:
        return
    instant = when.timestamp() if isinstance(when, datetime) else float(when)
    if collector.expires_at is None or instant < collector.expires_at:
        collector.expires_at = instant


def tag_key(tag: str) -> str:
    return f"{TAG_PREFIX}{tag}"


def _set_now(tags: Iterable[str]) -> None:
    now = time.time()
    cache.set_many({tag_key(tag): now for tag in tags}, timeout=None)
    snapshot = _snapshot.get()
    if snapshot is not None:
        # The request that changed something sees its own change, like any later request.
        snapshot.times.update(dict.fromkeys(tags, now))


def bump(*tags: str) -> None:
    """Mark ``tags`` as changed, now and again once the current transaction commits.

    The bump after commit is the one that guarantees freshness (see the module docstring). The
    immediate one costs a cache write and makes a change visible to code that never commits,
    such as tests running inside a transaction.
    """
    if not tags:
        return
    _set_now(tags)
    transaction.on_commit(lambda: _set_now(tags))


@dataclass
class TagSnapshot:
    """The tag times one request has read, so that each tag costs the request one read at
    most, and all those it is expected to need are read together, in one round trip."""

    floor: float | None = None
    #: The time each tag read so far was last bumped; None for a tag never bumped.
    times: dict[str, float | None] = field(default_factory=dict)


_snapshot: ContextVar[TagSnapshot | None] = ContextVar("pagecache_tag_snapshot", default=None)


def begin_tag_snapshot(expected: Iterable[str] = ()) -> Any:
    """Read tag times once for the rest of the request (until ``end_tag_snapshot``), starting
    with ``expected`` (what the same URL read last time) in one round trip; returns a token.

    Reusing a time read earlier in the same request is as fresh as reading it at that
    moment: the response as a whole reflects the state at its start, which is what the
    page cache already stores it under (its ``started_at``, taken before any of these reads).
    """
    token = _snapshot.set(TagSnapshot())
    expected = list(expected)
    if expected:
        tag_times(expected)
    return token


def end_tag_snapshot(token: Any) -> frozenset[str]:
    """Stop reusing tag times; returns the tags this request read (the next one's hint)."""
    snapshot = _snapshot.get()
    _snapshot.reset(token)
    return frozenset(snapshot.times) if snapshot is not None else frozenset()


def _read_tag_times(tags: Iterable[str]) -> tuple[float | None, dict[str, float | None]]:
    """The floor and the raw time of each tag (None if never bumped), in one round trip."""
    keys = {tag_key(tag): tag for tag in tags}
    found = cache.get_many([FLOOR_KEY, *keys])
    return found.pop(FLOOR_KEY, None), {tag: found.get(key) for key, tag in keys.items()}


def tag_times(tags: Iterable[str]) -> tuple[float | None, dict[str, float]]:
    """The floor and the time each of ``tags`` was last bumped (the floor if never).

    Within a request (``begin_tag_snapshot``) a tag is read from the cache once at most.
    """
    tags = set(tags)
    snapshot = _snapshot.get()
    if snapshot is None:
        floor, raw = _read_tag_times(tags)
    else:
        missing = [tag for tag in tags if tag not in snapshot.times]
        if missing or snapshot.floor is None:
            snapshot.floor, found = _read_tag_times(missing)
            snapshot.times.update(found)
        floor, raw = snapshot.floor, snapshot.times
    if floor is None:
        return None, {}
    times = {}
    for tag in tags:
        value = raw[tag]
        times[tag] = floor if value is None else value
    return floor, times


def is_fresh(started_at: float, tags: Iterable[str], floor_then: float | None = None) -> bool:
    """True if none of ``tags`` was bumped since ``started_at`` (and, with ``floor_then``, the
    floor is still the one seen then: the shared cache was not emptied since)."""
    floor, times = tag_times(tags)
    if floor is None:
        # The tag times were lost (first use, or a flushed cache): trust nothing built before.
        ensure_floor()
        return False
    if floor_then is not None and floor != floor_then:
        return False
    deadline = started_at - clock_skew()
    return floor < deadline and all(value < deadline for value in times.values())


@dataclass(frozen=True)
class _MemoCopy:
    """A memo value as this process keeps it: pickled, so that each use gets its own copy,
    exactly as from the shared cache, without the round trip."""

    started_at: float
    expires_at: float
    floor: float | None
    data: bytes


def memo(
    key: str,
    tags: Iterable[str],
    compute: Callable[[], T],
    timeout: int | Callable[[T], float | None] | None = None,
) -> T:
    """``compute()``, cached under ``key`` until one of ``tags`` is bumped.

    The tags are recorded for the response being rendered, whether the value came from the
    cache or not, so that a page built from cached settings still depends on them.
    ``timeout`` may be a function of the value (seconds, or None for the default), for values
    that change by the clock. This process keeps a copy of the values it used last, checked
    against the same tag times (read once per request) as the shared entry would be.
    """
    tags = list(tags)
    record(*tags)
    full_key = f"{MEMO_PREFIX}{key}"
    copy = _local_memos.get(full_key)
    if (
        copy is not None
        and copy.expires_at > time.time()
        and is_fresh(copy.started_at, tags, copy.floor)
    ):
        return pickle.loads(copy.data)  # noqa: S301 - pickled by this process
    entry = cache.get(full_key)
    if isinstance(entry, tuple) and len(entry) == 4 and is_fresh(entry[0], tags, entry[3]):
        started_at, value, expires_at, floor = entry
        _local_memos.put(full_key, _MemoCopy(started_at, expires_at, floor, pickle.dumps(value)))
        return value
    ensure_floor()
    floor = current_floor()
    started_at = time.time()
    value = compute()
    seconds = timeout(value) if callable(timeout) else timeout
    if seconds is None:
        seconds = int(getattr(settings, "PAGECACHE_TIMEOUT", 86_400))
    if seconds > 0:
        expires_at = time.time() + seconds
        cache.set(full_key, (started_at, value, expires_at, floor), timeout=seconds)
        _local_memos.put(full_key, _MemoCopy(started_at, expires_at, floor, pickle.dumps(value)))
    return value


def fragments_enabled() -> bool:
    return bool(getattr(settings, "PAGECACHE_FRAGMENTS", True))


@dataclass(frozen=True)
class Fragment:
    """A rendered piece of a page, the time its render started and what it read."""

    started_at: float
    tags: frozenset[str]
    expires_at: float | None
    html: str
    #: The floor when it was built: a copy kept by a process is dropped once the shared cache
    #: is emptied, whatever the clocks say.
    floor: float | None = None


class LocalCopies(Generic[V]):
    """What this process used last (fragments, memo values, kept routes), least recently used
    dropped first, so that reusing one costs no cache call but its tag times, read once per
    request. Safe because an entry never changes once built and is only used after the same
    freshness check against the shared tag times."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[str, V] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> V | None:
        with self.lock:
            return self.entries.get(key)

    def get_many(self, keys: Iterable[str]) -> dict[str, V]:
        with self.lock:
            return {key: self.entries[key] for key in keys if key in self.entries}

    def put(self, key: str, entry: V) -> None:
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


# Enough for the cards of a few listings as well as headers and footers (a few MB).
_local_fragments: LocalCopies[Fragment] = LocalCopies(size=4096)
_local_memos: LocalCopies[_MemoCopy] = LocalCopies(size=512)


def _replay(fragment: Fragment) -> None:
    """The response showing ``fragment`` depends on what the fragment read."""
    record(*fragment.tags)
    valid_until(fragment.expires_at)


def current_floor() -> float | None:
    """The floor, as this request read it already when it did (one round trip less)."""
    snapshot = _snapshot.get()
    if snapshot is not None and snapshot.floor is not None:
        return snapshot.floor
    return cache.get(FLOOR_KEY)


def _build(render: Callable[[], str], floor: float | None) -> tuple[Fragment, bool]:
    """Render a piece with a collector of its own; returns it and whether it may be kept."""
    # Every URL in the fragment depends on the sites' hosts and roots as well as on pages.
    token = _collector.set(Collector(tags={*SITE_WIDE_TAGS, FRAGMENT_BASE_TAG}))
    try:
        html = render()
        inner = _collector.get()
    finally:
        _collector.reset(token)
    assert inner is not None  # noqa: S101 - set just above
    built = Fragment(inner.started_at, frozenset(inner.tags), inner.expires_at, html, floor)
    _replay(built)
    if inner.refused:
        mark_uncacheable()
        return built, False
    return built, True


def _seconds_to_keep(built: Fragment) -> int:
    seconds = float(getattr(settings, "PAGECACHE_TIMEOUT", 86_400))
    if built.expires_at is not None:
        seconds = min(seconds, built.expires_at - time.time())
    return int(seconds)


def fragment(key: str, render: Callable[[], str]) -> str:
    """``render()``, a piece of HTML, kept in the cache until something it read changes.

    The render runs with a collector of its own, so that the tags of everything it loads or
    queries (pages, images, settings, listings by type, the clock of events) are known even
    when the page cache is off; an entry is served only while none of them was bumped since its
    render started and before the earliest ``valid_until`` it met, exactly like a whole page.
    The response that shows it records the same tags. Nothing in ``render`` may depend on the
    request beyond what ``key`` holds, and whatever it uses that was loaded earlier in the
    request (kept on the request, like site settings) must record its tags again when reused.
    """
    return fragments([(key, render)])[0]


def fragments(
    pieces: Sequence[tuple[str, Callable[[], str]]],
    prepare: Callable[[list[int]], None] | None = None,
) -> list[str]:
    """Several ``fragment`` calls at the cost of one: the pieces of a listing (its cards).

    The stored pieces are fetched in one cache call (``get_many``), their tag times in one
    more, and the missing ones stored in one (``set_many``). ``prepare`` receives the
    positions of the pieces about to be rendered, before any is, so that what they show can
    be loaded for all of them at once (the renditions of their images), and only for them.
    """
    if not fragments_enabled():
        if prepare is not None:
            prepare(list(range(len(pieces))))
        return [render() for _, render in pieces]
    keys = [f"{FRAGMENT_PREFIX}{key}" for key, _ in pieces]
    found: dict[str, Fragment] = {}
    token = None if _snapshot.get() is not None else begin_tag_snapshot()
    try:
        # This process's copies first, the shared cache for the rest, each checked against
        # tag times read together.
        for lookup in (_local_fragments.get_many, cache.get_many):
            wanted = [key for key in keys if key not in found]
            if not wanted:
                break
            entries = {
                key: entry
                for key, entry in lookup(wanted).items()
                if isinstance(entry, Fragment)
                and (entry.expires_at is None or entry.expires_at > time.time())
            }
            if not entries:
                continue
            tag_times({tag for entry in entries.values() for tag in entry.tags})
            found.update(
                (key, entry)
                for key, entry in entries.items()
                if is_fresh(entry.started_at, entry.tags, entry.floor)
            )
        missing = [position for position, key in enumerate(keys) if key not in found]
        floor = None
        if missing:
            ensure_floor()
            floor = current_floor()
    finally:
        if token is not None:
            end_tag_snapshot(token)
    for key, entry in found.items():
        _local_fragments.put(key, entry)
        _replay(entry)
    if missing and prepare is not None:
        prepare(missing)
    html = [found[key].html if key in found else "" for key in keys]
    kept: dict[int, dict[str, Fragment]] = {}  # by how long they may be kept
    for position in missing:
        built, storable = _build(pieces[position][1], floor)
        html[position] = built.html
        seconds = _seconds_to_keep(built)
        if storable and seconds >= 1:
            kept.setdefault(seconds, {})[keys[position]] = built
    for seconds, batch in kept.items():
        cache.set_many(batch, timeout=seconds)
        for key, built in batch.items():
            _local_fragments.put(key, built)
    return html

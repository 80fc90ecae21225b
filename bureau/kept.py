"""A value kept in this process's memory (``CACHES``) under a key naming everything it was
computed from, so no process can serve a stale one: the callers say what that is
(``archive.selectors.kept_while_unchanged``: the archive's head; the dashboard's stored sums:
the refresh that wrote the rows)."""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

Kept = TypeVar("Kept")


def kept(name: str, parts: tuple, compute: Callable[[], Kept], *, seconds: int) -> Kept:
    """``compute()``, or the value kept under ``name`` and ``parts`` (hashed: any values, in a
    key memcached would take too) for ``seconds`` at most."""
    key = f"kept:{name}:{hashlib.sha256(repr(parts).encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value

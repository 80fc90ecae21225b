"""Configuration rows (reply windows, the escalation and near-duplicate rules) read once within a
stretch of bulk work, instead of once per case.

Outside ``config_rows_cached`` nothing is cached: every read goes to the database, so an admin's
change counts from the next case in every process. Inside it (one thread's work, such as the demo
seeding a year of demands inside one transaction) each row is read once; the work must change no
configuration itself, and ``config_rows_changed`` (called by the one service that saves those rows)
forgets what was read, should it do so anyway. Cached rows are shared: callers read them only."""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_rows: ContextVar[dict[Hashable, object] | None] = ContextVar("config_rows_cached", default=None)


@contextmanager
def config_rows_cached() -> Iterator[None]:
    """Within the block, ``config_row`` reads each row once (this thread or task only)."""
    token = _rows.set({})
    try:
        yield
    finally:
        _rows.reset(token)


def config_row(key: Hashable, read: Callable[[], T]) -> T:
    """``read()``, or inside ``config_rows_cached`` the value it gave for ``key`` before."""
    rows = _rows.get()
    if rows is None:
        return read()
    if key not in rows:
        rows[key] = read()
    return rows[key]  # type: ignore[return-value]  # stored by the same key's read


def config_rows_changed() -> None:
    """A configuration row was saved: forget what was read."""
    rows = _rows.get()
    if rows is not None:
        rows.clear()

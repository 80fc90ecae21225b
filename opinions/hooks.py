"""What higher layers may hear about intake without opinions importing them.

``on_posts_created(hook)`` registers a callable that is given the ids of the posts intake created,
after the transaction that stored them commits (never inside it, so a failing hook cannot lose a
post). The alerts app registers itself from its ``AppConfig.ready``; opinions knows nothing about
it. A hook that raises is logged and the next one still runs. No Django signals: the list is
explicit.

The batches of one transaction (a seeded year, an import in chunks) reach the hooks once, together:
the first batch opens this thread's pending batch and registers its commit callback; later batches
join it while that callback is still waiting on the connection. A rolled-back transaction drops its
callback, and with it the batch: the next transaction starts a new one, so ids of posts that were
never stored do not ride along with a later commit."""

import logging
import threading
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

PostsCreatedHook = Callable[[list[int]], None]
_posts_created_hooks: list[PostsCreatedHook] = []
_pending = threading.local()


def on_posts_created(hook: PostsCreatedHook) -> None:
    """Register ``hook(post_ids)``; registering the same callable twice keeps one."""
    if hook not in _posts_created_hooks:
        _posts_created_hooks.append(hook)


class _Batch:
    """The ids of one transaction's posts, handed to the hooks by its commit callback."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def __call__(self) -> None:
        ids, self.ids = self.ids, []
        if ids:
            _run_hooks(ids)


def _run_hooks(ids: list[int]) -> None:
    for hook in list(_posts_created_hooks):
        try:
            hook(ids)
        except Exception:  # noqa: BLE001 - a listener's failure never reaches intake
            logger.exception("opinions.hooks.posts_created_failed hook=%s", getattr(hook, "__name__", hook))


def _waiting(batch: "_Batch | None") -> bool:
    """Whether the batch's commit callback is still registered on this thread's connection."""
    if batch is None:
        return False
    return any(entry[1] is batch for entry in transaction.get_connection().run_on_commit)


def posts_created(post_ids: list[int] | None) -> None:
    """Called by intake inside its transaction: the hooks run once it commits."""
    if not post_ids or not _posts_created_hooks:
        return
    batch = getattr(_pending, "batch", None)
    if not _waiting(batch):
        batch = _pending.batch = _Batch()
        batch.ids.extend(post_ids)
        transaction.on_commit(batch)  # outside a transaction this runs at once
        return
    batch.ids.extend(post_ids)

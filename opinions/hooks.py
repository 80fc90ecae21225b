"""What higher layers may hear about intake without opinions importing them.

``on_posts_created(hook)`` registers a callable that is given the ids of the posts intake created,
after the transaction that stored them commits (never inside it, so a failing hook cannot lose a
post). The alerts app registers itself from its ``AppConfig.ready``; opinions knows nothing about
it. A hook that raises is logged and the next one still runs. No Django signals: the list is
explicit.

The batches of one transaction (a seeded year, an import in chunks) reach the hooks once, together:
each batch adds its ids to this thread's pending list and registers a commit callback; the first
callback to run takes the whole list, the later ones find it empty. Ids from a rolled-back savepoint
may ride along with the next commit: a hook must accept ids of posts that do not exist."""

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


def _take_pending() -> list[int]:
    ids: list[int] = getattr(_pending, "ids", [])
    _pending.ids = []
    return ids


def _run_hooks() -> None:
    ids = _take_pending()
    if not ids:
        return
    for hook in list(_posts_created_hooks):
        try:
            hook(ids)
        except Exception:  # noqa: BLE001 - a listener's failure never reaches intake
            logger.exception("opinions.hooks.posts_created_failed hook=%s", getattr(hook, "__name__", hook))


def posts_created(post_ids: list[int] | None) -> None:
    """Called by intake inside its transaction: the hooks run once it commits."""
    if not post_ids or not _posts_created_hooks:
        return
    _pending.ids = [*getattr(_pending, "ids", []), *post_ids]
    transaction.on_commit(_run_hooks)

"""What higher layers may hear about intake without opinions importing them.

``on_posts_created(hook)`` registers a callable that is given the ids of the posts an intake batch
created, after that batch commits (never inside it, so a failing hook cannot lose a post). The
alerts app registers itself from its ``AppConfig.ready``; opinions knows nothing about it. A hook
that raises is logged and the next one still runs. No Django signals: the list is explicit."""

import logging
from collections.abc import Callable

from django.db import transaction

logger = logging.getLogger(__name__)

PostsCreatedHook = Callable[[list[int]], None]
_posts_created_hooks: list[PostsCreatedHook] = []


def on_posts_created(hook: PostsCreatedHook) -> None:
    """Register ``hook(post_ids)``; registering the same callable twice keeps one."""
    if hook not in _posts_created_hooks:
        _posts_created_hooks.append(hook)


def posts_created(post_ids: list[int]) -> None:
    """Called by intake inside its transaction: the hooks run once it commits."""
    if not post_ids or not _posts_created_hooks:
        return
    ids = list(post_ids)

    def run() -> None:
        for hook in list(_posts_created_hooks):
            try:
                hook(ids)
            except Exception:  # noqa: BLE001 - a listener's failure never reaches intake
                logger.exception("opinions.hooks.posts_created_failed hook=%s", getattr(hook, "__name__", hook))

    transaction.on_commit(run)

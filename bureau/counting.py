"""Counts that stop at a cap: what a to-do badge needs, in one statement, at any table size.

A to-do list's count tells a person how much waits; past a hundred the exact figure changes
nothing they do, while counting it means reading every waiting row (at a backlog of 300,000 open
demands, on every page, for the menu badge). So each list is counted up to ``TODO_COUNT_CAP`` + 1
rows, through its own index, and shown as "99+" beyond the cap (``capped_count`` in
``bureau.templatetags.count_tags``). The assessed figures (overdue, on time…) are never capped:
they are the dashboard's and the annual summary's, counted exactly there."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

TODO_COUNT_CAP = 99


def counts_up_to(querysets: Mapping[str, QuerySet[Any]], *, cap: int = TODO_COUNT_CAP) -> dict[str, int]:
    """Each queryset's row count, or ``cap + 1`` when it has more than ``cap`` rows, all in one
    statement: ``SELECT (SELECT COUNT(*) FROM (… LIMIT cap + 1)), …``. Empty querysets (``none()``)
    count 0 without being sent."""
    counts: dict[str, int] = {}
    parts: list[str] = []
    params: list[Any] = []
    keys: list[str] = []
    for key, queryset in querysets.items():
        limited = queryset.order_by().values("pk")[: cap + 1]
        try:
            sql, sub_params = limited.query.sql_with_params()
        except EmptyResultSet:  # a queryset that can match nothing (``none()``, ``pk__in=[]``)
            counts[key] = 0
            continue
        alias = connection.ops.quote_name(f"rows_{len(keys)}")
        # The ORM's own SQL for the queryset, its values passed as parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS {alias})")  # noqa: S608
        params.extend(sub_params)
        keys.append(key)
    if parts:
        with connection.cursor() as cursor:
            cursor.execute("SELECT " + ", ".join(parts), params)
            counts.update(zip(keys, cursor.fetchone(), strict=True))
    return {key: counts[key] for key in querysets}

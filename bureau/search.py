"""The one text search of the product: every list's text box finds its rows through ``search_filter``.

Each searchable model declares ``SEARCH_FIELDS`` (the fields a person searches) and carries two
derived columns, filled by ``search_fill`` wherever its rows are written:

- ``search_text``: the fields folded as screening folds them (``bureau.normalise.fold``:
  traditional → simplified, full-width → half-width, lower case, punctuation and spaces deleted),
  one field per line, so a word never matches across the end of one field and the start of the next;
- ``search_grams``: every character and every two-character pair (bigram) of each folded field,
  sorted, without repeats.

A search word is folded the same way, so 賭場 finds 赌场, ＡＢＣ finds abc and 噪-音 finds 噪音.
On PostgreSQL a word of three or more characters is ``search_text LIKE '%word%'``, served by a GIN
trigram index (``pg_trgm``, ``gin_trgm_ops``); a trigram index cannot serve one or two Chinese
characters (fewer than three characters make no trigram), so a word of one or two characters is
``search_grams @> ARRAY[word]``, served by a GIN index over the array: that is exact, because a
field contains the word if and only if the word is one of its characters or bigrams. The indexes
are created by each app's migration, on PostgreSQL only. On SQLite both cases are ``LIKE`` on
``search_text``: unindexed, and the same rows.

A list's order (newest first, by deadline) has its own index, and for a word found in few rows the
planner may walk that index looking for matches, through the whole table when there are none. So
``search_filter`` first collects the matching ids through the search index, at most ``ID_CAP`` of
them, and filters the list by that id set: the order is the list's own, over the matches only. A
word found in more rows than that is common: the list filters by the word's condition itself, and
the planner, which knows the word is common (the column statistics), walks the list's order index
and finds a page after reading a few rows per match."""

import json
from typing import Any, TypeVar

from django.contrib.postgres.fields import ArrayField
from django.db import connections, models
from django.db.models import Q, QuerySet

from bureau.normalise import fold

# A word found in at most this many rows is searched through its ids (see the module docstring).
ID_CAP = 300
# Longer words are cut: what a person types in a search box, not a document.
MAX_WORD = 100

M = TypeVar("M", bound=models.Model)


class SearchGramsField(ArrayField):
    """``text[]`` on PostgreSQL; elsewhere a text column holding the list as JSON, which no query
    reads (SQLite searches ``search_text``), kept so that rows look the same on both."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("base_field", models.TextField())
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def db_type(self, connection: Any) -> str:
        return str(super().db_type(connection)) if connection.vendor == "postgresql" else "text"

    def cast_db_type(self, connection: Any) -> str:
        return str(super().cast_db_type(connection)) if connection.vendor == "postgresql" else "text"

    def get_placeholder(self, value: Any, compiler: Any, connection: Any) -> str:
        return super().get_placeholder(value, compiler, connection) if connection.vendor == "postgresql" else "%s"

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if connection.vendor == "postgresql":
            return super().get_db_prep_value(value, connection, prepared)
        return None if value is None else json.dumps(list(value), ensure_ascii=False)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value


def search_text_field() -> models.TextField:
    return models.TextField("search text", blank=True, default="", editable=False)


def search_document(*texts: str) -> tuple[str, list[str]]:
    """``(search_text, search_grams)`` of the given field values."""
    folded = [part for part in (fold(text or "") for text in texts) if part]
    grams: set[str] = set()
    for part in folded:
        grams.update(part)
        grams.update(part[i : i + 2] for i in range(len(part) - 1))
    return "\n".join(folded), sorted(grams)


def search_fill(instance: M) -> M:
    """Set the instance's search columns from its ``SEARCH_FIELDS`` (not saved); returns it."""
    fields = instance.SEARCH_FIELDS  # type: ignore[attr-defined]
    instance.search_text, instance.search_grams = search_document(  # type: ignore[attr-defined]
        *(str(getattr(instance, name) or "") for name in fields)
    )
    return instance


SEARCH_COLUMNS = ["search_text", "search_grams"]


def search_word(value: str | None) -> str:
    """The folded form of what a person typed; empty when nothing searchable is left."""
    return fold((value or "").strip()[:MAX_WORD])


def _match(word: str, *, vendor: str) -> Q:
    if vendor != "postgresql" or len(word) >= 3:
        return Q(search_text__contains=word)
    return Q(search_grams__contains=[word])


def search_filter(queryset: QuerySet[M], value: str | None) -> QuerySet[M]:
    """The rows of ``queryset`` whose searchable fields contain ``value`` (folded both sides).

    An empty word (or one of punctuation only) filters nothing. Runs one query, the id probe,
    when the word is not empty (on PostgreSQL); the returned queryset keeps its order."""
    word = search_word(value)
    if not word:
        return queryset
    vendor = connections[queryset.db].vendor
    match = _match(word, vendor=vendor)
    if vendor != "postgresql":
        return queryset.filter(match)
    ids = list(search_probe(queryset, word))
    if len(ids) <= ID_CAP:
        return queryset.filter(pk__in=ids)
    return queryset.filter(match)


def search_probe(queryset: QuerySet[M], word: str) -> QuerySet[M]:
    """The ids of at most ``ID_CAP + 1`` rows of the queryset's model matching the folded ``word``,
    in no order, read through the search index (PostgreSQL): what ``search_filter`` runs first."""
    match = _match(word, vendor=connections[queryset.db].vendor)
    probe = queryset.model._base_manager.using(queryset.db).filter(match).order_by()
    return probe.values_list("pk", flat=True)[: ID_CAP + 1]

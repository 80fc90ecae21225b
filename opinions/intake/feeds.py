"""Parsing RSS 0.9x–2.0 and Atom with feedparser into ``IncomingItem``s.

Documents that declare entities are refused before feedparser sees them (entity-expansion
attacks such as "billion laughs"); a feed is accepted when feedparser finds entries, even if
it had to fall back to its lenient parser."""

import calendar
import json
import re
from datetime import UTC, datetime

import feedparser
from django.utils.translation import gettext as _

from opinions.intake.fetch import FetchError
from opinions.intake.items import IncomingItem, html_to_text

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


class FeedError(FetchError):
    pass


def _aware(struct) -> datetime | None:
    if not struct:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(struct), tz=UTC)
    except (OverflowError, ValueError, TypeError):
        return None


def _entry_body(entry) -> str:
    contents = entry.get("content") or []
    if contents:
        return "\n\n".join(part.get("value", "") for part in contents)
    return entry.get("summary", "") or entry.get("description", "")


def _count(value) -> int | None:
    try:
        number = int(str(value).strip().replace(",", ""))
    except (TypeError, ValueError):
        return None
    return number if number >= 0 else None


def _raw(entry) -> dict:
    """The entry's fields as the feed gave them, JSON-safe (parsed times as their ISO text)."""
    raw = {}
    for key, value in entry.items():
        if key.endswith("_parsed"):
            continue  # feedparser's struct_time copy of a field kept as text beside it
        raw[key] = value
    return json.loads(json.dumps(raw, ensure_ascii=False, default=str))


def parse_feed(data: bytes) -> list[IncomingItem]:
    """The items of a feed document. Raises FeedError when it is not a usable feed."""
    head = data[:65536]
    if _DOCTYPE.search(head) and _ENTITY_DECLARATION.search(data):
        raise FeedError(_("The feed declares XML entities, which are refused."))
    # No sanitising: every field is reduced to plain text and only ever shown escaped.
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.get("entries"):
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            raise FeedError(_("The feed is not valid XML: %(problem)s") % {"problem": str(problem)[:200]})
        raise FeedError(_("The document is not an RSS or Atom feed."))
    items = []
    for entry in parsed.get("entries") or []:
        title = html_to_text(entry.get("title", ""))[:500]
        body = html_to_text(_entry_body(entry))
        link = (entry.get("link") or "")[:1000]
        if link and not link.lower().startswith(("http://", "https://")):
            link = ""
        if not title and not body:
            continue
        items.append(
            IncomingItem(
                title=title or body[:60],
                body=body,
                link=link,
                external_id=(entry.get("id") or "")[:500],
                author=html_to_text(entry.get("author", ""))[:200],
                posted_at=_aware(entry.get("published_parsed") or entry.get("updated_parsed")),
                # Spread the feed states: slash:comments (replies), media:statistics views.
                replies=_count(entry.get("slash_comments")),
                views=_count((entry.get("media_statistics") or {}).get("views")),
                raw=_raw(entry),
            )
        )
    if not items and parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        raise FeedError(_("The feed is not valid XML: %(problem)s") % {"problem": str(problem)[:200]})
    return items

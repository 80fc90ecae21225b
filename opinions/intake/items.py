"""The one shape every source of posts is reduced to before it is stored."""

import hashlib
import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from typing import Any


@dataclass
class IncomingItem:
    title: str
    body: str = ""
    link: str = ""
    external_id: str = ""
    author: str = ""
    posted_at: datetime | None = None
    # Spread where the source gives it; None where it does not.
    replies: int | None = None
    reposts: int | None = None
    views: int | None = None
    # The item as the source gave it (a feed entry's fields), kept in the evidence snapshot.
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def has_spread(self) -> bool:
        return self.replies is not None or self.reposts is not None or self.views is not None

    @property
    def dedupe_key(self) -> str:
        """Stable identity within a channel: the item's id/guid, else its link, else its text."""
        if self.external_id:
            basis = "id:" + self.external_id
        elif self.link:
            basis = "link:" + self.link
        else:
            basis = "text:" + self.title + "\x00" + self.body
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()

    @property
    def content_hash(self) -> str:
        """Changes when the item is edited."""
        basis = "\x00".join([self.title, self.body, self.link, self.author])
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()


_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table"}
_SKIPPED_TAGS = {"script", "style", "head", "title", "noscript", "template"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class _TextExtractor(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self._skipping:
            self.parts.append(data)


def html_to_text(value: str) -> str:
    """Plain text from an HTML fragment: tags dropped, entities decoded, whitespace tidied.
    The result is only ever shown escaped."""
    if not value:
        return ""
    if "<" in value or "&" in value:
        extractor = _TextExtractor()
        extractor.feed(value)
        extractor.close()
        value = html.unescape("".join(extractor.parts))
    return clean_text(value)


def clean_text(value: str) -> str:
    value = _CONTROL.sub("", value.replace("\r\n", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in value.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()

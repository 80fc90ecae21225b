"""The proofreading check: a text against the lists, with the acknowledgements already recorded.

The matcher (``bureau.matching``, the one screening uses: folded text, traditional and full-width
forms found, positions in the original text) is built once per process and rebuilt only when a
list changed: each check asks for the lists' version (one small aggregate) and compares it with
the cached one, as screening does. A check of an item is then two queries (the version and the
item's acknowledgements) and one scan per field. Nothing here writes."""

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Max, Sum
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from bureau.matching import Hit, Matcher, leftmost_longest
from bureau.normalise import fold
from proofing.models import ProofAcknowledgement, ProofList, ProofTerm

Kind = ProofList.Kind


@dataclass(frozen=True)
class Entry:
    """One term as the matcher sees it. A *shield* looks for the correct form when it contains
    the wrong one (旅游局 in 文化和旅游局): a wrong form inside its own correct form is no hit."""

    term_id: int
    kind: str
    wrong: str
    correct: str
    note: str
    shield: bool = False

    @property
    def keyword(self) -> str:
        return self.correct if self.shield else self.wrong

    @property
    def group(self) -> tuple[int, bool]:
        return (self.term_id, self.shield)


ProofMatcher = Matcher[Entry]

_lock = threading.Lock()
_cache: dict[str, Any] = {"version": None, "matcher": None}


def _lists_version() -> tuple[Any, ...]:
    summary = ProofList.objects.aggregate(
        count=Count("pk"), latest=Max("updated_at"), revisions=Sum("revision"), last=Max("pk")
    )
    return summary["count"], summary["latest"], summary["revisions"], summary["last"]


def build_matcher() -> ProofMatcher:
    entries: list[Entry] = []
    terms = ProofTerm.objects.filter(proof_list__is_active=True).values_list(
        "pk", "proof_list__kind", "wrong", "correct", "note"
    )
    for pk, kind, wrong, correct, note in terms:
        if not fold(wrong):
            continue
        entries.append(Entry(pk, kind, wrong, correct, note))
        if correct and fold(wrong) in fold(correct):
            entries.append(Entry(pk, kind, wrong, correct, note, shield=True))
    return Matcher(entries)


def proof_matcher() -> ProofMatcher:
    """The current matcher; rebuilt only if a list was added, removed or edited since the last build."""
    version = _lists_version()
    with _lock:
        if _cache["matcher"] is None or _cache["version"] != version:
            _cache["matcher"] = build_matcher()
            _cache["version"] = version
        return _cache["matcher"]


@dataclass(frozen=True)
class Text:
    """One field of an item that goes out: its name (stored on acknowledgements), label and text."""

    name: str
    label: str
    text: str


@dataclass(frozen=True)
class ProofHit:
    field: str
    label: str
    term_id: int
    kind: str
    wrong: str
    correct: str
    note: str
    start: int
    end: int
    written: str
    occurrence: int  # 1 for the first time this term is written so in this field, 2 for the next …
    acknowledgement: ProofAcknowledgement | None = None

    @property
    def key(self) -> str:
        """Names the hit in the acknowledge form (what was written comes last: it may hold a |)."""
        return f"{self.field}|{self.term_id}|{self.occurrence}|{self.written}"

    @property
    def kind_label(self) -> str:
        return str(Kind(self.kind).label)

    @property
    def hint(self) -> str:
        """What to do about it, in one sentence."""
        if self.kind == Kind.WRONG_FORM:
            if self.correct:
                return _("Write “%(correct)s”.") % {"correct": self.correct}
            return _("Check how it is written.")
        if self.kind == Kind.OUTDATED:
            if self.correct:
                return _("Replace it with “%(correct)s”.") % {"correct": self.correct}
            return _("Reword it: this phrasing is not to be used.")
        return _("A sensitive term: reword it, or acknowledge it if it must stay.")


def parse_key(key: str) -> tuple[str, int, int, str] | None:
    parts = key.split("|", 3)
    if len(parts) != 4 or not parts[1].isdigit() or not parts[2].isdigit():
        return None
    return parts[0], int(parts[1]), int(parts[2]), parts[3]


@dataclass
class Proof:
    """The check of one item: every hit, each with its acknowledgement if one was recorded."""

    texts: Sequence[Text]
    hits: list[ProofHit] = field(default_factory=list)

    @property
    def unresolved(self) -> list[ProofHit]:
        return [hit for hit in self.hits if hit.acknowledgement is None]

    @property
    def acknowledged(self) -> list[ProofHit]:
        return [hit for hit in self.hits if hit.acknowledgement is not None]

    def hit(self, key: str) -> ProofHit | None:
        return next((hit for hit in self.hits if hit.key == key), None)

    def fields(self) -> list[dict[str, Any]]:
        """For the panel: each field that has hits, its text cut into plain and highlighted pieces
        (hits of two lists on one span are one highlight listing both)."""
        shown = []
        for text in self.texts:
            hits = [hit for hit in self.hits if hit.field == text.name]
            if not hits:
                continue
            pieces: list[dict[str, Any]] = []
            position = 0
            for hit in hits:  # in order of position
                if pieces and pieces[-1]["hits"] and hit.start < pieces[-1]["end"]:
                    last = pieces[-1]
                    last["end"] = max(last["end"], hit.end)
                    last["text"] = text.text[last["start"] : last["end"]]
                    last["hits"].append(hit)
                    position = last["end"]
                    continue
                if hit.start > position:
                    pieces.append({"text": text.text[position : hit.start], "hits": []})
                pieces.append({"text": hit.written, "start": hit.start, "end": hit.end, "hits": [hit]})
                position = hit.end
            if position < len(text.text):
                pieces.append({"text": text.text[position:], "hits": []})
            for piece in pieces:
                piece["open"] = any(hit.acknowledgement is None for hit in piece["hits"])
                piece["corrections"] = list(dict.fromkeys(hit.correct for hit in piece["hits"] if hit.correct))
            shown.append({"name": text.name, "label": text.label, "pieces": pieces})
        return shown

    def refusal(self) -> str | None:
        """Why the item cannot be approved yet, naming every unresolved hit; None when it can."""
        open_hits = self.unresolved
        if not open_hits:
            return None
        listed = "；".join(
            _("“%(written)s” in %(field)s (%(hint)s)") % {"written": hit.written, "field": hit.label, "hint": hit.hint}
            for hit in open_hits
        )
        return ngettext(
            "Proofreading: %(count)d hit is neither fixed nor acknowledged: %(hits)s. "
            "Fix the text or acknowledge it first.",
            "Proofreading: %(count)d hits are neither fixed nor acknowledged: %(hits)s. "
            "Fix the text or acknowledge each first.",
            len(open_hits),
        ) % {"count": len(open_hits), "hits": listed}


def _acknowledgements(subject: models.Model | None) -> dict[tuple[str, int | None, str, int], ProofAcknowledgement]:
    if subject is None or subject.pk is None:
        return {}
    rows = ProofAcknowledgement.objects.filter(
        content_type=ContentType.objects.get_for_model(subject), object_id=subject.pk
    ).select_related("by")
    return {(row.field, row.term_id, row.written, row.occurrence): row for row in rows}


def proof_read(*, subject: models.Model | None, texts: Sequence[Text], matcher: ProofMatcher | None = None) -> Proof:
    """Check the texts of ``subject`` (a publicity post, a demand's reply …; None for a text not
    saved yet) against the active lists, with the acknowledgements recorded for it."""
    matcher = matcher or proof_matcher()
    proof = Proof(texts=texts)
    found: list[tuple[Text, Hit[Entry]]] = []
    for text in texts:
        hits = matcher.scan(text.text)
        shields = [hit for hit in hits if hit.term.shield]
        unshielded = [
            hit
            for hit in hits
            if not hit.term.shield
            and not any(
                shield.term.term_id == hit.term.term_id and shield.start <= hit.start and hit.end <= shield.end
                for shield in shields
            )
        ]
        # One place in the text is one hit: 旅游局 inside 文广旅游局 is the longer one only.
        found.extend((text, hit) for hit in leftmost_longest(unshielded))
    if not found:
        return proof
    acknowledged = _acknowledgements(subject)
    counted: dict[tuple[str, int, str], int] = {}
    for text, hit in found:
        entry = hit.term
        seen = (text.name, entry.term_id, hit.text)
        counted[seen] = occurrence = counted.get(seen, 0) + 1
        proof.hits.append(
            ProofHit(
                field=text.name,
                label=text.label,
                term_id=entry.term_id,
                kind=entry.kind,
                wrong=entry.wrong,
                correct=entry.correct,
                note=entry.note,
                start=hit.start,
                end=hit.end,
                written=hit.text,
                occurrence=occurrence,
                acknowledgement=acknowledged.get((text.name, entry.term_id, hit.text, occurrence)),
            )
        )
    return proof

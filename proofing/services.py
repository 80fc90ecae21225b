"""Changes of the proofreading lists and the acknowledgements of hits, each archived.

The rule, written once (the feature apps call these from their own services, after their own
permission check and with the item locked):
- submitting an item (a publicity draft, a demand's reply) is **warned, not blocked**: the page
  shows the hits before and after, and the author may fix the text or acknowledge a hit;
- approving it (a leader's approval of a post, the review of a reply) is **refused** while any hit
  is neither fixed (the text changed so the hit is gone) nor acknowledged: ``proof_require_clear``."""

from collections.abc import Mapping, Sequence
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from archive.services import archive_record
from bureau import clock
from bureau.models import Person
from bureau.selectors import acting_person
from bureau.types import AnyUser
from proofing.models import ProofAcknowledgement, ProofList, ProofTerm
from proofing.selectors import Proof, ProofHit, Text, proof_read


def proof_require_clear(*, subject: models.Model, texts: Sequence[Text]) -> Proof:
    """The check before approval: a ValidationError naming every hit still open, else the proof."""
    proof = proof_read(subject=subject, texts=texts)
    refusal = proof.refusal()
    if refusal:
        raise ValidationError(refusal, code="proofreading")
    return proof


@transaction.atomic
def proof_acknowledge(
    *,
    actor: AnyUser,
    subject: models.Model,
    texts: Sequence[Text],
    reasons: Mapping[str, str],
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> list[ProofAcknowledgement]:
    """Record that hits stay as written, and why: ``reasons`` maps each hit's key to its reason
    (the panel's rows, submitted together). All or none: a ValidationError keyed by the hit's key
    names each row refused (no reason, or the hit is gone), and nothing is recorded. The caller has
    checked that ``actor`` may (its app's policy) and holds ``subject`` locked. Acknowledging a hit
    twice records it once."""
    now = now or clock.now()
    person = acting_person(actor)
    if not reasons:
        raise ValidationError(_("Say why the hit stays as written."))
    proof = proof_read(subject=subject, texts=texts)
    errors: dict[str, list[str]] = {}
    taken = []
    for key, reason in reasons.items():
        hit = proof.hit(key)
        if not reason.strip():
            errors[key] = [_("Say why the hit stays as written.")]
        elif hit is None:
            errors[key] = [_("That hit is no longer in the text: it was fixed or the text changed.")]
        else:
            taken.append((hit, reason.strip()))
    if errors:
        raise ValidationError(errors)
    return [_acknowledge(actor, person, subject, hit, reason, request, now) for hit, reason in taken]


def _acknowledge(
    actor: AnyUser,
    person: Person,
    subject: models.Model,
    hit: ProofHit,
    reason: str,
    request: HttpRequest | None,
    now: datetime,
) -> ProofAcknowledgement:
    if hit.acknowledgement is not None:
        return hit.acknowledgement
    acknowledgement = ProofAcknowledgement.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        field=hit.field,
        term_id=hit.term_id,
        wrong=hit.wrong,
        written=hit.written,
        occurrence=hit.occurrence,
        reason=reason,
        by=person,
        at=now,
    )
    archive_record(
        action="proofing.proofacknowledgement.created",
        actor=actor,
        target=subject,
        summary=(
            _("%(written)s (%(field)s): %(reason)s") % {"written": hit.written, "field": hit.label, "reason": reason}
        )[:250],
        after={
            "acknowledgement": acknowledgement.pk,
            "field": hit.field,
            "term": hit.term_id,
            "kind": hit.kind,
            "looked_for": hit.wrong,
            "correct": hit.correct,
            "written": hit.written,
            "occurrence": hit.occurrence,
            "reason": reason,
        },
        request=request,
        now=now,
    )
    return acknowledgement


@transaction.atomic
def proof_terms_import(*, proof_list: ProofList, rows: Sequence[tuple[str, str, str]]) -> int:
    """Terms read from an uploaded table (what is looked for, the correct form, a note): new ones
    added, those already in the list updated. The caller then saves the list (``proof_list_saved``),
    which archives what it holds. Returns how many rows were taken."""
    existing = {term.wrong: term for term in proof_list.terms.all()}
    new, changed = [], []
    for wrong, correct, note in rows:
        term = existing.get(wrong)
        if term is None:
            existing[wrong] = term = ProofTerm(proof_list=proof_list, wrong=wrong, correct=correct, note=note)
            new.append(term)
        elif (term.correct, term.note) != (correct, note):
            term.correct, term.note = correct, note
            if term.pk is not None and term not in changed:
                changed.append(term)
    ProofTerm.objects.bulk_create(new)
    ProofTerm.objects.bulk_update(changed, ["correct", "note"])
    return len(rows)


@transaction.atomic
def proof_list_saved(
    *, proof_list: ProofList, actor: AnyUser | None, request: HttpRequest | None = None, now: datetime | None = None
) -> ProofList:
    """After a list or its terms were saved (the admin, the demo): move its version on, so every
    process rebuilds its matcher, and archive what it now holds."""
    now = now or clock.now()
    is_new = proof_list.revision == 0
    ProofList.objects.filter(pk=proof_list.pk).update(updated_at=now, revision=models.F("revision") + 1)
    proof_list.refresh_from_db()
    terms = list(proof_list.terms.values_list("wrong", "correct"))
    archive_record(
        action="proofing.prooflist." + ("created" if is_new else "changed"),
        actor=actor,
        target=proof_list,
        summary=ngettext("%(name)s: %(count)d term", "%(name)s: %(count)d terms", len(terms))
        % {"name": proof_list.name, "count": len(terms)},
        after={
            "name": proof_list.name,
            "kind": proof_list.kind,
            "is_active": proof_list.is_active,
            "terms": [f"{wrong} → {correct}" if correct else wrong for wrong, correct in terms[:200]],
        },
        request=request,
        now=now,
    )
    return proof_list

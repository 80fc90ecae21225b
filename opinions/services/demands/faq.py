"""Replied consultations and the policy FAQ entries (政策宣传条目) they feed."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from archive.services import archive_record
from bureau import clock
from bureau.models import User
from bureau.search import search_fill
from bureau.types import AnyUser
from opinions.models import Demand, FaqEntry
from opinions.policies import demand_require
from opinions.services.demands._common import _lock, _record


@transaction.atomic
def faq_entry_create_from_demand(
    *,
    demand: Demand,
    actor: User,
    question: str,
    answer: str,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> FaqEntry:
    """Turn a replied consultation into a policy FAQ entry, linked to it."""
    now = now or clock.now()
    demand_require(actor, demand, "faq-create")
    demand = _lock(demand)
    if demand.kind != "consultation" or demand.first_replied_at is None:
        raise ValidationError(_("Only a replied consultation can become a policy entry."))
    entry = FaqEntry(
        question=question.strip() or demand.subject,
        answer=answer.strip() or demand.reply_text,
        created_at=now,
        created_by=actor,
    )
    search_fill(entry).save(force_insert=True)  # with its search columns (bureau.search)
    demand.faq_entry = entry
    demand.save(update_fields=["faq_entry"])
    archive_record(
        action="opinions.faqentry.created", actor=actor, target=entry, summary=entry.question, request=request, now=now
    )
    return entry


@transaction.atomic
def demand_link_faq(
    *,
    demand: Demand,
    actor: AnyUser,
    entry: FaqEntry,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> Demand:
    """Link a consultation to the FAQ entry that answers it (ranks the entry as a hot issue)."""
    now = now or clock.now()
    demand_require(actor, demand, "faq-link")
    demand = _lock(demand)
    if demand.kind != "consultation":
        raise ValidationError(_("Only consultations are linked to policy entries."))
    before = {"faq_entry_id": demand.faq_entry_id}
    demand.faq_entry = entry
    demand.save(update_fields=["faq_entry"])
    _record(
        "faq_linked",
        actor=actor,
        demand=demand,
        before=before,
        after={"faq_entry_id": entry.pk},
        request=request,
        now=now,
    )
    return demand

"""Reads of demands. Who may see which demand is decided in ``demands_visible`` and nothing else:
every list, detail page, export and count starts from it."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import BooleanField, Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext_lazy as _

from archive.selectors import archive_history_for
from bureau.models import Person
from bureau.pagination import quick_page_of_parts
from bureau.search import SEARCH_COLUMNS
from bureau.selectors import owned_section_ids, person_for
from bureau.types import AnyUser
from opinions.filters import DemandFilter
from opinions.models import Demand, DemandPress, open_q

LIST_RELATED = ("channel", "handler", "department", "section")


def demands_visible(*, user: AnyUser) -> QuerySet[Demand]:
    """Supervisors and leaders see every demand; a staff member sees the demands of the sections
    they own, those assigned to them and those they registered (录入) themselves; anyone else sees
    none. ``opinions.policies`` decides what each may do to a demand seen here."""
    if not user.is_authenticated:
        return Demand.objects.none()
    if user.has_perm("opinions.view_all_demands"):
        return Demand.objects.all()
    if not (user.has_perm("opinions.handle_demand") or user.has_perm("opinions.enter_demand")):
        return Demand.objects.none()
    # Whoever registered a case follows it (a 12345 call entered by hand is redirected to its page).
    visible = Q(created_by=user)
    person = person_for(user)
    if person is not None and user.has_perm("opinions.handle_demand"):
        visible |= Q(handler=person)
        if sections := owned_section_ids(person):
            visible |= Q(section_id__in=sections)
    return Demand.objects.filter(visible)


def open_first_order() -> list[OrderBy]:
    """The order an office works in: open cases first, the soonest deadline (the most overdue) at
    the top; then everything else (replied, completed, merged) newest first, so last year's
    completed cases are at the bottom, not the top."""
    is_open = Case(When(open_q(), then=0), default=1, output_field=IntegerField())
    open_deadline = Case(When(open_q(), then=F("due_at")))
    return [is_open.asc(), open_deadline.asc(nulls_last=True), F("received_at").desc(), F("pk").desc()]


def open_first_parts(queryset: QuerySet[Demand], *, open_only: bool = False) -> list[QuerySet[Demand]]:
    """``open_first_order`` as two reads that indexes serve: the open cases by deadline (the open
    rows' partial index on due_at), then the others newest first (the index on received_at). Paged
    one after the other by ``bureau.pagination.quick_page_of_parts``: the same rows in the same order
    as one read sorted by ``open_first_order``, without sorting every row of the table.

    ``open_only``: ``queryset`` is already confined to open cases (``DemandFilter.open_only``), so
    the second part is empty. PostgreSQL cannot see that "open and not open" is empty: it walked the
    whole received_at index backwards for the one row the page asks of that part (45 ms at 100,000
    demands). The part is still read, as ``WHERE false`` (answered without touching a row), so a page
    sends the same queries whatever the filters."""
    rest = queryset.exclude(open_q())
    if open_only:
        rest = rest.filter(Value(False, output_field=BooleanField()))
    return [
        queryset.filter(open_q()).order_by(F("due_at").asc(nulls_last=True), F("received_at").desc(), F("pk").desc()),
        rest.order_by(F("received_at").desc(), F("pk").desc()),
    ]


def still_with_handler_q() -> Q:
    """A case has work left for its handler until it is called back: open (the reply is due),
    replied (to be completed, after the leader's sign-off where one is needed) or completed and
    not yet called back (回访)."""
    return open_q() | after_reply_with_handler_q()


def after_reply_with_handler_q() -> Q:
    """Replied (to be completed) or completed and not yet called back: a handler's work after the
    reply, the rows of the partial index demand_replied_handler_idx."""
    return Q(state=Demand.State.REPLIED) | Q(state=Demand.State.COMPLETED, called_back_at__isnull=True)


def demand_list(*, user: AnyUser, filters: Mapping[str, Any] | None = None) -> tuple[DemandFilter, QuerySet[Demand]]:
    """The filtered list in ``open_first_order``; rows carry channel, handler, department and section."""
    queryset = demands_visible(user=user).select_related(*LIST_RELATED).defer("content", "reply_text", *SEARCH_COLUMNS)
    demand_filter = DemandFilter(filters or {}, queryset=queryset.order_by(*open_first_order()), user=user)
    return demand_filter, (demand_filter.qs if demand_filter.is_valid() else demand_filter.queryset)


def demand_get(*, user: AnyUser, pk: int) -> Demand | None:
    return (
        demands_visible(user=user)
        .select_related(
            "channel",
            "post",
            "section__owner",
            "department",
            "handler",
            "reviewed_by",
            "signed_off_by",
            "reply_submitted_by",
            "duplicate_of",
            "faq_entry",
        )
        .filter(pk=pk)
        .first()
    )


def my_demands(*, user: AnyUser, person: Person | None, limit: int = 50) -> list[Demand]:
    """The person's cases with work left for them (``still_with_handler_q``: replied cases waiting
    for completion or call-back included), in ``open_first_order``."""
    if person is None:
        return []
    mine = (
        demands_visible(user=user)
        .filter(handler=person)
        .select_related(*LIST_RELATED)
        .defer("content", "reply_text", *SEARCH_COLUMNS)
    )
    # open_first_order as two short reads from indexes (the open cases by deadline, then those after
    # the reply newest first, each part written so its partial index serves it) instead of sorting
    # all of a handler's cases.
    open_part, _rest = open_first_parts(mine)
    after_reply = mine.filter(after_reply_with_handler_q()).order_by(F("received_at").desc(), F("pk").desc())
    return quick_page_of_parts([open_part, after_reply], 1, per_page=limit).object_list


def unassigned_in_my_sections(*, user: AnyUser, person: Person | None, limit: int = 50) -> list[Demand]:
    if person is None:
        return []
    sections = owned_section_ids(person)
    if not sections:
        return []
    return list(
        demands_visible(user=user)
        .filter(section_id__in=sections, state=Demand.State.RECEIVED)
        .select_related(*LIST_RELATED)
        .defer("content", "reply_text", *SEARCH_COLUMNS)
        .order_by("due_at", "pk")[:limit]
    )


@dataclass
class TimelineEntry:
    at: datetime
    what: str
    who: str
    detail: str


def demand_timeline(*, demand: Demand) -> list[TimelineEntry]:
    """The archive records of the demand and its pressing records, oldest first."""
    entries = [
        TimelineEntry(
            at=record.created_at,
            what=str(STEP_LABELS.get(record.action.rsplit(".", 1)[-1], record.action)),
            who=str(getattr(person_for(record.actor), "name", "") or record.actor or ""),
            detail=record.summary if record.action.endswith("received") else _after_text(record.after),
        )
        for record in archive_history_for(target=demand)
    ]
    entries += [
        TimelineEntry(
            at=press.created_at,
            what=str(press.get_step_display()),
            who=press.by.name if press.by else "",
            detail=press.note,
        )
        for press in demand.presses.select_related("by").exclude(step=DemandPress.Step.PRESSED)
    ]
    return sorted(entries, key=lambda entry: entry.at)


STEP_LABELS = {
    "received": _("Received"),
    "claimed": _("Signed for"),
    "assigned": _("Assigned"),
    "reassigned": _("Reassigned"),
    "reply_submitted": _("Reply submitted for review"),
    "reply_approved": _("Reply approved"),
    "reply_refused": _("Reply sent back"),
    "replied": _("Replied"),
    "signed_off": _("Signed off by the leader"),
    "completed": _("Completed"),
    "called_back": _("Called back"),
    "reopened": _("Reopened after an unsatisfied call-back"),
    "handed_back": _("Handed back"),
    "hand_back_accepted": _("Hand-back accepted"),
    "hand_back_refused": _("Hand-back refused"),
    "extension_requested": _("Extension requested"),
    "extension_approved": _("Extension approved"),
    "extension_refused": _("Extension refused"),
    "merged": _("Merged as a duplicate"),
    "unmerged": _("Merge undone"),
    "pressed": _("Pressed"),
    "faq_linked": _("Linked to a policy entry"),
}
# Only what a person wrote is shown under a step; ids and states are in the archive.
TEXT_KEYS = ("reply", "resolution", "reason", "note", "opinion", "until", "due_at")


def _after_text(after: dict[str, Any] | None) -> str:
    if not after:
        return ""
    return "; ".join(str(after[key]) for key in TEXT_KEYS if after.get(key) not in ("", None))

"""A demand's rounds (办理轮次), call-backs (回访) and hand-backs (退单), each its own record.

A case has rounds: the first handling (round 0) and each redo (重办) after an unsatisfied call-back.
Each round keeps its own deadline, set once when the round starts; an extension asked in the round
and its decision are kept beside it, never written over it, so the deadline in force at any moment
can be told afterwards. ``Demand.due_at`` is a copy of the current round's deadline in force, kept by
the services that change the round, for the sweep and the lists (and their partial indexes).

The words the figures count on these records are defined once, at the bottom of this module."""

from datetime import datetime

from django.db import models
from django.db.models import Case, Exists, F, FilteredRelation, OuterRef, Q, QuerySet, Subquery, When
from django.utils.translation import gettext_lazy as _

from bureau.models import Department, Person, Section
from opinions.models.demands import REACHED, SATISFIED, Demand


class DemandRound(models.Model):
    """One handling round of a demand: round 0 from receipt, round n from the n-th unsatisfied
    call-back. ``due_at`` is the round's own deadline and never changes; the department, section and
    handler are those handling the round (after an accepted hand-back: whoever handles it next; the
    hand-back record keeps who handed it back)."""

    class Decision(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Not approved")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("demand"))
    number = models.PositiveSmallIntegerField(_("round"))
    started_at = models.DateTimeField(_("started at"))
    due_at = models.DateTimeField(_("deadline"))

    extension_asked_at = models.DateTimeField(_("extension asked at"), null=True, blank=True)
    extension_until = models.DateTimeField(_("extension asked until"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    extension_decision = models.CharField(_("extension decision"), max_length=10, choices=Decision.choices, blank=True)
    extension_decided_at = models.DateTimeField(_("extension decided at"), null=True, blank=True)

    # Sign-for (签收): the limit runs from when the case reached whoever signs for it.
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    sign_for_due_at = models.DateTimeField(_("sign for by"), null=True, blank=True)
    signed_for_at = models.DateTimeField(_("signed for at"), null=True, blank=True)

    replied_at = models.DateTimeField(_("first replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("replied by")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("website section")
    )
    handler = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("handler")
    )

    class Meta:
        ordering = ["demand", "number"]
        verbose_name = _("handling round")
        verbose_name_plural = _("handling rounds")
        constraints = [
            models.UniqueConstraint(fields=["demand", "number"], name="demand_round_once"),
            models.CheckConstraint(
                condition=Q(extension_until__isnull=True) | Q(extension_until__gt=F("due_at")),
                name="demand_round_extension_later",
                violation_error_message=_("The extension must end after the current deadline."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.demand_id} #{self.number}"

    @property
    def extension_counts(self) -> bool:
        """``extension_counts_q`` for this one row."""
        return (
            self.extension_decision == self.Decision.APPROVED
            and self.extension_asked_at is not None
            and self.extension_asked_at <= self.due_at
        )

    @property
    def deadline_in_force(self) -> datetime:
        """``deadline_in_force()`` for this one row."""
        return self.extension_until if self.extension_counts and self.extension_until else self.due_at


class DemandCallBack(models.Model):
    """One call-back attempt (回访) with its result; ``number`` 0 is the case's first. An unreachable
    attempt may be followed by another; an unsatisfied one opens the next round."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="call_backs", verbose_name=_("demand"))
    number = models.PositiveSmallIntegerField(_("attempt"))
    round = models.PositiveSmallIntegerField(_("handling round"))
    at = models.DateTimeField(_("called back at"))
    result = models.CharField(_("result"), max_length=20, choices=Demand.Satisfaction.choices)
    by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["demand", "number"]
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")
        constraints = [models.UniqueConstraint(fields=["demand", "number"], name="demand_call_back_once")]

    def __str__(self) -> str:
        return f"{self.demand_id} #{self.number} {self.get_result_display()}"


class DemandHandBack(models.Model):
    """A hand-back (退单): who handed the case back, from which department and section, and the
    supervisor's decision. Accepted, it takes the case off them; refused, the case stays."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("Hand-back accepted")
        REFUSED = "refused", _("Hand-back refused")

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="hand_backs", verbose_name=_("demand"))
    round = models.PositiveSmallIntegerField(_("handling round"))
    asked_at = models.DateTimeField(_("handed back at"))
    by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("handed back by")
    )
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("website section")
    )
    reason = models.TextField(_("reason for handing back"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )

    class Meta:
        ordering = ["demand", "asked_at", "pk"]
        verbose_name = _("hand-back")
        verbose_name_plural = _("hand-backs")

    def __str__(self) -> str:
        return f"{self.demand_id} {self.get_decision_display() or '…'}"


# --- The rounds' words, defined once (../shared/DOMAIN.md, "Figures, defined once") -------------
# On a DemandRound (or DemandCallBack) queryset; ``prefix`` reaches the round through a relation
# ("round__" from a model pointing at one), "" on the round itself.


def extension_counts_q(prefix: str = "") -> Q:
    """An extension counts when it was asked for before the round's deadline passed (at the
    deadline second at the latest) and approved, even if the approval came after the deadline. A
    refused or undecided one never counts."""
    return Q(
        **{
            f"{prefix}extension_decision": DemandRound.Decision.APPROVED,
            f"{prefix}extension_asked_at__lte": F(f"{prefix}due_at"),
        }
    )


def deadline_in_force(prefix: str = "") -> Case:
    """The round's deadline in force: the approved extension's date if it counts, else its own."""
    return Case(
        When(extension_counts_q(prefix), then=F(f"{prefix}extension_until")),
        default=F(f"{prefix}due_at"),
        output_field=models.DateTimeField(),
    )


def round_replied_on_time_q(prefix: str = "") -> Q:
    """Replied on time: the round's first reply came by its deadline in force (the deadline second
    is on time). Judged once the reply is given; nothing later changes it."""
    replied_at = f"{prefix}replied_at"
    return Q(**{f"{replied_at}__isnull": False}) & (
        Q(**{f"{replied_at}__lte": F(f"{prefix}due_at")})
        | (extension_counts_q(prefix) & Q(**{f"{replied_at}__lte": F(f"{prefix}extension_until")}))
    )


def round_replied_late_q(prefix: str = "") -> Q:
    """Replied late (超期答复): replied after the deadline in force (the complement of on time among
    replied rounds, written without negation so that NULLs of an outer join cannot slip through)."""
    replied_at = f"{prefix}replied_at"
    return Q(**{f"{replied_at}__gt": F(f"{prefix}due_at")}) & (
        _extension_does_not_count_q(prefix) | Q(**{f"{replied_at}__gt": F(f"{prefix}extension_until")})
    )


def _extension_does_not_count_q(prefix: str) -> Q:
    """The complement of ``extension_counts_q``, without negation (see ``round_replied_late_q``)."""
    return Q(**{f"{prefix}extension_decision__in": ["", DemandRound.Decision.REFUSED]}) | Q(
        **{f"{prefix}extension_asked_at__gt": F(f"{prefix}due_at")}
    )


def round_signed_for_on_time_q(prefix: str = "") -> Q:
    """及时签收: signed for by the sign-for limit (``DemandRules.sign_for_window`` after dispatch,
    stored on the round when it was dispatched)."""
    return Q(**{f"{prefix}signed_for_at__lte": F(f"{prefix}sign_for_due_at")})


def call_back_reached_q(prefix: str = "") -> Q:
    """A call-back that reached the citizen: satisfied, fairly satisfied or unsatisfied (not unreachable)."""
    return Q(**{f"{prefix}result__in": REACHED})


def call_back_satisfied_q(prefix: str = "") -> Q:
    """A call-back at which the citizen was satisfied or fairly satisfied."""
    return Q(**{f"{prefix}result__in": SATISFIED})


# --- The first round and first call-back joined to the demand (one row each at most, so counting
# over the join multiplies nothing): the figures' fast path, judged by the functions above with
# these prefixes. The EXISTS forms below say the same for filters and lists.

FIRST_ROUND = "first_round__"
FIRST_REDO = "first_redo__"
FIRST_CALL_BACK = "first_call_back__"
LATEST_CALL_BACK = "latest_call_back_"


def with_first_records(queryset: QuerySet) -> QuerySet:
    """``queryset`` (of demands) with its first round, first redo round and first call-back joined."""
    return queryset.annotate(
        first_round=FilteredRelation("rounds", condition=Q(rounds__number=0)),
        first_redo=FilteredRelation("rounds", condition=Q(rounds__number=1)),
        first_call_back=FilteredRelation("call_backs", condition=Q(call_backs__number=0)),
    )


def _latest_call_back_first(demand: OuterRef) -> QuerySet:
    """The call-backs of ``demand``, the latest (the highest number) first: what "latest" means."""
    return DemandCallBack.objects.filter(demand=demand).order_by("-number")


def with_latest_call_back(queryset: QuerySet) -> QuerySet:
    """``queryset`` (of demands) with its latest call-back's result as ``latest_call_back_result``
    (judged with the prefix ``LATEST_CALL_BACK``): one value per demand. As EXISTS ... NOT EXISTS a
    later one, PostgreSQL hashed every call-back of the table once some thousands of demands were
    counted (two full scans, 440 ms at 225,000 call-backs, for 14,000 demands)."""
    latest = _latest_call_back_first(OuterRef("pk")).values("result")[:1]
    return queryset.alias(**{f"{LATEST_CALL_BACK}result": Subquery(latest)})


# --- The same words on a demand (a queryset of ``Demand``), each an EXISTS over its records, so they
# filter, count and annotate without multiplying rows. Every figure, filter, list and sheet uses these.


def _first_round():
    return DemandRound.objects.filter(demand=OuterRef("pk"), number=0)


def _redo_rounds():
    return DemandRound.objects.filter(demand=OuterRef("pk"), number__gt=0)


def _latest_call_back():
    latest = _latest_call_back_first(OuterRef("demand")).values("number")[:1]
    return DemandCallBack.objects.filter(demand=OuterRef("pk"), number=Subquery(latest))


def replied_q() -> Q:
    """Replied: the first round has a reply (for reviewed kinds: once approved)."""
    return Q(Exists(_first_round().filter(replied_at__isnull=False)))


def replied_on_time_q() -> Q:
    """Replied on time: the first round's first reply came by the deadline in force when it was
    given (``round_replied_on_time_q``). A redo never changes it, either way."""
    return Q(Exists(_first_round().filter(round_replied_on_time_q())))


def replied_late_q() -> Q:
    """超期答复: the first round was replied to, after its deadline in force. Late replies in a redo
    round are 重办超期 (``redo_late_q``) and never make a first reply late or on time."""
    return Q(Exists(_first_round().filter(round_replied_late_q())))


def signed_for_q() -> Q:
    """Signed for (签收) in the first round, by whoever handles it (after an accepted hand-back: the
    next handler)."""
    return Q(Exists(_first_round().filter(signed_for_at__isnull=False)))


def signed_for_on_time_q() -> Q:
    """及时签收: the first round signed for within the sign-for limit after it was dispatched."""
    return Q(Exists(_first_round().filter(round_signed_for_on_time_q())))


def redone_q() -> Q:
    """重办: the case has at least one redo round."""
    return Q(Exists(_redo_rounds()))


def called_back_q() -> Q:
    """回访: at least one call-back was attempted, unreachable included."""
    return Q(Exists(DemandCallBack.objects.filter(demand=OuterRef("pk"))))


def reached_q() -> Q:
    """Reached: the case's latest call-back reached the citizen (unreachable is not reached)."""
    return Q(Exists(_latest_call_back().filter(call_back_reached_q())))


def satisfied_q() -> Q:
    """Satisfied: the case's latest call-back was satisfied or fairly satisfied."""
    return Q(Exists(_latest_call_back().filter(call_back_satisfied_q())))


def first_reached_q() -> Q:
    """Reached on the case's first call-back (首次回访)."""
    return Q(Exists(DemandCallBack.objects.filter(call_back_reached_q(), demand=OuterRef("pk"), number=0)))


def first_satisfied_q() -> Q:
    """Satisfied or fairly satisfied on the case's first call-back (首次满意)."""
    return Q(Exists(DemandCallBack.objects.filter(call_back_satisfied_q(), demand=OuterRef("pk"), number=0)))


def redo_late_q() -> Q:
    """On a ``DemandRound`` queryset: a redo round replied after its deadline in force, the settled
    part of 重办超期; the running part is a redo round overdue now (``redo_overdue_q`` on the
    demand, whose ``due_at`` is the current round's deadline in force)."""
    return Q(number__gt=0) & round_replied_late_q()

"""The gap sweep: late and missed sign-ins, understaffed shifts, and the supervisors' digest."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from archive.services import archive_record
from assignments.models import Shift, ShiftAssignment
from bureau import clock
from bureau.models import RoleGroup, User
from bureau.notifications import notification_create

# Understaffed shifts are flagged when they start within this horizon.
UNDERSTAFFED_HORIZON = timedelta(days=3)
# A gap digest lists at most this many gaps by name; the rest are counted.
DIGEST_LINES = 20


@dataclass
class GapReport:
    late: int = 0
    missed: int = 0
    understaffed: int = 0

    @property
    def total(self) -> int:
        return self.late + self.missed + self.understaffed


def _supervisor_users() -> QuerySet[User]:
    return get_user_model().objects.filter(groups__name=RoleGroup.SUPERVISORS, is_active=True).distinct()


def _local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@transaction.atomic
def duty_flag_gaps(*, now: datetime | None = None) -> GapReport:
    """Flag late and missed sign-ins and understaffed shifts, each once, and send the supervisors
    one digest of what this run flagged.

    Each kind is one conditional UPDATE (``… WHERE flag IS NULL``), so a second or concurrent run
    flags nothing again; the digest lists only the rows stamped with this run's ``now``. The
    number of queries does not depend on the number of shifts."""
    now = now or clock.now()
    report = GapReport()
    # The shift condition is a subquery on the other table, not a join: with a join Django moves
    # every condition into a "pk IN (…)" subquery, which PostgreSQL does not re-check for a
    # concurrent update, and two sweeps would both flag the row.
    ended = Shift.objects.filter(ends_at__lte=now).values("pk")
    report.missed = ShiftAssignment.objects.filter(
        signed_in_at=None, missed_flagged_at=None, shift_id__in=ended
    ).update(missed_flagged_at=now)
    overdue = Shift.objects.filter(sign_in_due_at__lt=now).values("pk")
    report.late = ShiftAssignment.objects.filter(
        signed_in_at=None, late_flagged_at=None, missed_flagged_at=None, shift_id__in=overdue
    ).update(late_flagged_at=now)
    understaffed = (
        Shift.objects.filter(understaffed_at=None, ends_at__gt=now, starts_at__lt=now + UNDERSTAFFED_HORIZON)
        .annotate(filled=Count("assignments"))
        .filter(filled__lt=F("people_needed"))
        .values("pk")
    )
    report.understaffed = Shift.objects.filter(pk__in=understaffed, understaffed_at=None).update(understaffed_at=now)
    if report.total:
        archive_record(
            action="assignments.shift.gaps_flagged",
            target_type="assignments.shift",
            target_text=_("Duty gaps"),
            summary=_("%(late)s late, %(missed)s missed sign-ins, %(understaffed)s understaffed shifts")
            % {"late": report.late, "missed": report.missed, "understaffed": report.understaffed},
            after={"late": report.late, "missed": report.missed, "understaffed": report.understaffed, "at": now},
            now=now,
        )
        _notify_gaps(report=report, now=now)
    return report


def _notify_gaps(*, report: GapReport, now: datetime) -> None:
    lines = []
    flagged = (
        ShiftAssignment.objects.filter(Q(missed_flagged_at=now) | Q(late_flagged_at=now, missed_flagged_at=None))
        .select_related("person", "shift", "shift__shift_type")
        .order_by("shift__starts_at")[:DIGEST_LINES]
    )
    for assignment in flagged:
        text = (
            _("Missed sign-in: %(person)s, %(shift)s %(start)s")
            if assignment.missed_flagged_at == now
            else _("Not signed in yet: %(person)s, %(shift)s %(start)s")
        )
        lines.append(
            text
            % {
                "person": assignment.person.name,
                "shift": assignment.shift.shift_type.name,
                "start": _local(assignment.shift.starts_at),
            }
        )
    for shift in (
        Shift.objects.filter(understaffed_at=now)
        .select_related("shift_type")
        .annotate(filled=Count("assignments"))
        .order_by("starts_at")[:DIGEST_LINES]
    ):
        lines.append(
            _("Too few people: %(shift)s %(start)s (%(filled)s of %(needed)s)")
            % {
                "shift": shift.shift_type.name,
                "start": _local(shift.starts_at),
                "filled": shift.filled,
                "needed": shift.people_needed,
            }
        )
    more = report.total - len(lines)
    if more > 0:
        lines.append(_("… and %(count)s more.") % {"count": more})
    title = _("Duty gaps: %(late)s late, %(missed)s missed sign-ins, %(understaffed)s understaffed shifts") % {
        "late": report.late,
        "missed": report.missed,
        "understaffed": report.understaffed,
    }
    for user in _supervisor_users():
        notification_create(
            recipient=user,
            kind="assignments.duty_gaps",
            dedupe_key=f"assignments.duty_gaps:{now.isoformat()}",
            title=title,
            body="\n".join(lines),
            link=reverse("assignments:gaps"),
            now=now,
        )

"""Reports upward (上报): a major opinion incident reported to the county, and its follow-ups."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from archive.services import archive_record
from assignments.models import IncidentFollowUp, IncidentReport, ResponsePlan
from assignments.policies import incident_report_require
from assignments.services._common import person_of
from bureau import clock
from bureau.models import Person, Role
from bureau.notifications import notification_create
from bureau.types import AnyUser


@transaction.atomic
def incident_report_create(
    *,
    actor: AnyUser,
    title: str,
    level: str,
    summary: str,
    measures: str,
    reported_to: str,
    reported_at: datetime,
    response_plan: ResponsePlan | None = None,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> IncidentReport:
    """Record an incident reported to the county, by the acting person."""
    now = now or clock.now()
    if reported_at > now:
        raise ValidationError(_("The time reported cannot be in the future."))
    if response_plan is not None and not response_plan.is_active:
        raise ValidationError(_("This response plan is no longer in force."))
    report = IncidentReport.objects.create(
        title=title,
        level=level,
        summary=summary,
        measures=measures,
        reported_to=reported_to,
        reported_at=reported_at,
        response_plan=response_plan,
        reported_by=person_of(actor),
        created_at=now,
    )
    archive_record(
        action="assignments.incidentreport.reported",
        actor=actor,
        request=request,
        target=report,
        summary=title,
        after={
            "level": level,
            "response_plan": response_plan.pk if response_plan else None,
            "reported_at": reported_at,
        },
        now=now,
    )
    if level == IncidentReport.Level.MAJOR:
        # A major (重大) incident is the leaders' business at once: each is told, once per report.
        leaders = Person.objects.active().filter(role__in=(Role.DIRECTOR, Role.LEADER), user__isnull=False)
        for leader in leaders.select_related("user"):
            notification_create(
                recipient=leader.user,
                kind="assignments.major_report",
                dedupe_key=f"assignments.major_report:{report.pk}",
                title=_("Major incident reported upward: %(title)s") % {"title": title[:100]},
                link=report.get_absolute_url(),
                now=now,
            )
    return report


@transaction.atomic
def incident_follow_up_add(
    *,
    report: IncidentReport,
    body: str,
    reported_at: datetime,
    actor: AnyUser,
    request: HttpRequest | None = None,
    now: datetime | None = None,
) -> IncidentFollowUp:
    """A follow-up report (续报) on an incident."""
    now = now or clock.now()
    incident_report_require(actor, report, "follow-up")
    body = body.strip()
    if not body:
        raise ValidationError(_("Write the follow-up report."))
    if reported_at > now:
        raise ValidationError(_("The time reported cannot be in the future."))
    if reported_at < report.reported_at:
        raise ValidationError(_("A follow-up cannot come before the first report."))
    follow_up = IncidentFollowUp.objects.create(
        report=report, body=body, reported_at=reported_at, reported_by=person_of(actor)
    )
    archive_record(
        action="assignments.incidentreport.followed_up",
        actor=actor,
        request=request,
        target=report,
        summary=body[:200],
        after={"follow_up": follow_up.pk, "reported_at": reported_at},
        now=now,
    )
    return follow_up

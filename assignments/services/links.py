"""Linking tasks handed down and reports upward to the posts and demands they concern."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from archive.services import archive_record
from assignments.models import CountyTask, IncidentReport
from assignments.policies import county_task_require, incident_report_require
from bureau.types import AnyUser
from opinions.models import Demand, Post
from opinions.selectors.demands import demands_visible
from opinions.selectors.posts import post_get


def _check(*, actor: AnyUser, post_id: int | None, demand_id: int | None) -> tuple[Post | None, Demand | None]:
    post = post_get(user=actor, pk=post_id) if post_id else None
    if post_id and post is None:
        raise ValidationError(_("That post does not exist or you may not see it."))
    demand = demands_visible(user=actor).filter(pk=demand_id).first() if demand_id else None
    if demand_id and demand is None:
        raise ValidationError(_("That demand does not exist or you may not see it."))
    if post is None and demand is None:
        raise ValidationError(_("Choose a post or a demand to link."))
    return post, demand


def _linked(target: CountyTask | IncidentReport) -> dict[str, list[int]]:
    return {
        "posts": sorted(target.posts.values_list("pk", flat=True)),
        "demands": sorted(target.demands.values_list("pk", flat=True)),
    }


def _label(target: CountyTask | IncidentReport) -> str:
    return "assignments.countytask" if isinstance(target, CountyTask) else "assignments.incidentreport"


def _require(actor: AnyUser, target: CountyTask | IncidentReport) -> None:
    if isinstance(target, CountyTask):
        county_task_require(actor, target, "link")
    else:
        incident_report_require(actor, target, "link")


@transaction.atomic
def opinion_link_add(
    *,
    target: CountyTask | IncidentReport,
    actor: AnyUser,
    post_id: int | None = None,
    demand_id: int | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Link a post and/or a demand the actor may see. Linking twice changes nothing."""
    _require(actor, target)
    post, demand = _check(actor=actor, post_id=post_id, demand_id=demand_id)
    before = {
        "posts": sorted(target.posts.values_list("pk", flat=True)),
        "demands": sorted(target.demands.values_list("pk", flat=True)),
    }
    if post is not None:
        target.posts.add(post)
    if demand is not None:
        target.demands.add(demand)
    archive_record(
        action=f"{_label(target)}.linked",
        actor=actor,
        request=request,
        target=target,
        summary="; ".join(str(item) for item in (post, demand) if item is not None),
        before=before,
        after={
            "posts": sorted(target.posts.values_list("pk", flat=True)),
            "demands": sorted(target.demands.values_list("pk", flat=True)),
        },
    )


@transaction.atomic
def opinion_link_remove(
    *,
    target: CountyTask | IncidentReport,
    actor: AnyUser,
    post_id: int | None = None,
    demand_id: int | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Unlink a post and/or a demand; unlinking what is not linked changes nothing."""
    _require(actor, target)
    before = _linked(target)
    if post_id:
        target.posts.remove(post_id)
    if demand_id:
        target.demands.remove(demand_id)
    archive_record(
        action=f"{_label(target)}.unlinked",
        actor=actor,
        request=request,
        target=target,
        before=before,
        after=_linked(target),
    )

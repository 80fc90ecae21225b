"""Every step that waits for someone else's decision tells them when it starts waiting, once.

The services of the loop call ``demand_notify_waiting`` at the moment a case starts to wait: a
reply submitted for review (the reviewers), a reply that needs the leader's sign-off (the leaders in
charge), a hand-back or an extension request (the office heads), a new case that nobody has signed
for (its section's owner, or the office heads to dispatch it). The notice goes through the outbox
(``notification_create``) with a dedupe key per case, step and occasion, so a retried call or a
double click tells nobody twice. Who receives it is ``opinions.policies.waiting_for``, the same
rule that decides who may act and whose to-do list shows the case."""

from datetime import datetime

from django.utils.translation import gettext as _

from bureau.notifications import notification_create
from bureau.types import AnyUser
from opinions.models import Demand
from opinions.policies import waiting_for

TITLES = {
    "review": lambda subject: _("A reply waits for your review: %(subject)s") % {"subject": subject},
    "sign-off": lambda subject: _("A reply waits for your sign-off: %(subject)s") % {"subject": subject},
    "decide-hand-back": lambda subject: _("A hand-back waits for your decision: %(subject)s") % {"subject": subject},
    "decide-extension": lambda subject: (
        _("An extension request waits for your decision: %(subject)s") % {"subject": subject}
    ),
    "claim": lambda subject: (
        _("A new demand in your section waits to be signed for: %(subject)s") % {"subject": subject}
    ),
    "assign": lambda subject: _("A new demand waits to be dispatched: %(subject)s") % {"subject": subject},
    "complete": lambda subject: _("A demand waits for you to complete it: %(subject)s") % {"subject": subject},
}


def demand_notify_waiting(
    *, demand: Demand, step: str, occasion: str, actor: AnyUser | None = None, now: datetime
) -> int:
    """Tell whoever must take ``step`` (an action of ``opinions.policies``) on ``demand``; the actor
    who caused the wait is not told. ``occasion`` makes the key: the same occasion notifies once.
    Returns how many notices were written."""
    written = 0
    for person in waiting_for(demand, step):
        if person.user_id is None or (actor is not None and person.user_id == actor.pk):
            continue
        notice = notification_create(
            recipient=person.user,
            kind=f"opinions.demand.waiting.{step}",
            dedupe_key=f"opinions.demand.waiting.{step}:{demand.pk}:{occasion}",
            title=TITLES[step](demand.notice_subject),
            link=demand.get_absolute_url(),
            now=now,
        )
        written += notice is not None
    return written

"""Who may do what to a demand, written once. The services call ``demand_require`` (a refusal is a
PermissionDenied, a 403); the detail page asks ``demand_actions`` which buttons to show, so a button
appears exactly when the service would accept the person and the demand's state."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from bureau.models import Person, User
from bureau.selectors import person_for
from opinions.models import Demand

State = Demand.State


def _handles(user) -> bool:
    return user.has_perm("opinions.handle_demand")


def _supervises(user) -> bool:
    return user.has_perm("opinions.supervise_demand")


def _is_handler_or_supervisor(user, demand: Demand) -> bool:
    person = person_for(user)
    return _handles(user) and person is not None and (demand.handler_id == person.pk or _supervises(user))


def _reviews(user) -> bool:
    person = person_for(user)
    return user.has_perm("opinions.review_demand") or bool(person and person.is_spokesperson)


def _own_work(user, demand: Demand) -> bool:
    """Four eyes: the case one handles, or the reply one wrote, is one's own work; nobody reviews
    or signs it off."""
    if demand is None:  # asked about the permission alone (who could review at all)
        return False
    person = person_for(user)
    return person is not None and person.pk in (demand.handler_id, demand.reply_submitted_by_id)


# Who may: the permission and the person's relation to the demand. Checked by the services.
WHO: dict[str, Callable] = {
    "claim": lambda user, demand: _handles(user) and person_for(user) is not None,
    "assign": lambda user, demand: _supervises(user),
    "reply": _is_handler_or_supervisor,
    "extension": _is_handler_or_supervisor,
    "hand-back": _is_handler_or_supervisor,
    "complete": _is_handler_or_supervisor,
    "review": lambda user, demand: _reviews(user) and not _own_work(user, demand),
    "sign-off": lambda user, demand: user.has_perm("opinions.sign_off_demand") and not _own_work(user, demand),
    "call-back": lambda user, demand: _handles(user),
    "decide-hand-back": lambda user, demand: _supervises(user),
    "decide-extension": lambda user, demand: _supervises(user),
    "press": lambda user, demand: _supervises(user),
    "merge": lambda user, demand: _supervises(user),
    "unmerge": lambda user, demand: _supervises(user),
    "faq-create": lambda user, demand: _supervises(user),
    "faq-link": lambda user, demand: _handles(user),
    # A proofreading hit in the reply awaiting review: its handler or a reviewer keeps it as written.
    "proof-acknowledge": lambda user, demand: (
        _is_handler_or_supervisor(user, demand) or (_reviews(user) and not _own_work(user, demand))
    ),
}

# When: the states in which the action makes sense. The services refuse the others with a
# ValidationError saying why; the page only offers the action in these.
WHEN: dict[str, Callable[[Demand], bool]] = {
    "claim": lambda demand: demand.state == State.RECEIVED,
    "assign": lambda demand: demand.is_open and demand.state != State.IN_REVIEW,
    "reply": lambda demand: demand.state in Demand.REPLYABLE_STATES,
    "extension": lambda demand: demand.state == State.ASSIGNED and demand.extension_until is None,
    "hand-back": lambda demand: demand.state == State.ASSIGNED,
    "complete": lambda demand: demand.state == State.REPLIED,
    "review": lambda demand: demand.state == State.IN_REVIEW,
    "sign-off": lambda demand: demand.state == State.REPLIED and demand.needs_sign_off and demand.signed_off_at is None,
    "call-back": lambda demand: (
        demand.state == State.COMPLETED
        and (demand.called_back_at is None or demand.satisfaction == Demand.Satisfaction.UNREACHABLE)
    ),
    "decide-hand-back": lambda demand: demand.state == State.HANDED_BACK,
    "decide-extension": lambda demand: demand.extension_until is not None and demand.state != State.MERGED,
    "press": lambda demand: demand.is_open and press_recipient(demand) is not None,
    "merge": lambda demand: demand.is_open,
    "unmerge": lambda demand: demand.state == State.MERGED,
    "faq-create": lambda demand: (
        demand.kind == "consultation" and demand.first_replied_at is not None and demand.faq_entry_id is None
    ),
    "faq-link": lambda demand: demand.kind == "consultation" and demand.faq_entry_id is None,
    "proof-acknowledge": lambda demand: demand.state == State.IN_REVIEW,
}


def press_recipient(demand: Demand):
    """Who a press (催办) reaches: the handler, or, before anyone has signed for the case, the owner
    of its section (who should). With neither there is nobody to press: assign the case instead."""
    if demand.handler_id is not None:
        return demand.handler
    if demand.section_id is not None and demand.section.owner_id is not None:
        return demand.section.owner
    return None


def demand_may(user, demand: Demand, action: str) -> bool:
    """Whether ``user`` may do ``action`` to this demand at all, whatever its state."""
    return WHO[action](user, demand)


def demand_require(user, demand: Demand, action: str) -> None:
    """Raise PermissionDenied unless ``user`` may do ``action`` to this demand."""
    if demand_may(user, demand, action):
        return
    if WHO[action] is _is_handler_or_supervisor:
        raise PermissionDenied(_("Only the demand's handler can do this."))
    if action in ("review", "sign-off") and _own_work(user, demand):
        raise PermissionDenied(_("Nobody reviews or signs off their own work: someone else must do it."))
    raise PermissionDenied


def demand_can(user, demand: Demand, action: str) -> bool:
    """Whether ``user`` may do ``action`` now: they may, and the demand is in a state for it."""
    return WHEN[action](demand) and demand_may(user, demand, action)


def demand_actions(user, demand: Demand) -> dict[str, bool]:
    """For the detail page: every action name (with ``_`` for ``-``, for templates) → shown or not."""
    return {action.replace("-", "_"): demand_can(user, demand, action) for action in WHO}


def demand_shows_citizen(user, demand: Demand) -> bool:
    """Personal data (the citizen's name and contact) is shown only to those handling the case: its
    handler, its section's owner, the office head, and whoever registered it (they typed it in)."""
    if demand.created_by_id is not None and demand.created_by_id == user.pk:
        return True
    if user.has_perm("opinions.supervise_demand"):
        return True
    person = person_for(user)
    return person is not None and (
        demand.handler_id == person.pk or (demand.section is not None and demand.section.owner_id == person.pk)
    )


# --- Who is waited for: the people who may take a step, as a query (for notices) -----------------


def _people_with_perm(codename: str) -> Q:
    """Active people whose login has ``opinions.<codename>`` through a role group or directly.

    Two EXISTS subqueries rather than joins: joining both many-to-many paths in one OR multiplies
    every group permission by every direct permission before DISTINCT (0.6 s a call on the demo
    office, paid by every reply submitted for review)."""
    via_group = User.groups.through.objects.filter(
        user_id=OuterRef("user_id"),
        group__permissions__codename=codename,
        group__permissions__content_type__app_label="opinions",
    )
    direct = User.user_permissions.through.objects.filter(
        user_id=OuterRef("user_id"), permission__codename=codename, permission__content_type__app_label="opinions"
    )
    return Q(Exists(via_group)) | Q(Exists(direct))


def waiting_for(demand: Demand, action: str) -> list[Person]:
    """The people who must take ``action`` on this demand now that it waits for it: the same
    people ``WHO`` lets do it (reviewers: the review permission or a spokesperson; sign-off: the
    sign-off permission; decisions and dispatch: the office heads; signing for: the section's
    owner). Used for the notice sent when the wait starts."""
    people = Person.objects.active().filter(user__isnull=False, user__is_active=True).select_related("user")
    if action == "review":
        chosen = people.filter(_people_with_perm("review_demand") | Q(is_spokesperson=True))
    elif action == "sign-off":
        chosen = people.filter(_people_with_perm("sign_off_demand"))
    elif action in ("decide-hand-back", "decide-extension", "assign"):
        chosen = people.filter(_people_with_perm("supervise_demand"))
    elif action == "claim":
        owner_id = demand.section.owner_id if demand.section_id is not None else None
        chosen = people.filter(pk=owner_id) if owner_id else people.none()
    elif action == "complete":
        chosen = people.filter(pk=demand.handler_id) if demand.handler_id else people.none()
    else:
        raise ValueError(action)
    return list(chosen.distinct().order_by("pk"))


def reply_templates_may_keep(user) -> bool:
    """Who keeps the reply templates (答复口径): the office head on the office's page, the
    administrators in the admin."""
    return user.has_perm("opinions.supervise_demand") or user.has_perm("opinions.change_replytemplate")

"""Who may do what to a briefing, and when, written once. Services call ``briefing_require`` (a
person who may not gets PermissionDenied, a 403; a briefing in the wrong state a ValidationError
saying why); the detail page asks ``briefing_can`` which buttons to show.

Four eyes: a leader who drafted or edited a briefing does not sign it; another leader does."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bureau.types import AnyUser
from reports.models import Briefing

Refusal = str | Promise | None
State = Briefing.State


def _permission(permission: str, message: Promise) -> Callable[[AnyUser, Briefing | None], Refusal]:
    return lambda user, briefing: None if user.has_perm(permission) else message


def _wrote_it(user: AnyUser, briefing: Briefing) -> bool:
    user_id = getattr(user, "pk", None)
    if briefing.drafted_by_id == user_id:
        return True
    return any(editor.pk == user_id for editor in briefing.editors.all())


def _not_own(rule: Callable[[AnyUser, Briefing], Refusal]) -> Callable[[AnyUser, Briefing], Refusal]:
    def checked(user: AnyUser, briefing: Briefing) -> Refusal:
        refusal = rule(user, briefing)
        if refusal is None and _wrote_it(user, briefing):
            return _("You drafted or edited this briefing, so another leader signs it off (four eyes).")
        return refusal

    return checked


_EDIT = _permission("reports.edit_briefings", _("Only the office's staff can draft and edit briefings."))
_SIGN = _permission("reports.sign_briefings", _("Only a leader can sign a briefing off."))

WHO: dict[str, Callable[[AnyUser, Briefing | None], Refusal]] = {
    "view": _permission("reports.view_briefings", _("You may not read briefings.")),
    "draft": _EDIT,
    "edit": _EDIT,
    "submit": _EDIT,
    "return": _SIGN,
    "sign": _not_own(_SIGN),  # type: ignore[dict-item]  # a briefing is always given to "sign"
}

_SIGNED = _("This briefing has been signed off and can no longer be changed.")

WHEN: dict[str, Callable[[Briefing], Refusal]] = {
    "view": lambda briefing: None,
    "draft": lambda briefing: None,
    "edit": lambda briefing: (
        None
        if briefing.state == State.DRAFT
        else (
            _SIGNED
            if briefing.is_signed
            else _("It waits for sign-off: a leader returns it before it is edited again.")
        )
    ),
    "submit": lambda briefing: (
        _("Only a draft can be submitted.")
        if briefing.state != State.DRAFT
        else None
        if (briefing.sections.get("next_steps") or "").strip()
        else _("Write the next steps before submitting the briefing.")
    ),
    "return": lambda briefing: (
        None if briefing.state == State.SUBMITTED else _("Only a submitted briefing can be returned.")
    ),
    "sign": lambda briefing: (
        None
        if briefing.state == State.SUBMITTED
        else (_SIGNED if briefing.is_signed else _("Submit the briefing for sign-off first."))
    ),
}


def briefing_refusal(user: AnyUser, briefing: Briefing | None, action: str) -> Refusal:
    return WHO[action](user, briefing)


def briefing_require(user: AnyUser, briefing: Briefing | None, action: str) -> None:
    who = briefing_refusal(user, briefing, action)
    if who is not None:
        raise PermissionDenied(str(who))
    if briefing is not None:
        when = WHEN[action](briefing)
        if when is not None:
            raise ValidationError(str(when))


def briefing_can(user: AnyUser, briefing: Briefing, action: str) -> bool:
    return briefing_refusal(user, briefing, action) is None and WHEN[action](briefing) is None


def briefing_sign_withheld(user: AnyUser, briefing: Briefing) -> Refusal:
    """Why a leader who signs briefings off has no 签发 on this one, waiting for sign-off (four eyes:
    they drafted or edited it); None when they may sign it, or signing is not theirs or not due."""
    if not user.has_perm("reports.sign_briefings") or WHEN["sign"](briefing) is not None:
        return None
    return briefing_refusal(user, briefing, "sign")


def briefing_actions(user: AnyUser, briefing: Briefing) -> set[str]:
    return {action for action in ("edit", "submit", "return", "sign") if briefing_can(user, briefing, action)}

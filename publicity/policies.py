"""Who may do what to a publicity post, and when, written once. The services call ``post_require``
(a person who may not gets a PermissionDenied, a 403; a post in the wrong state a ValidationError
saying why); the detail page asks ``post_actions`` which buttons to show, so a button appears
exactly when the service would accept the person and the post's state."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bureau.selectors import person_for
from bureau.types import AnyUser
from publicity.models import PublicityPost

State = PublicityPost.State

# A rule answers None when it allows, or the sentence that says why not.
Rule = Callable[[AnyUser, PublicityPost], Promise | None]


def _is_author(user: AnyUser, post: PublicityPost) -> bool:
    return post.author.user_id == getattr(user, "pk", None)


def _author_only(permission: str, message: Promise) -> Rule:
    return lambda user, post: None if _is_author(user, post) and user.has_perm(permission) else message


def _reviewer(user: AnyUser, post: PublicityPost) -> Promise | None:
    person = person_for(user)
    if person is None or not (person.is_leader and user.has_perm("publicity.approve_publicitypost")):
        return _("Only a leader in charge can approve or return publicity posts.")
    if post.author_id == person.pk:
        return _("You cannot approve or return your own publicity post.")
    return None


def _publisher(user: AnyUser, post: PublicityPost) -> Promise | None:
    if _is_author(user, post) or user.has_perm("publicity.publish_publicitypost"):
        return None
    return _("Only the author or the office can record the publication.")


def _proofreader(user: AnyUser, post: PublicityPost) -> Promise | None:
    """A proofreading hit may be acknowledged by the author (before and while it waits) or, once
    it is submitted, by a leader who may approve it."""
    if _is_author(user, post) and user.has_perm("publicity.add_publicitypost"):
        return None
    if post.state == State.SUBMITTED and _reviewer(user, post) is None:
        return None
    return _("Only the author or a leader in charge can acknowledge a proofreading hit.")


# Who may: the person's relation to the post. Refused with PermissionDenied.
WHO: dict[str, Rule] = {
    "edit": _author_only("publicity.change_publicitypost", _("Only the author can edit a publicity post.")),
    "submit": _author_only("publicity.add_publicitypost", _("Only the author can submit a publicity post.")),
    "withdraw": _author_only("publicity.add_publicitypost", _("Only the author can withdraw a submission.")),
    "review": _reviewer,
    "publish": _publisher,
    "correct": _publisher,
    "acknowledge": _proofreader,
}


def _in(states: tuple[str, ...] | list[str], message: Promise) -> Callable[[PublicityPost], Promise | None]:
    return lambda post: None if post.state in states else message


# When: the states in which the action makes sense. Refused with ValidationError.
WHEN: dict[str, Callable[[PublicityPost], Promise | None]] = {
    "edit": _in(PublicityPost.EDITABLE_STATES, _("Only a draft or a returned post can be edited.")),
    "submit": _in(PublicityPost.EDITABLE_STATES, _("This post has already been submitted.")),
    "withdraw": _in([State.SUBMITTED], _("Only a post waiting for approval can be withdrawn.")),
    "review": _in([State.SUBMITTED], _("This post is not waiting for approval.")),
    "publish": _in([State.APPROVED], _("Only an approved post can be published.")),
    "correct": _in([State.PUBLISHED], _("Only a published post's publication details can be corrected.")),
    "acknowledge": _in(
        [*PublicityPost.EDITABLE_STATES, State.SUBMITTED], _("Only a post not yet approved is proofread.")
    ),
}


def post_may(user: AnyUser, post: PublicityPost, action: str) -> bool:
    """Whether ``user`` may do ``action`` to this post at all, whatever its state."""
    return WHO[action](user, post) is None


def post_require(user: AnyUser, post: PublicityPost, action: str) -> None:
    """Raise PermissionDenied unless ``user`` may do ``action`` to this post, then ValidationError
    unless the post is in a state for it."""
    refusal = WHO[action](user, post)
    if refusal is not None:
        raise PermissionDenied(str(refusal))
    refusal = WHEN[action](post)
    if refusal is not None:
        raise ValidationError(str(refusal))


def post_can(user: AnyUser, post: PublicityPost, action: str) -> bool:
    """Whether ``user`` may do ``action`` now: they may, and the post is in a state for it."""
    return WHEN[action](post) is None and post_may(user, post, action)


def post_actions(user: AnyUser, post: PublicityPost) -> dict[str, bool]:
    """For the detail page: every action name → shown or not."""
    return {action: post_can(user, post, action) for action in WHO}

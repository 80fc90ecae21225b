"""Who is told: the person on duty now (the roster), else the office head; escalation goes to the
office head, then the leader in charge (the director when the bureau has no leader in charge)."""

from dataclasses import dataclass
from datetime import datetime

from alerts.models import AlertRecipient
from assignments.selectors import on_duty_now
from bureau.models import Person, Role

Reason = AlertRecipient.Reason


@dataclass(frozen=True)
class Target:
    person: Person
    reason: str


def _active_with_login(people: list[Person]) -> list[Person]:
    seen: set[int] = set()
    kept = []
    for person in people:
        if person.is_active and person.user.is_active and person.pk not in seen:
            seen.add(person.pk)
            kept.append(person)
    return kept


def office_heads() -> list[Person]:
    return _active_with_login(list(Person.objects.filter(role=Role.OFFICE_HEAD).select_related("user")))


def leaders_in_charge() -> list[Person]:
    leaders = list(Person.objects.filter(role=Role.LEADER, is_active=True).select_related("user"))
    if not leaders:
        leaders = list(Person.objects.filter(role=Role.DIRECTOR, is_active=True).select_related("user"))
    return _active_with_login(leaders)


def first_recipients(*, now: datetime) -> list[Target]:
    """Whoever the roster has on duty at ``now``; nobody on duty → the office head(s)."""
    on_duty = _active_with_login(
        [assignment.person for assignment in on_duty_now(now=now).select_related("person__user")]
    )
    if on_duty:
        return [Target(person, Reason.ON_DUTY) for person in on_duty]
    return [Target(person, Reason.NOBODY_ON_DUTY) for person in office_heads()]


# Escalation step → (who, why). Step 1 after the first limit, step 2 after the second.
ESCALATION_STEPS = {
    1: (office_heads, Reason.ESCALATED_OFFICE_HEAD),
    2: (leaders_in_charge, Reason.ESCALATED_LEADER),
}
LAST_STEP = max(ESCALATION_STEPS)


def escalation_recipients(step: int) -> list[Target]:
    people, reason = ESCALATION_STEPS[step]
    return [Target(person, reason) for person in people()]

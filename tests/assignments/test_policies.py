"""Who may do what to a task handed down, a report upward and the roster: the services refuse with
PermissionDenied, and the pages offer exactly what the services accept."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assignments.models import CountyTask
from assignments.policies import county_task_actions, incident_report_actions
from assignments.services import (
    county_task_add_attachment,
    county_task_reassign,
    incident_follow_up_add,
    leave_declare,
    shift_assign,
)
from assignments.services.links import opinion_link_add
from bureau import clock
from tests.assignments.factories import CountyTaskFactory, IncidentReportFactory, ShiftFactory
from tests.opinions.factories import PostFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
State = CountyTask.State
NONE = {
    "note": False,
    "attach": False,
    "feedback": False,
    "link": False,
    "approve": False,
    "send_back": False,
    "close": False,
    "reassign": False,
}


def test_a_task_offers_each_person_what_the_services_accept(cast, travel):
    task = CountyTaskFactory(handler=cast["staff"])  # received, with its handler
    handler, leader, supervisor = cast["staff"].user, cast["leader"].user, cast["supervisor"].user
    assert county_task_actions(handler, task) == {**NONE, "note": True, "attach": True, "feedback": True, "link": True}
    assert county_task_actions(leader, task) == NONE  # approves, but there is nothing to approve yet
    assert county_task_actions(supervisor, task) == {
        **NONE,
        "note": True,
        "attach": True,
        "feedback": True,
        "link": True,
        "reassign": True,
    }
    task.state = State.FEEDBACK_SUBMITTED
    assert county_task_actions(leader, task) == {**NONE, "approve": True, "send_back": True}
    # While the feedback waits, the handler may still note progress and add files, not resubmit.
    assert county_task_actions(handler, task) == {**NONE, "note": True, "attach": True, "link": True}
    task.state = State.CLOSED
    assert county_task_actions(handler, task) == {**NONE, "link": True}


def test_only_a_supervisor_reassigns_a_task(cast, travel):
    task = CountyTaskFactory(handler=cast["staff"])
    with pytest.raises(PermissionDenied):
        county_task_reassign(task=task, handler=cast["director"], actor=cast["staff"].user)
    task.refresh_from_db()
    assert task.handler == cast["staff"]
    county_task_reassign(task=task, handler=cast["director"], actor=cast["supervisor"].user)
    task.refresh_from_db()
    assert task.handler == cast["director"]


def test_no_file_is_added_to_a_closed_task(cast, travel):
    task = CountyTaskFactory(handler=cast["staff"], state=State.CLOSED)
    with translation.override("zh-hans"), pytest.raises(ValidationError, match="该任务已办结，不能再添加文件。"):
        county_task_add_attachment(
            task=task, uploaded_file=SimpleUploadedFile("补充.pdf", PDF), actor=cast["supervisor"].user
        )
    assert not task.attachments.exists()


def test_linking_is_refused_by_the_service_to_whom_does_not_handle_the_task(cast, travel):
    task = CountyTaskFactory(handler=cast["supervisor"])
    with pytest.raises(PermissionDenied):
        opinion_link_add(target=task, actor=cast["staff"].user, post_id=PostFactory().pk)
    assert not task.posts.exists()


def test_only_the_office_adds_to_a_report_upward(cast, travel):
    report = IncidentReportFactory(reported_by=cast["supervisor"])
    assert incident_report_actions(cast["staff"].user, report) == {"follow_up": False, "link": False}
    assert incident_report_actions(cast["supervisor"].user, report) == {"follow_up": True, "link": True}
    with pytest.raises(PermissionDenied):
        incident_follow_up_add(report=report, body="续报", reported_at=clock.now(), actor=cast["staff"].user)
    assert not report.follow_ups.exists()


def test_only_the_office_head_changes_the_roster(cast, travel):
    shift = ShiftFactory(on=date(2026, 3, 3))
    with pytest.raises(PermissionDenied):
        shift_assign(shift=shift, person=cast["staff"], actor=cast["staff"].user)
    with pytest.raises(PermissionDenied):
        leave_declare(
            person=cast["staff"], starts_on=date(2026, 3, 9), ends_on=date(2026, 3, 9), actor=cast["staff"].user
        )
    assert not shift.assignments.exists()


def test_the_task_page_shows_the_approval_only_when_there_is_feedback(client_as, cast, travel):
    task = CountyTaskFactory(handler=cast["staff"])
    url = reverse("assignments:task-detail", args=[task.pk])
    approve = reverse("assignments:task-approve", args=[task.pk])
    assert approve not in client_as("leader").get(url).content.decode()
    CountyTask.objects.filter(pk=task.pk).update(state=State.FEEDBACK_SUBMITTED, feedback="已整改")
    assert approve in client_as("leader").get(url).content.decode()
    assert approve not in client_as("staff").get(url).content.decode()


def test_the_shift_page_offers_sign_in_only_on_ones_own_line(client_as, cast, travel):
    from tests.assignments.factories import ShiftAssignmentFactory

    shift = ShiftFactory(on=date(2026, 3, 2))  # today's day shift, under way at 09:00
    mine = ShiftAssignmentFactory(shift=shift, person=cast["staff"])
    theirs = ShiftAssignmentFactory(shift=shift)
    page = client_as("staff").get(shift.get_absolute_url()).content.decode()
    assert reverse("assignments:sign-in", args=[mine.pk]) in page
    assert reverse("assignments:sign-in", args=[theirs.pk]) not in page
    # The office head changes the roster but signs in for nobody.
    page = client_as("supervisor").get(shift.get_absolute_url()).content.decode()
    assert reverse("assignments:sign-in", args=[mine.pk]) not in page
    assert reverse("assignments:shift-unassign", args=[mine.pk]) in page


def test_a_planned_roster_is_saved_only_by_the_office_head(cast, travel):
    from assignments.services import roster_save

    shift_type = ShiftFactory(on=date(2026, 3, 3)).shift_type
    plan = {"start": "2026-03-09", "end": "2026-03-09", "slots": [["2026-03-09", shift_type.pk, [cast["staff"].pk]]]}
    with pytest.raises(PermissionDenied):
        roster_save(data=plan, actor=cast["staff"].user)
    assert roster_save(data=plan, actor=cast["supervisor"].user) == 1  # the one slot of the plan

"""Tasks handed down: lifecycle, attachments, overdue sweep; reports upward."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from archive.models import ArchiveRecord
from assignments.models import CountyTask
from assignments.selectors import county_task_figures
from assignments.services import (
    county_task_add_attachment,
    county_task_add_note,
    county_task_approve_feedback,
    county_task_close,
    county_task_register,
    county_task_return_feedback,
    county_task_submit_feedback,
    county_tasks_flag_overdue,
    incident_follow_up_add,
    incident_report_create,
)
from bureau import clock
from bureau.models import Notification
from tests.assignments.factories import CountyTaskFactory, ResponsePlanFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
State = CountyTask.State


@pytest.fixture
def task(travel, cast):
    return county_task_register(
        actor=cast["supervisor"].user,
        kind=CountyTask.Kind.SPECIAL_REPORT,
        reference="县网宣专〔2026〕7号",
        title="关于网民反映景区收费问题的舆情专报",
        issued_by="县委宣传部",
        received_at=clock.now(),
        content="请核实情况，于48小时内反馈处置结果。",
        due_at=clock.now() + timedelta(hours=48),
        handler=cast["staff"],
    )


def test_register_tells_the_handler_and_is_recorded(task, cast):
    assert task.state == State.RECEIVED
    assert Notification.objects.filter(recipient=cast["staff"].user, kind="assignments.task_assigned").exists()
    assert ArchiveRecord.objects.filter(action="assignments.countytask.received", target_id=str(task.pk)).exists()


def test_duplicate_reference_and_deadline_before_receipt_are_refused(task, cast):
    with pytest.raises(ValidationError):
        county_task_register(
            actor=cast["supervisor"].user,
            kind="other",
            reference=task.reference,
            title="x",
            issued_by="县委宣传部",
            received_at=clock.now(),
            content="x",
            due_at=clock.now() + timedelta(hours=1),
            handler=cast["staff"],
        )
    with pytest.raises(ValidationError):
        county_task_register(
            actor=cast["supervisor"].user,
            kind="other",
            reference="another",
            title="x",
            issued_by="县委宣传部",
            received_at=clock.now(),
            content="x",
            due_at=clock.now() - timedelta(hours=1),
            handler=cast["staff"],
        )


def test_full_lifecycle_received_to_closed(task, cast, travel):
    staff, leader, supervisor = cast["staff"].user, cast["leader"].user, cast["supervisor"].user
    county_task_add_note(task=task, body="已联系景区管理处核实。", actor=staff)
    task.refresh_from_db()
    assert task.state == State.IN_PROGRESS
    county_task_submit_feedback(task=task, feedback="经核实，景区收费符合物价部门批复，已在官网发布说明。", actor=staff)
    task.refresh_from_db()
    assert task.state == State.FEEDBACK_SUBMITTED
    assert Notification.objects.filter(recipient=leader, kind="assignments.feedback_to_approve").exists()
    with pytest.raises(PermissionDenied):
        county_task_approve_feedback(task=task, actor=staff)  # only a leader in charge
    with pytest.raises(ValidationError):
        county_task_close(task=task, actor=supervisor)  # not approved yet
    travel.shift(timedelta(hours=3))
    county_task_approve_feedback(task=task, actor=leader)
    task.refresh_from_db()
    assert task.state == State.FEEDBACK_APPROVED
    assert task.feedback_approved_by == cast["leader"]
    assert task.was_on_time is True
    county_task_close(task=task, actor=supervisor)
    task.refresh_from_db()
    assert task.state == State.CLOSED
    actions = set(ArchiveRecord.objects.filter(target_id=str(task.pk)).values_list("action", flat=True))
    assert {
        "assignments.countytask.progressed",
        "assignments.countytask.feedback_submitted",
        "assignments.countytask.feedback_approved",
        "assignments.countytask.closed",
    } <= actions


def test_feedback_sent_back_returns_to_progress(task, cast):
    county_task_submit_feedback(task=task, feedback="初稿", actor=cast["staff"].user)
    county_task_return_feedback(task=task, reason="请补充整改措施。", actor=cast["leader"].user)
    task.refresh_from_db()
    assert task.state == State.IN_PROGRESS
    assert task.notes.filter(body="请补充整改措施。").exists()


def test_a_leader_who_handles_a_task_does_not_approve_its_feedback(travel, cast):
    """Four eyes: the task is handed to a leader, who writes the feedback; another leader approves."""
    own = county_task_register(
        actor=cast["supervisor"].user,
        kind=CountyTask.Kind.SPECIAL_REPORT,
        reference="县网宣专〔2026〕8号",
        title="关于网民反映停车收费的舆情专报",
        issued_by="县委宣传部",
        received_at=clock.now(),
        content="请核实情况。",
        due_at=clock.now() + timedelta(hours=48),
        handler=cast["leader"],
    )
    county_task_submit_feedback(task=own, feedback="已核实整改。", actor=cast["leader"].user)

    with pytest.raises(PermissionDenied, match="不能审批自己承办的工作"):
        county_task_approve_feedback(task=own, actor=cast["leader"].user)
    with pytest.raises(PermissionDenied, match="不能审批自己承办的工作"):
        county_task_return_feedback(task=own, reason="自己退回", actor=cast["leader"].user)
    county_task_approve_feedback(task=own, actor=cast["director"].user)
    own.refresh_from_db()
    assert own.feedback_approved_by == cast["director"]


def test_someone_else_cannot_handle_the_task(task, cast):
    from tests.factories import PersonFactory

    other = PersonFactory(user__password=None)
    with pytest.raises(PermissionDenied):
        county_task_add_note(task=task, body="x", actor=other.user)
    with pytest.raises(PermissionDenied):
        county_task_submit_feedback(task=task, feedback="x", actor=other.user)


def test_overdue_sweep_flags_once_and_notifies(task, cast, travel):
    travel.shift(timedelta(hours=48, seconds=-1))
    assert county_tasks_flag_overdue() == 0
    travel.shift(timedelta(seconds=2))
    assert county_tasks_flag_overdue() == 1
    assert county_tasks_flag_overdue() == 0
    notices = Notification.objects.filter(kind="assignments.task_overdue")
    assert set(notices.values_list("recipient", flat=True)) == {cast["staff"].user.pk, cast["supervisor"].user.pk}
    assert notices.count() == 2


def test_approved_feedback_is_never_overdue(task, cast, travel):
    county_task_submit_feedback(task=task, feedback="已处置", actor=cast["staff"].user)
    county_task_approve_feedback(task=task, actor=cast["leader"].user)
    travel.shift(timedelta(days=5))
    assert county_tasks_flag_overdue() == 0


def test_figures_count_types_on_time_and_overdue(travel, cast):
    now = clock.now()
    CountyTaskFactory(kind=CountyTask.Kind.SPECIAL_REPORT, received_at=now - timedelta(days=10))
    late = CountyTaskFactory(received_at=now - timedelta(days=10))
    on_time = CountyTaskFactory(received_at=now - timedelta(days=1))
    CountyTask.objects.filter(pk=on_time.pk).update(feedback_approved_at=now, state=State.FEEDBACK_APPROVED)
    CountyTask.objects.filter(pk=late.pk).update(feedback_approved_at=now, state=State.FEEDBACK_APPROVED)
    start, end = clock.year_span(2026)
    figures = county_task_figures(start=start, end=end)
    assert figures["received"] == 3
    assert figures["special_reports"] == 1
    assert figures["handled"] == 2
    assert figures["on_time"] == 1
    assert figures["overdue"] == 1


# --- Attachments --------------------------------------------------------------------------------


def test_attachment_is_stored_under_a_random_name(task, cast, settings):
    upload = SimpleUploadedFile("../../etc/县委通知.pdf", PDF)
    attachment = county_task_add_attachment(task=task, uploaded_file=upload, actor=cast["staff"].user)
    assert attachment.original_name == "县委通知.pdf"
    assert attachment.kind == "pdf"
    assert attachment.file.name.startswith("uploads/assignments/2026/")
    assert "县委" not in attachment.file.name
    assert ".." not in attachment.file.name
    assert (settings.MEDIA_ROOT / attachment.file.name).exists()


def test_attachment_with_a_wrong_type_is_refused(task, cast):
    with pytest.raises(ValidationError) as error:
        county_task_add_attachment(
            task=task, uploaded_file=SimpleUploadedFile("通知.pdf", b"MZ\x90\x00 not a pdf"), actor=cast["staff"].user
        )
    assert error.value.code == "bad_type"
    assert not task.attachments.exists()


def test_oversized_attachment_is_refused(task, cast):
    with pytest.raises(ValidationError) as error:
        county_task_add_attachment(
            task=task,
            uploaded_file=SimpleUploadedFile("大.pdf", PDF + b"0" * 2048),
            actor=cast["staff"].user,
            max_bytes=1024,
        )
    assert error.value.code == "too_large"


# --- Reports upward -----------------------------------------------------------------------------


def test_report_upward_with_follow_up(travel, cast):
    plan = ResponsePlanFactory()
    report = incident_report_create(
        actor=cast["supervisor"].user,
        title="网民集中反映演出票价问题",
        level="serious",
        summary="多个论坛出现相关帖子，转发量较大。",
        measures="已约谈演出主办方并在官网说明。",
        reported_to="县委宣传部",
        reported_at=clock.now(),
        response_plan=plan,
    )
    assert report.reported_by == cast["supervisor"]
    travel.shift(timedelta(hours=5))
    incident_follow_up_add(
        report=report, body="主办方已调整票价，舆情平息。", reported_at=clock.now(), actor=cast["supervisor"].user
    )
    assert report.follow_ups.count() == 1
    with pytest.raises(ValidationError):
        incident_follow_up_add(
            report=report, body="x", reported_at=clock.now() + timedelta(hours=1), actor=cast["supervisor"].user
        )
    assert ArchiveRecord.objects.filter(action="assignments.incidentreport.followed_up").count() == 1


def test_a_task_is_overdue_on_the_row_exactly_when_the_queryset_says_so(cast, travel):
    task = CountyTaskFactory(handler=cast["staff"], due_at=clock.now())
    for offset, overdue in [(timedelta(seconds=-1), False), (timedelta(0), False), (timedelta(seconds=1), True)]:
        at = task.due_at + offset
        assert task.is_overdue_at(at) is overdue, offset
        assert CountyTask.objects.overdue(at=at).filter(pk=task.pk).exists() is overdue, offset


def test_each_step_of_a_task_is_archived_with_its_state_either_side(cast, travel):
    task = CountyTaskFactory(handler=cast["staff"])
    county_task_add_note(task=task, body="已核查", actor=cast["staff"].user)
    county_task_submit_feedback(task=task, feedback="已整改", actor=cast["staff"].user)
    county_task_return_feedback(task=task, reason="请补充整改照片", actor=cast["leader"].user)
    county_task_submit_feedback(task=task, feedback="已整改，附照片", actor=cast["staff"].user)
    county_task_approve_feedback(task=task, actor=cast["leader"].user)  # at 09:00, due two days later
    county_task_close(task=task, actor=cast["supervisor"].user)
    records = ArchiveRecord.objects.filter(target_id=str(task.pk), action__startswith="assignments.countytask.")
    steps = [(r.action.rsplit(".", 1)[1], r.before, r.after) for r in records.order_by("pk")]
    assert steps[1:] == [
        ("feedback_submitted", {"state": "in_progress"}, {"state": "feedback_submitted", "feedback": "已整改"}),
        ("feedback_returned", {"state": "feedback_submitted"}, {"state": "in_progress"}),
        (
            "feedback_submitted",
            {"state": "in_progress"},
            {"state": "feedback_submitted", "feedback": "已整改，附照片"},
        ),
        ("feedback_approved", {"state": "feedback_submitted"}, {"state": "feedback_approved", "on_time": True}),
        ("closed", {"state": "feedback_approved"}, {"state": "closed"}),
    ]
    assert steps[0][0] == "progressed"

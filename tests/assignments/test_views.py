"""Pages: permissions, scoping (404), the service's effect, constant query counts."""

from datetime import date, timedelta

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assignments.models import CountyTask, HandoverNote, ShiftAssignment, TaskAttachment
from assignments.services import county_task_add_attachment
from bureau import clock
from tests.assignments.factories import (
    CountyTaskFactory,
    IncidentReportFactory,
    NightShiftTypeFactory,
    ShiftAssignmentFactory,
    ShiftFactory,
    ShiftTypeFactory,
    people,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.mark.parametrize(
    "name",
    [
        "assignments:duty",
        "assignments:now",
        "assignments:week",
        "assignments:month",
        "assignments:task-list",
        "assignments:report-list",
        "assignments:plan-list",
    ],
)
def test_every_role_sees_the_duty_pages_and_the_outsider_does_not(client_as, name, travel):
    assert client_as("staff").get(reverse(name)).status_code == 200
    assert client_as("outsider").get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", ["assignments:roster", "assignments:leave", "assignments:gaps", "assignments:swap"])
def test_roster_management_is_for_supervisors(client_as, name, travel):
    assert client_as("supervisor").get(reverse(name)).status_code == 200
    assert client_as("staff").get(reverse(name)).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("assignments:duty"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_staff_signs_in_from_the_duty_page(client_as, cast, travel):
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(on=date(2026, 3, 2)), person=cast["staff"])
    client = client_as("staff")
    page = client.get(reverse("assignments:duty")).content.decode()
    assert reverse("assignments:sign-in", args=[assignment.pk]) in page
    response = client.post(reverse("assignments:sign-in", args=[assignment.pk]), REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.signed_in_at == clock.now()
    assert assignment.sign_in_ip == "192.0.2.7"


def test_nobody_can_sign_in_for_another_by_url(client_as, cast, travel):
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(on=date(2026, 3, 2)))
    assert client_as("staff").post(reverse("assignments:sign-in", args=[assignment.pk])).status_code == 404
    assignment.refresh_from_db()
    assert assignment.signed_in_at is None


def test_handover_note_from_the_shift_page(client_as, cast, travel):
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(on=date(2026, 3, 2)), person=cast["staff"])
    client = client_as("staff")
    client.post(
        reverse("assignments:handover-create", args=[assignment.shift.pk]), {"body": "县长信箱有两封来信待回复。"}
    )
    assert HandoverNote.objects.get().body == "县长信箱有两封来信待回复。"
    night = ShiftAssignmentFactory(shift=ShiftFactory(shift_type=NightShiftTypeFactory(), on=date(2026, 3, 2)))
    travel.shift(timedelta(hours=8, minutes=20))
    client.force_login(night.person.user)
    page = client.get(reverse("assignments:duty")).content.decode()
    assert "县长信箱有两封来信待回复。" in page
    assert page.index("handover-for-me") < page.index("on-duty")


def test_roster_plan_is_reviewed_then_saved(client_as, travel):
    team = people(4)
    day, night = ShiftTypeFactory(), NightShiftTypeFactory()
    client = client_as("supervisor")
    params = {
        "start": "2026-03-09",
        "end": "2026-03-15",
        "shift_types": [day.pk, night.pk],
        "people": [p.pk for p in team],
    }
    response = client.get(reverse("assignments:roster"), params)
    assert response.status_code == 200
    assert ShiftAssignment.objects.count() == 0  # nothing saved by the review
    signed = response.context["signed_plan"]
    response = client.post(reverse("assignments:roster"), {"plan": signed})
    assert response.status_code == 302
    assert ShiftAssignment.objects.count() == 14
    tampered = signing.dumps({"start": "2026-03-16", "end": "2026-03-16", "slots": []}, salt="other")
    client.post(reverse("assignments:roster"), {"plan": tampered})
    assert ShiftAssignment.objects.count() == 14


def test_week_and_month_queries_do_not_grow(client_as, travel):
    day, night = ShiftTypeFactory(), NightShiftTypeFactory()
    team = people(3)
    client = client_as("staff")

    def fill(first: date, days: int):
        for n in range(days):
            for shift_type in (day, night):
                shift = ShiftFactory(shift_type=shift_type, on=first + timedelta(days=n))
                for person in team[: 1 + n % 3]:
                    ShiftAssignmentFactory(shift=shift, person=person)

    fill(date(2026, 3, 2), 1)
    with CaptureQueriesContext(connection) as small_week:
        client.get(reverse("assignments:week"))
    with CaptureQueriesContext(connection) as small_month:
        client.get(reverse("assignments:month"))
    fill(date(2026, 3, 3), 28)
    with CaptureQueriesContext(connection) as large_week:
        client.get(reverse("assignments:week"))
    with CaptureQueriesContext(connection) as large_month:
        client.get(reverse("assignments:month"))
    assert len(large_week) == len(small_week)
    assert len(large_month) == len(small_month)


def test_task_list_queries_do_not_grow(client_as, travel):
    client, url = client_as("supervisor"), reverse("assignments:task-list")
    CountyTaskFactory.create_batch(10)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    CountyTaskFactory.create_batch(40)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_staff_sees_only_their_own_tasks(client_as, cast, travel):
    mine = CountyTaskFactory(handler=cast["staff"])
    other = CountyTaskFactory()
    client = client_as("staff")
    page = client.get(reverse("assignments:task-list")).content.decode()
    assert mine.title in page
    assert other.title not in page
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client_as("leader").get(other.get_absolute_url()).status_code == 200


def test_attachment_cannot_be_fetched_by_someone_who_may_not_see_the_task(client_as, cast, travel):
    task = CountyTaskFactory()
    attachment = county_task_add_attachment(
        task=task, uploaded_file=SimpleUploadedFile("专报.pdf", PDF), actor=cast["supervisor"].user
    )
    url = attachment.get_absolute_url()
    assert client_as("staff").get(url).status_code == 404  # not their task
    assert client_as("outsider").get(url).status_code == 403
    response = client_as("supervisor").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    task.handler = cast["staff"]
    task.save()
    assert client_as("staff").get(url).status_code == 200


def test_upload_through_the_page_checks_type_and_name(client_as, cast, travel):
    task = CountyTaskFactory(handler=cast["staff"])
    client = client_as("staff")
    url = reverse("assignments:task-attach", args=[task.pk])
    client.post(url, {"file": SimpleUploadedFile("evil.pdf", b"<html><script>alert(1)</script>")})
    assert not TaskAttachment.objects.exists()
    client.post(url, {"file": SimpleUploadedFile("..\\..\\windows\\报告.pdf", PDF)})
    attachment = TaskAttachment.objects.get()
    assert attachment.original_name == "报告.pdf"


def test_oversized_upload_through_the_page_is_refused(client_as, cast, travel, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    task = CountyTaskFactory(handler=cast["staff"])
    response = client_as("staff").post(
        reverse("assignments:task-attach", args=[task.pk]),
        {"file": SimpleUploadedFile("大文件.pdf", PDF + b"0" * 4096)},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert not TaskAttachment.objects.exists()
    assert "The file is too large" in response.content.decode()


def test_register_a_task_with_its_file(client_as, cast, travel):
    client = client_as("supervisor")
    response = client.post(
        reverse("assignments:task-create"),
        {
            "kind": "assignment",
            "reference": "县网宣交〔2026〕12号",
            "title": "关于网吧接纳未成年人的舆情交办",
            "issued_by": "县委宣传部",
            "received_at": "2026-03-02T08:30",
            "content": "请核查并反馈。",
            "due_at": "2026-03-04T08:30",
            "handler": cast["staff"].pk,
            "attachment": SimpleUploadedFile("交办单.pdf", PDF),
        },
    )
    assert response.status_code == 302
    task = CountyTask.objects.get()
    assert task.attachments.count() == 1
    assert client_as("staff").get(reverse("assignments:task-print", args=[task.pk])).status_code == 200
    assert client_as("staff").post(reverse("assignments:task-create"), {}).status_code == 403


def test_task_actions_through_the_pages(client_as, cast, travel):
    task = CountyTaskFactory(handler=cast["staff"])
    staff, leader, supervisor = client_as("staff"), client_as("leader"), client_as("supervisor")
    staff.post(reverse("assignments:task-note", args=[task.pk]), {"body": "已核查"})
    staff.post(reverse("assignments:task-feedback", args=[task.pk]), {"feedback": "已责令整改"})
    assert staff.post(reverse("assignments:task-approve", args=[task.pk])).status_code == 403
    leader.post(reverse("assignments:task-approve", args=[task.pk]))
    supervisor.post(reverse("assignments:task-close", args=[task.pk]))
    task.refresh_from_db()
    assert task.state == CountyTask.State.CLOSED
    page = staff.get(reverse("assignments:task-print", args=[task.pk])).content.decode()
    assert "已责令整改" in page


def test_reports_pages(client_as, cast, travel):
    report = IncidentReportFactory()
    assert client_as("staff").get(report.get_absolute_url()).status_code == 200
    assert client_as("staff").get(reverse("assignments:report-print", args=[report.pk])).status_code == 200
    assert client_as("outsider").get(report.get_absolute_url()).status_code == 403
    client = client_as("supervisor")
    response = client.post(
        reverse("assignments:report-follow-up", args=[report.pk]),
        {"body": "舆情已平息", "reported_at": "2026-03-02T09:00"},
    )
    assert response.status_code == 302
    assert report.follow_ups.count() == 1
    assert client_as("staff").post(reverse("assignments:report-follow-up", args=[report.pk]), {}).status_code == 403


def test_figures_page(client_as, travel):
    ShiftAssignmentFactory(shift=ShiftFactory(on=date(2026, 3, 1)))
    response = client_as("leader").get(reverse("assignments:figures"), {"year": 2026})
    assert response.status_code == 200
    assert response.context["duty"].missed == 1


def test_home_page_shows_who_is_on_duty(client_as, cast, travel):
    ShiftAssignmentFactory(shift=ShiftFactory(on=date(2026, 3, 2)), person=cast["staff"])
    page = client_as("leader").get(reverse("home")).content.decode()
    assert "duty-panel" in page
    assert cast["staff"].phone in page


def test_task_list_filters(client_as, travel):
    # Overdue = open and past its deadline, whether or not the sweep has flagged it yet.
    CountyTaskFactory(title="逾期的交办", received_at=clock.now() - timedelta(days=3))
    CountyTaskFactory(title="到期的交办", due_at=clock.now())  # exactly at its deadline: not yet overdue
    approved = CountyTaskFactory(title="已批的交办", received_at=clock.now() - timedelta(days=3))
    CountyTask.objects.filter(pk=approved.pk).update(
        state=CountyTask.State.FEEDBACK_APPROVED, feedback_approved_at=clock.now(), overdue_at=clock.now()
    )
    CountyTaskFactory(title="按时的交办", kind=CountyTask.Kind.SPECIAL_REPORT)
    client = client_as("supervisor")
    page = client.get(reverse("assignments:task-list"), {"state": "overdue"}).content.decode()
    assert "逾期的交办" in page
    assert "按时的交办" not in page
    assert "到期的交办" not in page
    assert "已批的交办" not in page
    page = client.get(reverse("assignments:task-list"), {"kind": "special_report", "year": "2026"}).content.decode()
    assert "按时的交办" in page
    assert "逾期的交办" not in page
    assert client.get(reverse("assignments:task-list"), {"year": "abc", "state": "bogus"}).status_code == 200


def test_figures_export_has_the_same_numbers_as_the_page(client_as, travel):
    import io

    from openpyxl import load_workbook

    ShiftAssignmentFactory(shift=ShiftFactory(on=date(2026, 3, 1)))
    client = client_as("leader")
    page = client.get(reverse("assignments:figures"), {"year": 2026}).context["duty"]
    response = client.get(reverse("assignments:figures-export"), {"year": 2026})
    assert response.status_code == 200
    workbook = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    )
    year_row = [row for row in workbook.worksheets[0].iter_rows(values_only=True) if row[0] == "2026"][0]
    assert list(year_row[1:]) == [page.shifts, page.understaffed_shifts, page.on_time, page.late, page.missed]
    assert client_as("staff").get(reverse("assignments:figures-export")).status_code == 403


def test_swap_and_leave_through_the_pages(client_as, cast, travel):
    first = ShiftAssignmentFactory(shift=ShiftFactory(on=date(2026, 3, 5)))
    second = ShiftAssignmentFactory(shift=ShiftFactory(shift_type=NightShiftTypeFactory(), on=date(2026, 3, 6)))
    a, b = first.person, second.person
    client = client_as("supervisor")
    response = client.post(reverse("assignments:swap"), {"first": first.pk, "second": second.pk})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.person == b
    assert (
        client_as("staff").post(reverse("assignments:swap"), {"first": first.pk, "second": second.pk}).status_code
        == 403
    )
    response = client.post(
        reverse("assignments:leave"),
        {"person": a.pk, "starts_on": "2026-03-10", "ends_on": "2026-03-12", "reason": "年休假"},
    )
    assert response.status_code == 302
    assert a.leaves.get().reason == "年休假"
    response = client.post(
        reverse("assignments:leave"), {"person": a.pk, "starts_on": "2026-03-12", "ends_on": "2026-03-10"}
    )
    assert response.status_code == 200  # the page shows the error
    assert a.leaves.count() == 1


def test_feedback_submitted_twice_shows_the_task_page_with_what_was_typed(client_as, cast, travel):
    task = CountyTaskFactory(handler=cast["staff"])
    client = client_as("staff")
    client.post(reverse("assignments:task-feedback", args=[task.pk]), {"feedback": "已责令整改"})
    # A second tab still showed the form: its text must not be lost when it is refused.
    response = client.post(reverse("assignments:task-feedback", args=[task.pk]), {"feedback": "第二稿：已整改到位"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<li>该任务已提交反馈。</li>" in page
    assert "第二稿：已整改到位</textarea>" in page
    task.refresh_from_db()
    assert task.feedback == "已责令整改"


def test_a_task_registered_with_a_refused_file_is_not_registered(client_as, cast, travel):
    response = client_as("supervisor").post(
        reverse("assignments:task-create"),
        {
            "kind": "assignment",
            "reference": "县网宣交〔2026〕13号",
            "title": "关于景区票价的舆情交办",
            "issued_by": "县委宣传部",
            "received_at": "2026-03-02T08:30",
            "content": "请核查并反馈。",
            "due_at": "2026-03-04T08:30",
            "handler": cast["staff"].pk,
            "attachment": SimpleUploadedFile("交办单.pdf", b"<html><script>alert(1)</script>"),
        },
    )
    assert response.status_code == 200
    assert not CountyTask.objects.exists()
    form = response.context["form"]
    assert list(form.errors) == ["attachment"]  # on the file, not the whole form
    assert 'value="县网宣交〔2026〕13号"' in response.content.decode()


def test_a_follow_up_in_the_future_keeps_what_was_typed(client_as, cast, travel):
    report = IncidentReportFactory(reported_by=cast["supervisor"])
    # The clock stands at 2026-03-02 09:00; 10:00 is an hour ahead.
    response = client_as("supervisor").post(
        reverse("assignments:report-follow-up", args=[report.pk]),
        {"body": "涉事商家已停业整顿。", "reported_at": "2026-03-02T10:00"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<li>上报时间不能晚于当前时间。</li>" in page
    assert "涉事商家已停业整顿。</textarea>" in page
    assert not report.follow_ups.exists()


def test_signing_in_twice_shows_why(client_as, cast, travel):
    assignment = ShiftAssignmentFactory(shift=ShiftFactory(on=date(2026, 3, 2)), person=cast["staff"])
    client = client_as("staff")
    assert client.post(reverse("assignments:sign-in", args=[assignment.pk])).status_code == 302
    response = client.post(reverse("assignments:sign-in", args=[assignment.pk]))
    assert response.status_code == 200
    assert "<li>您已在本班次签到。</li>" in response.content.decode()


def test_the_overdue_badge_follows_the_clock_not_the_sweep(client_as, cast, travel):
    # The clock stands at 2026-03-02 09:00:00; the feedback is due one second later.
    task = CountyTaskFactory(handler=cast["staff"], due_at=clock.now() + timedelta(seconds=1))
    client = client_as("staff")
    detail, listing = task.get_absolute_url(), reverse("assignments:task-list")
    assert 'data-testid="task-overdue"' not in client.get(detail).content.decode()
    travel.shift(timedelta(seconds=1))  # exactly at the deadline: not overdue yet
    assert 'data-testid="task-overdue"' not in client.get(detail).content.decode()
    travel.shift(timedelta(seconds=1))  # one second past it, and no sweep has run
    task.refresh_from_db()
    assert task.overdue_at is None
    assert client.get(detail).content.decode().count('data-testid="task-overdue"') == 1
    assert client.get(listing).content.decode().count('data-testid="task-overdue"') == 1
    # Once the feedback is approved the task is no longer open: no badge, though the sweep flagged it.
    CountyTask.objects.filter(pk=task.pk).update(
        overdue_at=clock.now(), state=CountyTask.State.FEEDBACK_APPROVED, feedback_approved_at=clock.now()
    )
    assert 'data-testid="task-overdue"' not in client.get(detail).content.decode()
    assert 'data-testid="task-overdue"' not in client.get(listing).content.decode()

"""Tasks handed down and reports upward are linked to the posts and demands they concern."""

import pytest
from django.urls import reverse
from django.utils import translation

from archive.models import ArchiveRecord
from assignments.services.links import opinion_link_add, opinion_link_remove
from tests.assignments.factories import CountyTaskFactory, IncidentReportFactory
from tests.factories import SectionFactory
from tests.opinions.factories import ChannelFactory, DemandFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def test_a_supervisor_links_a_post_and_a_demand_to_a_task_and_the_archive_records_it(cast):
    task = CountyTaskFactory(handler=cast["staff"])
    post, demand = PostFactory(), DemandFactory()
    opinion_link_add(target=task, actor=cast["supervisor"].user, post_id=post.pk, demand_id=demand.pk)
    opinion_link_add(target=task, actor=cast["supervisor"].user, post_id=post.pk)  # twice: still one link
    assert list(task.posts.all()) == [post]
    assert list(task.demands.all()) == [demand]
    record = ArchiveRecord.objects.filter(action="assignments.countytask.linked").first()
    assert record.after == {"posts": [post.pk], "demands": [demand.pk]}
    opinion_link_remove(target=task, actor=cast["supervisor"].user, demand_id=demand.pk)
    assert not task.demands.exists()
    assert ArchiveRecord.objects.filter(action="assignments.countytask.unlinked").exists()


def test_staff_cannot_link_a_demand_they_may_not_see(cast):
    from django.core.exceptions import ValidationError

    task = CountyTaskFactory(handler=cast["staff"])
    someone_elses = DemandFactory(channel=ChannelFactory(section=SectionFactory(owner=cast["supervisor"])))
    with pytest.raises(ValidationError, match="may not see"):
        opinion_link_add(target=task, actor=cast["staff"].user, demand_id=someone_elses.pk)
    assert not task.demands.exists()


def test_the_task_page_links_and_shows_a_post(client_as, cast):
    task = CountyTaskFactory(handler=cast["staff"])
    post = PostFactory(title="网吧违规接纳未成年人")
    client = client_as("supervisor")
    page = client.get(task.get_absolute_url()).content.decode()
    assert f'value="{post.pk}"' in page  # offered in the link form
    response = client.post(reverse("assignments:task-links", args=[task.pk]), {"post": post.pk, "demand": ""})
    assert response.status_code == 302
    assert "网吧违规接纳未成年人" in client.get(task.get_absolute_url()).content.decode()
    assert list(task.posts.all()) == [post]


def test_a_staff_member_who_does_not_handle_the_task_cannot_link(client_as, cast):
    task = CountyTaskFactory(handler=cast["supervisor"])
    post = PostFactory()
    response = client_as("staff").post(reverse("assignments:task-links", args=[task.pk]), {"post": post.pk})
    assert response.status_code == 404  # staff see only their own tasks: this one is not there for them
    assert not task.posts.exists()


def test_a_report_upward_links_a_demand_from_its_page(client_as, cast):
    report = IncidentReportFactory(reported_by=cast["supervisor"])
    demand = DemandFactory(subject="景区门票价格投诉")
    client = client_as("supervisor")
    client.post(reverse("assignments:report-links", args=[report.pk]), {"post": "", "demand": demand.pk})
    assert list(report.demands.all()) == [demand]
    assert "景区门票价格投诉" in client.get(report.get_absolute_url()).content.decode()
    client.post(reverse("assignments:report-links", args=[report.pk]), {"unlink_demand": demand.pk})
    assert not report.demands.exists()


def test_an_empty_link_form_is_refused_with_a_message(client_as, cast):
    task = CountyTaskFactory(handler=cast["staff"])
    client = client_as("staff")
    response = client.post(
        reverse("assignments:task-links", args=[task.pk]),
        {"post": "", "demand": ""},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Choose a post or a demand" in response.content.decode()
    assert not task.posts.exists()

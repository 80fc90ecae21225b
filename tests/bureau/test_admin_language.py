"""The admin in the user's language: a language switch beside "Log out", and the periodic jobs the
migrations seed listed by their Chinese names."""

import pytest
from django.utils import translation
from django.utils.translation import gettext
from django_celery_beat.models import IntervalSchedule, PeriodicTask

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/django_celery_beat/periodictask/"


def test_the_admin_has_a_language_switch_posting_to_set_language(client_as):
    response = client_as("admin").get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="language-form"' in body
    assert 'action="/i18n/setlang/"' in body
    assert 'name="language" value="en"' in body  # from Chinese, the switch offers English
    assert 'name="next" value="/admin/"' in body


def test_the_admin_switch_changes_the_language_and_comes_back(client_as):
    client = client_as("admin")
    response = client.post("/i18n/setlang/", {"language": "en", "next": CHANGELIST}, follow=True)
    assert response.redirect_chain[-1][0] == CHANGELIST
    assert "Warn, flag and escalate demand deadlines" in response.content.decode()
    assert 'name="language" value="zh-hans"' in response.content.decode()  # the way back
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": CHANGELIST}, follow=True)
    assert "诉求期限提醒、超期标记与逐级督办" in response.content.decode()


def test_the_periodic_jobs_read_chinese_in_the_chinese_admin(client_as):
    body = client_as("admin").get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    # Three of the twelve seeded jobs, by the Chinese written for them in the catalogue.
    assert "诉求期限提醒、超期标记与逐级督办" in body
    assert "校验档案哈希链" in body
    assert "发送待发的通知邮件" in body
    assert "Warn, flag and escalate demand deadlines" not in body
    assert "Send pending notification e-mails" not in body


def test_every_seeded_periodic_job_has_a_chinese_name_and_description():
    jobs = list(PeriodicTask.objects.values_list("name", "description"))
    # Twelve seeded today (counted in the migrations' job tables); a job added later is checked too.
    assert len(jobs) >= 12
    with translation.override("zh-hans"):
        untranslated = [text for job in jobs for text in job if gettext(text) == text]
    assert untranslated == [], "add these to PERIODIC_JOB_TEXTS in bureau/admin.py and their Chinese to the catalogue"


def test_a_job_an_administrator_names_shows_as_typed(client_as):
    every_minute = IntervalSchedule.objects.first()
    task = "bureau.tasks.notifications_send_pending_task"
    PeriodicTask.objects.create(name="自定义巡检", task=task, interval=every_minute)
    body = client_as("admin").get(CHANGELIST, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "自定义巡检" in body

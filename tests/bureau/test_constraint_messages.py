"""Every rule the database keeps that a person can break from a form or the admin reads as a
sentence, never as Django's "Constraint “publicity_quota_unique_bureau” is violated"."""

import pytest
from django.apps import apps
from django.db import models

from bureau.models import Department
from publicity.models import PublicityQuota

OURS = ("bureau", "archive", "opinions", "publicity", "assignments", "events", "alerts", "reports")


def _constraints_that_would_show_their_name():
    for model in apps.get_models():
        if model._meta.app_label not in OURS:
            continue
        for constraint in model._meta.constraints:
            # An unconditional UniqueConstraint on fields gets Django's own "… already exists".
            plain_unique = (
                isinstance(constraint, models.UniqueConstraint)
                and constraint.fields
                and constraint.condition is None
                and not constraint.expressions
            )
            if plain_unique:
                continue
            yield f"{model._meta.label}.{constraint.name}", constraint


@pytest.mark.parametrize(
    ("name", "constraint"), list(_constraints_that_would_show_their_name()), ids=lambda value: str(value)[:60]
)
def test_each_constraint_has_a_sentence(name, constraint):
    assert constraint.violation_error_message != constraint.default_violation_error_message, name


def test_a_duplicate_quota_in_the_admin_is_told_in_a_sentence(client_as, db):
    department = Department.objects.create(name="宣传科")
    PublicityQuota.objects.create(year=2026, department=department, minimum=30)
    client = client_as("admin")
    response = client.post(
        "/admin/publicity/publicityquota/add/",
        {"year": 2026, "department": department.pk, "minimum": 40, "platform_kind": ""},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "publicity_quota_unique" not in body
    assert "该科室这一年已有宣传任务数" in body
    assert PublicityQuota.objects.count() == 1

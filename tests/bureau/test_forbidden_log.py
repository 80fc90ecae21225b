"""A refused request logs Django's one WARNING line, without a traceback."""

import logging

from django.urls import reverse


def test_a_403_logs_one_warning_line_without_a_traceback(client_as, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client_as("outsider").get(reverse("organisation"))
    assert response.status_code == 403
    assert "无权访问" in response.content.decode()
    records = [record for record in caplog.records if record.name == "django.request"]
    assert len(records) == 1
    record = records[0]
    assert record.exc_info is None
    assert record.exc_text is None
    line = logging.Formatter("%(levelname)s %(name)s %(message)s").format(record)
    assert line == "WARNING django.request Forbidden (Permission denied): /organisation/"
    assert "Traceback" not in caplog.text

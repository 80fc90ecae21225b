"""The list behind each dashboard number: the list's own filters, so the list shows the same count.
``count=1`` asks the list to show how many rows match."""

from urllib.parse import urlencode

from django.urls import reverse

from reports.dashboard.selectors import Period


class Links:
    def __init__(self, *, period: Period):
        self.period = period

    def _url(self, name: str, **params) -> str:
        params = {key: value for key, value in params.items() if value not in (None, "")}
        return f"{reverse(name)}?{urlencode({**params, 'count': 1})}"

    def demands(self, figure: str = "received", **params) -> str:
        return self._url(
            "opinions:demand-list",
            figure=figure,
            received_from=self.period.first.isoformat(),
            received_to=self.period.last.isoformat(),
            **params,
        )

    def overdue_now(self) -> str:
        return self._url("opinions:demand-list", figure="overdue_now")

    def posts(self, **params) -> str:
        first, last = self.period.first.isoformat(), self.period.last.isoformat()
        return self._url("opinions:monitor", found_from=first, found_to=last, **params)

    def publicity(self, *, first=None, last=None, department=None) -> str:
        return self._url(
            "publicity:post-list",
            state="published",
            date_from=(first or self.period.first).isoformat(),
            date_to=(last or self.period.last).isoformat(),
            department=department,
        )

    def tasks(self, state: str) -> str:
        return self._url("assignments:task-list", state=state)

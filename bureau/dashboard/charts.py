"""Charts drawn on the server as SVG: they work offline, need no script (the CSP allows none inline)
and use presentation attributes only (no ``style``). Every text is escaped; each chart has a
<title> and an aria-label, a legend and axes."""

from collections.abc import Sequence
from datetime import date

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 28, 30
COLOURS = ("#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#6c757d", "#d63384")


def _nice_max(value: float) -> int:
    if value <= 5:
        return 5
    for step in (1, 2, 2.5, 5):
        magnitude = 10 ** (len(str(int(value))) - 1)
        top = step * magnitude
        if top >= value:
            return int(top) if top == int(top) else int(top) + 1
    return int(10 ** len(str(int(value))))


def _svg(title: str, body: list[str], *, height: int = HEIGHT, css: str = "") -> SafeString:
    label = escape(title)
    return mark_safe(  # noqa: S308 - every text part is escaped above or below
        f'<svg class="dashboard-chart {css}" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{label}" '
        f'xmlns="http://www.w3.org/2000/svg" font-size="11" font-family="sans-serif">'
        f"<title>{label}</title>{''.join(body)}</svg>"
    )


def _legend(items: Sequence[tuple[str, str]]) -> list[str]:
    parts, x = [], LEFT
    for name, colour in items:
        parts.append(f'<rect x="{x}" y="6" width="10" height="10" fill="{colour}"/>')
        parts.append(f'<text x="{x + 14}" y="15" fill="#212529">{escape(name)}</text>')
        x += 24 + 12 * len(name)
    return parts


def _y_axis(top_value: int, plot_height: int) -> list[str]:
    parts = [f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_height}" stroke="#adb5bd"/>']
    for n in range(5):
        value = top_value * n / 4
        y = TOP + plot_height - plot_height * n / 4
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#e9ecef"/>')
        text = f"{value:.0f}" if value == int(value) else f"{value:.1f}"
        parts.append(f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" fill="#6c757d">{text}</text>')
    return parts


def _x_labels(days: Sequence[date], xs: Sequence[float], plot_bottom: float) -> list[str]:
    parts = [f'<line x1="{LEFT}" y1="{plot_bottom}" x2="{WIDTH - RIGHT}" y2="{plot_bottom}" stroke="#adb5bd"/>']
    if not days:
        return parts
    every = max(1, len(days) // 8)
    for index in range(0, len(days), every):
        day = days[index]
        text = day.strftime("%m-%d") if len(days) <= 62 else day.strftime("%Y-%m")
        if len(days) > 62 and day.day != 1 and index:
            continue
        parts.append(
            f'<text x="{xs[index]:.1f}" y="{plot_bottom + 14}" text-anchor="middle" fill="#6c757d">'
            f"{escape(text)}</text>"
        )
    return parts


def line_chart(
    *, title: str, days: Sequence[date], series: Sequence[tuple[str, Sequence[int]]], css: str = ""
) -> SafeString:
    """One line per series over the days (bars when there are few days)."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top_value = _nice_max(max([max(values, default=0) for _name, values in series], default=0))
    body = _legend([(name, COLOURS[i % len(COLOURS)]) for i, (name, _values) in enumerate(series)])
    body += _y_axis(top_value, plot_height)
    count = max(len(days), 1)
    step = plot_width / count
    xs = [LEFT + step * (i + 0.5) for i in range(count)]
    bottom = TOP + plot_height
    if not days:
        body.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="#6c757d">{escape(_("No data"))}</text>'
        )
    elif len(days) <= 31:
        bar = step * 0.8 / max(len(series), 1)
        for i, (name, values) in enumerate(series):
            colour = COLOURS[i % len(COLOURS)]
            for index, value in enumerate(values):
                h = plot_height * value / top_value
                x = LEFT + step * index + step * 0.1 + bar * i
                body.append(
                    f'<rect class="chart-bar" x="{x:.1f}" y="{bottom - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{colour}"><title>{escape(name)} {days[index]:%Y-%m-%d}: {value}</title></rect>'
                )
    else:
        for i, (name, values) in enumerate(series):
            colour = COLOURS[i % len(COLOURS)]
            points = " ".join(
                f"{xs[index]:.1f},{bottom - plot_height * v / top_value:.1f}" for index, v in enumerate(values)
            )
            body.append(
                f'<polyline class="chart-line" points="{points}" fill="none" stroke="{colour}" stroke-width="1.5">'
                f"<title>{escape(name)}</title></polyline>"
            )
    body += _x_labels(days, xs, bottom)
    return _svg(title, body, css=css)


def bar_chart(*, title: str, rows: Sequence[tuple[str, int]], css: str = "") -> SafeString:
    """Horizontal bars, one per row (label, value), largest first as given."""
    row_height = 22
    height = TOP + row_height * max(len(rows), 1) + 10
    label_width = 120
    plot_width = WIDTH - label_width - RIGHT - 40
    top_value = max([value for _label, value in rows], default=0) or 1
    body = []
    if not rows:
        body.append(
            f'<text x="{WIDTH / 2}" y="{TOP + 10}" text-anchor="middle" fill="#6c757d">{escape(_("No data"))}</text>'
        )
    for index, (label, value) in enumerate(rows):
        y = TOP + row_height * index
        w = plot_width * value / top_value
        body.append(
            f'<text x="{label_width - 6}" y="{y + 14}" text-anchor="end" fill="#212529">{escape(label[:14])}</text>'
        )
        body.append(
            f'<rect class="chart-bar" x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row_height - 6}" '
            f'fill="{COLOURS[0]}"><title>{escape(label)}: {value}</title></rect>'
        )
        body.append(f'<text x="{label_width + w + 4:.1f}" y="{y + 14}" fill="#212529">{value}</text>')
    body.append(f'<line x1="{label_width}" y1="{TOP - 4}" x2="{label_width}" y2="{height - 8}" stroke="#adb5bd"/>')
    body.append(f'<text x="{label_width}" y="18" fill="#6c757d">{escape(title)}</text>')
    return _svg(title, body, height=height, css=css)


def quota_chart(*, title: str, cumulative: Sequence[tuple[date, int]], minimum: int | None, year: int) -> SafeString:
    """Published so far through the year against the quota spread evenly (a straight line to 31 December)."""
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    days_in_year = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    top_value = _nice_max(max([minimum or 0, *(value for _day, value in cumulative)], default=0))
    bottom = TOP + plot_height
    published_name, target_name = _("Published"), _("Quota, spread over the year")
    body = _legend([(published_name, COLOURS[1])] + ([(target_name, COLOURS[6])] if minimum else []))
    body += _y_axis(top_value, plot_height)

    def x(day: date) -> float:
        return LEFT + plot_width * ((day - date(year, 1, 1)).days + 0.5) / days_in_year

    if minimum:
        y_end = bottom - plot_height * minimum / top_value
        body.append(
            f'<line class="chart-target" x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{y_end:.1f}" '
            f'stroke="{COLOURS[6]}" stroke-dasharray="4 3"><title>{escape(target_name)}: {minimum}</title></line>'
        )
    if cumulative:
        points = " ".join(f"{x(day):.1f},{bottom - plot_height * value / top_value:.1f}" for day, value in cumulative)
        body.append(
            f'<polyline class="chart-line" points="{points}" fill="none" stroke="{COLOURS[1]}" stroke-width="2">'
            f"<title>{escape(published_name)}: {cumulative[-1][1]}</title></polyline>"
        )
    months = [date(year, month, 1) for month in range(1, 13)]
    for month in months:
        body.append(f'<text x="{x(month):.1f}" y="{bottom + 14}" fill="#6c757d">{month.month}</text>')
    body.append(f'<line x1="{LEFT}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="#adb5bd"/>')
    return _svg(title, body)

"""Charts drawn on the server as SVG: they work offline, need no script (the CSP allows none inline, nor inline
styles) and use presentation attributes only (no ``style``). Every text is escaped; each chart has a <title> and an
aria-label, a legend and axes. The SVGs scale to their container (viewBox, width 100%); the font size is in viewBox
units chosen so that, at the width the dashboard gives each chart, the text reads like the page's small text."""

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

WIDTH, HEIGHT = 640, 260
FONT = 13
RIGHT, TOP, BOTTOM = 12, 34, 32
COLOURS = ("#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#6c757d", "#d63384")
TEXT, MUTED, AXIS, GRID = "#212529", "#6c757d", "#adb5bd", "#e9ecef"

# Buckets of a per-day series: per day up to about two months, per week up to about six months, per month beyond.
DAY, WEEK, MONTH = "day", "week", "month"
DAY_LIMIT, WEEK_LIMIT = 62, 186

MONTHS = {
    1: pgettext_lazy("month on a chart axis", "Jan"),
    2: pgettext_lazy("month on a chart axis", "Feb"),
    3: pgettext_lazy("month on a chart axis", "Mar"),
    4: pgettext_lazy("month on a chart axis", "Apr"),
    5: pgettext_lazy("month on a chart axis", "May"),
    6: pgettext_lazy("month on a chart axis", "Jun"),
    7: pgettext_lazy("month on a chart axis", "Jul"),
    8: pgettext_lazy("month on a chart axis", "Aug"),
    9: pgettext_lazy("month on a chart axis", "Sep"),
    10: pgettext_lazy("month on a chart axis", "Oct"),
    11: pgettext_lazy("month on a chart axis", "Nov"),
    12: pgettext_lazy("month on a chart axis", "Dec"),
}


@dataclass(frozen=True)
class Chart:
    """An SVG chart and its title (for a visible heading); renders as the SVG in templates."""

    title: str
    svg: SafeString

    def __html__(self) -> str:
        return self.svg

    def __str__(self) -> str:
        return self.svg


# --- Measures, ticks, labels ---------------------------------------------------------------------


def text_width(text: str, size: float = FONT) -> float:
    """A rough width: CJK and other wide characters ~1em, the rest ~0.6em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.6 for ch in str(text))


def clip(text: str, width: float, size: float = FONT) -> str:
    """The text cut (with an ellipsis) to fit ``width``."""
    text = str(text)
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def nice_ticks(value: float, intervals: int = 5) -> list[int]:
    """Integer ticks from 0 with a step of 1, 2 or 5 times a power of ten, at most ``intervals`` steps, the last at
    or above ``value``. An all-zero chart gets 0 and 1 (never a division by zero)."""
    value = max(math.ceil(value), 1)
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            step = multiple * magnitude
            if math.ceil(value / step) <= intervals:
                return list(range(0, step * math.ceil(value / step) + 1, step))
        magnitude *= 10


def tick_text(value: int) -> str:
    return f"{value:,}"


def month_label(day: date, *, with_year: bool = False) -> str:
    """A month on an axis: "1月" in Chinese, "Jan" in English; January as the year when the chart spans years."""
    if with_year and day.month == 1:
        return str(day.year)
    return str(MONTHS[day.month])


def day_label(day: date) -> str:
    return day.strftime("%m-%d")


# --- Buckets -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    first: date  # first day of the bucket within the series
    last: date  # last day of the bucket within the series
    values: tuple[int, ...]  # one per series: the sum of the bucket's days


def bucket_unit(day_count: int) -> str:
    if day_count <= DAY_LIMIT:
        return DAY
    return WEEK if day_count <= WEEK_LIMIT else MONTH


def _bucket_key(day: date, unit: str) -> date:
    if unit == WEEK:
        return day - timedelta(days=day.weekday())  # weeks begin on Monday
    if unit == MONTH:
        return day.replace(day=1)
    return day


def group_days(days: Sequence[date], columns: Sequence[Sequence[int]], unit: str | None = None) -> tuple[str, list]:
    """Sum per-day columns into day, week or month buckets (chosen by the number of days unless given). The
    buckets' sums equal the columns' sums; a week or month cut by the start or end of the days is a shorter
    bucket labelled by its first day within them."""
    unit = unit or bucket_unit(len(days))
    buckets: list[Bucket] = []
    key = None
    for index, day in enumerate(days):
        values = tuple(column[index] for column in columns)
        day_key = _bucket_key(day, unit)
        if buckets and day_key == key:
            last = buckets[-1]
            buckets[-1] = Bucket(last.first, day, tuple(a + b for a, b in zip(last.values, values, strict=True)))
        else:
            buckets.append(Bucket(day, day, values))
            key = day_key
    return unit, buckets


def bucket_label(bucket: Bucket, unit: str, *, with_year: bool = False) -> str:
    return month_label(bucket.first, with_year=with_year) if unit == MONTH else day_label(bucket.first)


def bucket_span(bucket: Bucket) -> str:
    if bucket.first == bucket.last:
        return f"{bucket.first:%Y-%m-%d}"
    return f"{bucket.first:%Y-%m-%d} – {bucket.last:%Y-%m-%d}"


# --- Parts ---------------------------------------------------------------------------------------


def _svg(title: str, body: list[str], *, width: int = WIDTH, height: int = HEIGHT, css: str = "") -> Chart:
    label = escape(title)
    svg = mark_safe(  # noqa: S308 - every text part is escaped above or below
        f'<svg class="dashboard-chart {css}" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{label}" xmlns="http://www.w3.org/2000/svg" font-size="{FONT}" font-family="sans-serif">'
        f"<title>{label}</title>{''.join(body)}</svg>"
    )
    return Chart(title=title, svg=svg)


def _legend(items: Sequence[tuple[str, str]], left: float) -> list[str]:
    parts, x = [], left
    for name, colour in items:
        parts.append(f'<rect x="{x:.1f}" y="8" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16:.1f}" y="19" fill="{TEXT}">{escape(name)}</text>')
        x += 16 + text_width(name) + 16
    return parts


def _left(ticks: Sequence[int]) -> float:
    return 10 + max(text_width(tick_text(tick)) for tick in ticks)


def _y_axis(ticks: Sequence[int], left: float, plot_height: float, width: int = WIDTH) -> list[str]:
    parts = [f'<line x1="{left:.1f}" y1="{TOP}" x2="{left:.1f}" y2="{TOP + plot_height}" stroke="{AXIS}"/>']
    top = ticks[-1]
    for tick in ticks:
        y = TOP + plot_height - plot_height * tick / top
        if tick:
            parts.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{width - RIGHT}" y2="{y:.1f}" stroke="{GRID}"/>')
        parts.append(
            f'<text x="{left - 5:.1f}" y="{y + FONT * 0.35:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{tick_text(tick)}</text>"
        )
    return parts


def _x_text(x: float, bottom: float, text: str, anchor: str = "middle") -> str:
    return f'<text x="{x:.1f}" y="{bottom + FONT + 4}" text-anchor="{anchor}" fill="{MUTED}">{escape(text)}</text>'


def _x_labels(labels: Sequence[tuple[float, str]], step: float, bottom: float) -> list[str]:
    """Labels at their x positions, every n-th one so that they do not overlap."""
    if not labels:
        return []
    widest = max(text_width(text) for _x, text in labels)
    every = max(1, math.ceil((widest + 8) / max(step, 1)))
    return [_x_text(x, bottom, text) for index, (x, text) in enumerate(labels) if index % every == 0]


def _no_data(width: int, y: float) -> str:
    message = escape(_("No data"))
    return f'<text x="{width / 2}" y="{y}" text-anchor="middle" fill="{MUTED}">{message}</text>'


# --- Charts --------------------------------------------------------------------------------------


def column_chart(
    *, title: str, unit: str, buckets: Sequence[Bucket], names: Sequence[str], css: str = "chart-wide"
) -> Chart:
    """Bars side by side (one per series) for each bucket, with integer ticks."""
    plot_height = HEIGHT - TOP - BOTTOM
    ticks = nice_ticks(max([max(bucket.values, default=0) for bucket in buckets], default=0))
    left = _left(ticks)
    plot_width = WIDTH - left - RIGHT
    body = _legend([(name, COLOURS[i % len(COLOURS)]) for i, name in enumerate(names)], left)
    body += _y_axis(ticks, left, plot_height)
    bottom = TOP + plot_height
    body.append(f'<line x1="{left:.1f}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="{AXIS}"/>')
    if not buckets:
        body.append(_no_data(WIDTH, HEIGHT / 2))
        return _svg(title, body, css=css)
    step = plot_width / len(buckets)
    gap = step * (0.1 if len(buckets) > 20 else 0.2)
    bar = (step - gap) / max(len(names), 1)
    with_year = buckets[0].first.year != buckets[-1].last.year
    for index, bucket in enumerate(buckets):
        x0 = left + step * index + gap / 2
        span = bucket_span(bucket)
        for i, (name, value) in enumerate(zip(names, bucket.values, strict=True)):
            h = plot_height * value / ticks[-1]
            body.append(
                f'<rect class="chart-bar" x="{x0 + bar * i:.1f}" y="{bottom - h:.1f}" width="{bar:.1f}" '
                f'height="{h:.1f}" fill="{COLOURS[i % len(COLOURS)]}"><title>{escape(name)} {span}: {value}</title>'
                f"</rect>"
            )
    labels = [(left + step * (i + 0.5), bucket_label(b, unit, with_year=with_year)) for i, b in enumerate(buckets)]
    body += _x_labels(labels, step, bottom)
    return _svg(title, body, css=css)


def line_chart(
    *, title: str, days: Sequence[date], series: Sequence[tuple[str, Sequence[int]]], css: str = "chart-wide"
) -> Chart:
    """One line per series over the days (bars when there are few days); days labelled as days up to about two
    months, as months beyond."""
    plot_height = HEIGHT - TOP - BOTTOM
    ticks = nice_ticks(max([max(values, default=0) for _name, values in series], default=0))
    left = _left(ticks)
    plot_width = WIDTH - left - RIGHT
    body = _legend([(name, COLOURS[i % len(COLOURS)]) for i, (name, _values) in enumerate(series)], left)
    body += _y_axis(ticks, left, plot_height)
    count = max(len(days), 1)
    step = plot_width / count
    xs = [left + step * (i + 0.5) for i in range(count)]
    bottom = TOP + plot_height
    body.append(f'<line x1="{left:.1f}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="{AXIS}"/>')
    if not days:
        body.append(_no_data(WIDTH, HEIGHT / 2))
        return _svg(title, body, css=css)
    if len(days) <= 31:
        bar = step * 0.8 / max(len(series), 1)
        for i, (name, values) in enumerate(series):
            colour = COLOURS[i % len(COLOURS)]
            for index, value in enumerate(values):
                h = plot_height * value / ticks[-1]
                x = left + step * index + step * 0.1 + bar * i
                body.append(
                    f'<rect class="chart-bar" x="{x:.1f}" y="{bottom - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                    f'fill="{colour}"><title>{escape(name)} {days[index]:%Y-%m-%d}: {value}</title></rect>'
                )
    else:
        for i, (name, values) in enumerate(series):
            colour = COLOURS[i % len(COLOURS)]
            points = " ".join(
                f"{xs[index]:.1f},{bottom - plot_height * v / ticks[-1]:.1f}" for index, v in enumerate(values)
            )
            body.append(
                f'<polyline class="chart-line" points="{points}" fill="none" stroke="{colour}" stroke-width="2">'
                f"<title>{escape(name)}</title></polyline>"
            )
    if len(days) <= DAY_LIMIT:
        body += _x_labels([(xs[i], day_label(day)) for i, day in enumerate(days)], step, bottom)
    else:
        with_year = days[0].year != days[-1].year
        firsts = [(xs[i], month_label(day, with_year=with_year)) for i, day in enumerate(days) if day.day == 1]
        body += _x_labels(firsts, step * 28, bottom)
    return _svg(title, body, css=css)


def bar_chart(*, title: str, rows: Sequence[tuple[str, int]], css: str = "chart-narrow") -> Chart:
    """Horizontal bars, one per row (label, value), largest first as given. Narrower than the other charts (it sits
    in a narrower column) so that its text reads at the same size; long labels are cut to their column."""
    width, row_height, top = 460, 28, 6
    height = top + row_height * max(len(rows), 1) + 8
    label_width = min(max([text_width(label) for label, _value in rows], default=0), width * 0.38) + 10
    value_width = max([text_width(tick_text(value)) for _label, value in rows], default=0) + 10
    plot_width = width - label_width - value_width - RIGHT
    top_value = max([value for _label, value in rows], default=0) or 1
    body = []
    if not rows:
        body.append(_no_data(width, top + 18))
    for index, (label, value) in enumerate(rows):
        y = top + row_height * index
        w = plot_width * value / top_value
        body.append(
            f'<text x="{label_width - 8:.1f}" y="{y + row_height / 2 + FONT * 0.35:.1f}" text-anchor="end" '
            f'fill="{TEXT}">{escape(clip(label, label_width - 10))}</text>'
        )
        body.append(
            f'<rect class="chart-bar" x="{label_width:.1f}" y="{y + 4}" width="{w:.1f}" height="{row_height - 8}" '
            f'fill="{COLOURS[0]}"><title>{escape(label)}: {value}</title></rect>'
        )
        body.append(
            f'<text x="{label_width + w + 4:.1f}" y="{y + row_height / 2 + FONT * 0.35:.1f}" fill="{TEXT}">'
            f"{tick_text(value)}</text>"
        )
    body.append(f'<line x1="{label_width:.1f}" y1="{top}" x2="{label_width:.1f}" y2="{height - 8}" stroke="{AXIS}"/>')
    return _svg(title, body, width=width, height=height, css=css)


def quota_chart(*, title: str, cumulative: Sequence[tuple[date, int]], minimum: int | None, year: int) -> Chart:
    """Published so far through the year against the quota spread evenly (a straight line to 31 December)."""
    plot_height = HEIGHT - TOP - BOTTOM
    days_in_year = (date(year, 12, 31) - date(year, 1, 1)).days + 1
    ticks = nice_ticks(max([minimum or 0, *(value for _day, value in cumulative)], default=0))
    left = _left(ticks)
    plot_width = WIDTH - left - RIGHT
    bottom = TOP + plot_height
    published_name, target_name = _("Published"), _("Quota, spread over the year")
    body = _legend([(published_name, COLOURS[1])] + ([(target_name, COLOURS[6])] if minimum else []), left)
    body += _y_axis(ticks, left, plot_height)

    def x(day: date) -> float:
        return left + plot_width * (day - date(year, 1, 1)).days / days_in_year

    if minimum:
        y_end = bottom - plot_height * minimum / ticks[-1]
        body.append(
            f'<line class="chart-target" x1="{left:.1f}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{y_end:.1f}" '
            f'stroke="{COLOURS[6]}" stroke-dasharray="4 3"><title>{escape(target_name)}: {minimum}</title></line>'
        )
    if cumulative:
        points = " ".join(
            f"{x(day) + plot_width / days_in_year:.1f},{bottom - plot_height * value / ticks[-1]:.1f}"
            for day, value in cumulative
        )
        body.append(
            f'<polyline class="chart-line" points="{points}" fill="none" stroke="{COLOURS[1]}" stroke-width="2">'
            f"<title>{escape(published_name)}: {cumulative[-1][1]}</title></polyline>"
        )
    for month in range(1, 13):
        first = date(year, month, 1)
        if month > 1:
            tick = x(first)
            body.append(f'<line x1="{tick:.1f}" y1="{bottom}" x2="{tick:.1f}" y2="{bottom + 4}" stroke="{AXIS}"/>')
        middle = x(first + timedelta(days=15))
        body.append(_x_text(middle, bottom, month_label(first)))
    body.append(f'<line x1="{left:.1f}" y1="{bottom}" x2="{WIDTH - RIGHT}" y2="{bottom}" stroke="{AXIS}"/>')
    return _svg(title, body, css="chart-wide")

"""A briefing's sections: their keys and headings per kind, and the text the system drafts for them.

A periodic briefing (日报, 周报, 月报) has four sections: the overview figures, the main events with
their timelines and handling, what was reported upward, and the next steps (left for a person). A
special report (专报) for one event has the four parts county offices use: 事件概况, 传播态势,
处置情况, 下一步工作. Every sentence is one translatable string with named placeholders."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Level
from events.selectors import EventPage
from reports.briefings.selectors import BriefingFigures, MainEvent
from reports.dashboard.selectors import Period
from reports.models import Briefing

PERIODIC_SECTIONS = (
    ("overview", gettext_lazy("1. Overview")),
    ("events", gettext_lazy("2. Main events and their handling")),
    ("reports", gettext_lazy("3. Reported upward")),
    ("next_steps", gettext_lazy("4. Next steps")),
)
SPECIAL_SECTIONS = (
    ("situation", gettext_lazy("1. What happened")),
    ("spread", gettext_lazy("2. How it spread")),
    ("handling", gettext_lazy("3. What was done")),
    ("next_steps", gettext_lazy("4. Next steps")),
)
NEXT_STEPS_PLACEHOLDER = ""  # written by a person before sign-off


def section_specs(kind: str) -> tuple:
    return SPECIAL_SECTIONS if kind == Briefing.Kind.SPECIAL else PERIODIC_SECTIONS


def headed_sections(briefing: Briefing) -> list[tuple[str, str, str]]:
    """(key, heading, text) in order, for the pages, the document and the signed text."""
    return [(key, str(heading), briefing.sections.get(key, "")) for key, heading in section_specs(briefing.kind)]


def _day(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _moment(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def period_title(*, kind: str, period: Period) -> str:
    if kind == Briefing.Kind.DAILY:
        return _("Online opinion daily briefing, %(day)s") % {"day": _day(period.first)}
    if kind == Briefing.Kind.WEEKLY:
        return _("Online opinion weekly briefing, %(first)s to %(last)s") % {
            "first": _day(period.first),
            "last": _day(period.last),
        }
    return _("Online opinion monthly briefing, %(month)s") % {
        "month": formats.date_format(period.first, "YEAR_MONTH_FORMAT")
    }


def special_title(event_title: str) -> str:
    return _("Special report on online opinion: %(title)s") % {"title": event_title}


def _level_label(level: str) -> str:
    return str(Level(level).label) if level else _("not graded yet")


def overview_text(figures: BriefingFigures) -> str:
    lines = [
        _("Posts found: %(found)s, of them %(relevant)s relevant to the bureau; %(taken_down)s taken down.")
        % {"found": figures.posts_found, "relevant": figures.posts_relevant, "taken_down": figures.posts_taken_down}
    ]
    if figures.taken_down_by_category:
        items = [
            _("%(category)s %(count)s") % {"category": name or _("No category"), "count": count}
            for name, count in figures.taken_down_by_category
        ]
        lines.append(_("Taken down by category: %(items)s.") % {"items": _(", ").join(items)})
    lines.append(
        _("Demands received: %(received)s; replied: %(replied)s; overdue: %(overdue)s.")
        % {
            "received": figures.demands_received,
            "replied": figures.demands_replied,
            "overdue": figures.demands_overdue,
        }
    )
    levels = figures.events_by_level
    lines.append(
        _(
            "Opinion events first seen: %(total)s (level I: %(one)s, level II: %(two)s, level III: %(three)s, "
            "not graded yet: %(none)s)."
        )
        % {
            "total": figures.events_total,
            "one": levels.get("I", 0),
            "two": levels.get("II", 0),
            "three": levels.get("III", 0),
            "none": levels.get("", 0),
        }
    )
    return "\n".join(lines)


def events_text(events: list[MainEvent]) -> str:
    if not events:
        return _("No opinion event in this period.")
    blocks = []
    for number, item in enumerate(events, start=1):
        event = item.event
        lines = [
            _("(%(number)s) %(title)s (%(level)s, %(state)s, %(items)s items in the period).")
            % {
                "number": number,
                "title": event.title,
                "level": _level_label(event.level),
                "state": event.get_state_display(),
                "items": item.items,
            }
        ]
        for at, channel, title in item.timeline:
            lines.append(_("%(at)s %(channel)s: %(title)s") % {"at": _moment(at), "channel": channel, "title": title})
        for response in item.responses:
            lines.append(
                _("Handling, %(at)s: %(text)s") % {"at": _moment(response.responded_at), "text": response.text}
            )
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def reports_text(reports) -> str:
    if not reports:
        return _("Nothing was reported upward in this period.")
    return "\n".join(
        _("%(at)s to %(to)s: %(title)s (%(level)s). Measures: %(measures)s")
        % {
            "at": _moment(report.reported_at),
            "to": report.reported_to,
            "title": report.title,
            "level": report.get_level_display(),
            "measures": report.measures,
        }
        for report in reports
    )


def periodic_sections(*, figures: BriefingFigures, events: list[MainEvent], reports) -> dict[str, str]:
    return {
        "overview": overview_text(figures),
        "events": events_text(events),
        "reports": reports_text(reports),
        "next_steps": NEXT_STEPS_PLACEHOLDER,
    }


def special_sections(*, event, page: EventPage, reports) -> dict[str, str]:
    """The four parts of a 专报, from the event page's reads (``events.selectors.event_page``)."""
    situation = [
        _("First seen at %(at)s; %(level)s; %(state)s; %(items)s posts and demands in all.")
        % {
            "at": _moment(event.first_seen_at),
            "level": _level_label(event.level),
            "state": event.get_state_display(),
            "items": page.item_count,
        }
    ]
    if event.summary:
        situation.append(event.summary)
    spread = []
    if page.channels:
        items = [_("%(channel)s %(count)s") % {"channel": name, "count": count} for name, count in page.channels]
        spread.append(_("By channel: %(items)s.") % {"items": _(", ").join(items)})
    if page.per_day:
        items = [_("%(day)s %(count)s") % {"day": day, "count": count} for day, count in page.per_day]
        spread.append(_("By day: %(items)s.") % {"items": _(", ").join(items)})
    if page.spread.get("reporting"):
        spread.append(
            _("Replies %(replies)s, reposts %(reposts)s, views %(views)s (on the posts that report them).")
            % {key: page.spread.get(key) or 0 for key in ("replies", "reposts", "views")}
        )
    handling = [
        _("%(at)s: %(text)s") % {"at": _moment(response.responded_at), "text": response.text}
        for response in page.responses
    ]
    handling.extend(
        _("Task handed down: %(reference)s %(title)s (%(state)s).")
        % {"reference": link.task.reference, "title": link.task.title, "state": link.task.get_state_display()}
        for link in page.tasks
    )
    if reports:
        handling.append(reports_text(reports))
    return {
        "situation": "\n".join(situation),
        "spread": "\n".join(spread) or _("No spread recorded yet."),
        "handling": "\n".join(handling) or _("Nothing recorded yet."),
        "next_steps": NEXT_STEPS_PLACEHOLDER,
    }


def signed_text(briefing: Briefing) -> str:
    """The text as signed: the title, then each heading and its text (what the SHA-256 covers)."""
    parts = [briefing.title]
    for _key, heading, text in headed_sections(briefing):
        parts.extend(["", heading, text])
    return "\n".join(parts)

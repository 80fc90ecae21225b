"""The draft 年度工作总结 (python-docx), written from a compiled figures dict, laid out as an official
document (GB/T 9704; the page, fonts and helpers are bureau/documents.py's): A4, margins
37/35/28/26 mm, the title in 小标宋 size 2 (22 pt), body text in 仿宋 size 3 (16 pt) with a first-line
indent of two characters and a fixed 28 pt line, headings
numbered 一、二、… (黑体) and （一）（二）… (楷体), and the 落款 — the bureau's name and the date —
right-aligned at the end.

It follows the structure the office's summaries share: responsibility and resources, handling of
opinions, online publicity, the archive, tasks handed down, and next year's work points (left for
people to write). Every sentence is one translatable string with named placeholders, filled with
the year's figures; nothing is built by joining translated pieces (lists of names are items, each a
whole string, joined by a translatable separator). Lists of kinds name every kind, 其他 included,
with 0 where nothing was counted."""

from datetime import datetime

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from bureau.documents import (
    BODY_FONTS,
    BODY_SIZE,
    HEADING_FONTS,
    SUBHEADING_FONTS,
    TITLE_FONTS,
    TITLE_SIZE,
    official_document,
)
from bureau.documents import add_paragraph as _paragraph
from bureau.documents import set_font as _font
from bureau.durations import minutes_text
from opinions.models import DemandKind
from publicity.models import MediaOutlet
from reports import indicators
from reports.annual.labels import demand_kind_label


class Subheading(str):
    """A second-level heading （一）… inside a section's list of paragraphs."""


# Archive actions grouped for the sentence of section 4: (prefix, placeholder).
ARCHIVE_GROUPS = (
    ("opinions.post.", "posts"),
    ("opinions.demand.", "demands"),
    ("publicity.", "publicity"),
    ("assignments.", "assignments"),
)


def _join(items: list[str]) -> str:
    return _(", ").join(items)


def _date(value: str) -> str:
    return formats.date_format(datetime.fromisoformat(value).date(), "DATE_FORMAT")


def responsibility_paragraphs(figures: dict) -> list[str]:
    organisation = figures["organisation"]
    paragraphs = [
        _(
            "For %(area)s, %(overall)s bears overall responsibility, %(lead)s leads the work and "
            "%(executor)s carries it out."
        )
        % area
        for area in organisation["chain"]
    ]
    paragraphs.append(
        _(
            "%(team)s people in %(departments)s departments take part in the work. The website and forum are "
            "divided into %(sections)s sections, each with a staff member in charge who answers the posts in it "
            "and keeps it up to date."
        )
        % {
            "team": organisation["team"],
            "departments": len(organisation["departments"]),
            "sections": len(organisation["sections"]),
        }
    )
    if organisation["spokespeople"]:
        paragraphs.append(
            _("The bureau's network spokespeople, who speak for it online, are %(names)s.")
            % {"names": _join(organisation["spokespeople"])}
        )
    else:
        paragraphs.append(_("No network spokesperson has been named yet."))
    kinds = {row["kind"]: row for row in organisation["equipment"]}
    computers = kinds.get("computer", {"count": 0, "online": 0})
    total = sum(row["count"] for row in organisation["equipment"])
    paragraphs.append(
        _(
            "The equipment register lists %(total)s items, among them %(computers)s computers, %(online)s of them "
            "connected to the internet, and %(cameras)s cameras for gathering news on the spot."
        )
        % {
            "total": total,
            "computers": computers["count"],
            "online": computers["online"],
            "cameras": kinds.get("camera", {"count": 0})["count"],
        }
    )
    if organisation["trainings"]:
        paragraphs.append(
            _("%(trainings)s training sessions were held for the staff in the year, %(hours)s hours in all.")
            % {"trainings": organisation["trainings"], "hours": f"{organisation['training_hours']:g}"}
        )
    return paragraphs


def opinion_paragraphs(figures: dict) -> list[str]:
    posts, demands, duty = figures["posts"], figures["demands"], figures["duty"]["total"]
    total = demands["total"]
    paragraphs: list[str] = [
        Subheading(_("(1) Duty and watch over the channels")),
        _(
            "Staff worked %(shifts)s duty shifts in rotation, with phones on day and night. Of %(assignments)s "
            "sign-ins due, %(on_time)s were made on time, %(late)s late and %(missed)s were missed."
        )
        # "sign-ins due" are the sign-in rate's denominator (on time + late + missed), not every
        # assignment (a shift still going on is not due yet).
        % {**duty, "assignments": indicators.read_count(duty, "due")},
        _(
            "The office found %(found)s posts on the channels it watches, %(relevant)s of them concerning the "
            "bureau; %(handled)s were followed up, answered or filed, and %(taken_down)s posts with prohibited "
            "content were taken down at once."
        )
        % posts["total"],
    ]
    if posts["taken_down_by_category"]:
        items = [
            _("%(category)s: %(count)s") % {"category": row["name"] or _("No category"), "count": row["count"]}
            for row in posts["taken_down_by_category"]
        ]
        paragraphs.append(_("By category, the posts taken down were: %(categories)s.") % {"categories": _join(items)})
    median = indicators.indicator("posts_takedown_median").value(posts["total"])
    if median is not None:
        paragraphs.append(
            _("The median time from finding a post with prohibited content to taking it down was %(duration)s.")
            % {"duration": minutes_text(median)}
        )
    alerts = figures.get("alerts")  # absent from summaries compiled before the alerts app
    if alerts and alerts["raised"]:
        paragraphs.append(
            _(
                "The early-warning system raised %(raised)s alerts to the people on duty; %(acknowledged_in_time)s "
                "were acknowledged within their limit, in a median of %(median)s."
            )
            % {**alerts, "median": minutes_text(alerts["median_minutes"])}
        )
    paragraphs.append(Subheading(_("(2) Demands from the public")))
    if not total["received"]:
        paragraphs.append(_("No demand from the public was received this year."))
        return paragraphs
    received_by_kind = {row["key"]: row["received"] for row in demands["by_kind"]}
    # Every kind, in the order of DemandKind (其他 last), 0 where none; then any kind no longer offered.
    kind_keys = [*DemandKind.values, *(key for key in received_by_kind if key not in DemandKind.values)]
    kinds = [
        _("%(kind)s: %(count)s") % {"kind": demand_kind_label(key), "count": received_by_kind.get(key, 0)}
        for key in kind_keys
    ]
    channels = [
        _("%(channel)s: %(count)s") % {"channel": row["key"], "count": row["received"]} for row in demands["by_channel"]
    ]
    paragraphs.append(
        _("The office received %(received)s demands from the public. By kind: %(kinds)s. By channel: %(channels)s.")
        % {"received": total["received"], "kinds": _join(kinds), "channels": _join(channels)}
    )
    # Rates as every surface shows them: recomputed from the stored counts by the registry. A count
    # an older stored summary lacks is None, and the sentence carrying it is left out.
    values = {
        **total,
        **{name: indicators.read_count(total, name) for name in indicators.DEMAND_COUNTS},
        **{key: indicators.indicator(key).text(total) for key in indicators.DEMAND_RATES},
    }

    def has(*names: str) -> bool:
        return all(values.get(name) is not None for name in names)

    paragraphs.append(
        _(
            "%(replied)s demands were replied to, a reply rate of %(reply_rate)s; %(replied_on_time)s were replied "
            "to within the time limit, an on-time rate of %(on_time_rate)s. %(completed)s cases were completed, a "
            "completion rate of %(completion_rate)s."
        )
        % values
    )
    if has("replied_late", "signed_for", "signed_for_on_time"):
        paragraphs.append(
            _(
                "%(replied_late)s demands were replied to after the time limit. Of the %(signed_for)s demands "
                "signed for, %(signed_for_on_time)s were signed for within the limit, a timely sign-for rate of "
                "%(sign_for_on_time_rate)s."
            )
            % values
        )
    if has("handed_back", "redone", "redo_overdue"):
        paragraphs.append(
            _(
                "%(handed_back)s cases were handed back and accepted as not the handling department's, a "
                "hand-back rate of %(hand_back_rate)s; %(redone)s cases were handled again after an unsatisfied "
                "call-back, a redo rate of %(redo_rate)s, and %(redo_overdue)s redo rounds ran past their deadline."
            )
            % values
        )
    if has("extensions_requested", "extensions_approved", "presses", "merged"):
        paragraphs.append(
            _(
                "%(extensions_requested)s extensions were requested and %(extensions_approved)s approved; "
                "supervisors pressed handlers %(presses)s times; %(merged)s duplicate demands were merged into "
                "the cases they repeat and are not counted again."
            )
            % values
        )
    if values["reached"]:
        paragraphs.append(
            _(
                "Of the %(reached)s people reached on call-back, %(satisfied)s were satisfied or fairly "
                "satisfied, a satisfaction of %(satisfaction)s."
            )
            % values
        )
        if has("first_reached", "first_satisfied") and values["first_reached"]:
            paragraphs.append(
                _(
                    "On the first call-back, %(first_satisfied)s of the %(first_reached)s people reached were "
                    "satisfied or fairly satisfied, a first call-back satisfaction of %(first_satisfaction)s."
                )
                % values
            )
    else:
        paragraphs.append(_("No call-backs were recorded this year."))
    if has("completed_called_back") and values["completed"]:
        paragraphs.append(
            _(
                "%(completed_called_back)s of the %(completed)s completed cases were called back, a call-back "
                "rate of %(call_back_rate)s."
            )
            % values
        )
    if total["overdue"]:
        paragraphs.append(
            _(
                "%(overdue)s demands were still unanswered past their deadline when these figures were compiled; "
                "they are being pressed until answered."
            )
            % values
        )
    else:
        paragraphs.append(_("No demand was left unanswered past its deadline."))
    return paragraphs


def publicity_paragraphs(figures: dict) -> list[str]:
    publicity = figures["publicity"]
    quota = publicity["quota"]
    paragraphs = []
    if quota:
        values = {
            "minimum": quota["minimum"],
            "published": quota["published"],
            "progress": indicators.indicator("quota_progress").text(quota),
            "remaining": max(quota["minimum"] - quota["published"], 0),
            "met_on": _date(quota["met_on"]) if quota["met_on"] else "",
        }
        paragraphs.append(
            _(
                "The county set a minimum of %(minimum)s positive publicity posts for the year; the bureau "
                "published %(published)s, %(progress)s of the quota."
            )
            % values
        )
        if quota["is_met_early"]:
            paragraphs.append(_("The quota was met on %(met_on)s, ahead of the year's end.") % values)
        elif quota["met_on"]:
            paragraphs.append(_("The quota was met on %(met_on)s.") % values)
        else:
            paragraphs.append(_("%(remaining)s more posts are needed to meet the quota.") % values)
    else:
        paragraphs.append(
            _("The bureau published %(published)s positive publicity posts in the year; no quota was set.")
            % {"published": publicity["published"]}
        )
    if publicity["outlets"]:
        items = [
            _("%(outlet)s (%(reports)s)") % {"outlet": outlet["name"], "reports": outlet["reports"]}
            for outlet in publicity["outlets"]
        ]
        paragraphs.append(
            _("The bureau's work was reported %(reports)s times by %(count)s outlets: %(outlets)s.")
            % {"reports": publicity["reports"], "count": len(items), "outlets": _join(items)}
        )
        by_kind: dict[str, int] = {}
        for outlet in publicity["outlets"]:
            by_kind[outlet["kind"]] = by_kind.get(outlet["kind"], 0) + outlet["reports"]
        levels = [
            _("%(label)s: %(reports)s reports") % {"label": label, "reports": publicity["reports_by_level"].get(key, 0)}
            for key, label in MediaOutlet.Level.choices
        ]
        media = [
            _("%(label)s: %(reports)s reports") % {"label": label, "reports": by_kind.get(key, 0)}
            for key, label in MediaOutlet.Kind.choices
        ]
        paragraphs.append(
            _("By the outlets' level: %(levels)s; by type of media: %(kinds)s.")
            % {"levels": _join(levels), "kinds": _join(media)}
        )
    else:
        paragraphs.append(_("No media coverage of the bureau was recorded this year."))
    if publicity["disclosures"]:
        paragraphs.append(
            _(
                "%(disclosures)s items of government information were published after approval and entered in the "
                "disclosure ledger."
            )
            % {"disclosures": publicity["disclosures"]}
        )
    return paragraphs


def archive_paragraphs(figures: dict) -> list[str]:
    archive = figures["archive"]
    groups = dict.fromkeys((name for _prefix, name in ARCHIVE_GROUPS), 0)
    for row in archive["by_action"]:
        for prefix, name in ARCHIVE_GROUPS:
            if row["action"].startswith(prefix):
                groups[name] += row["count"]
    groups["other"] = archive["total"] - sum(groups.values())  # the organisation, the archive's checks…
    return [
        _(
            "The office kept a record of its online work: what was browsed, posted, followed up, replied, "
            "published and taken down, by whom and when. %(total)s records were written in the year; none can be "
            "altered or deleted."
        )
        % {"total": archive["total"]},
        _(
            "Of these, %(posts)s concern posts, %(demands)s demands, %(publicity)s publicity, %(assignments)s "
            "duty and tasks handed down, and %(other)s other work."
        )
        % groups,
    ]


def task_paragraphs(figures: dict) -> list[str]:
    tasks = figures["tasks"]
    total = tasks["total"]
    if total["received"]:
        paragraphs = [
            _(
                "The county propaganda department handed down %(received)s tasks: %(special_reports)s opinion "
                "special reports, %(assignments)s opinion assignments and %(other)s other tasks. The bureau handled "
                "%(handled)s of them and reported back, %(on_time)s by the deadline."
            )
            % total
        ]
        if total["overdue"]:
            paragraphs.append(
                _(
                    "%(overdue)s tasks were past their deadline without approved feedback when these figures were "
                    "compiled."
                )
                % total
            )
    else:
        paragraphs = [_("No tasks were handed down by the county this year.")]
    if tasks["incidents"]:
        paragraphs.append(
            _(
                "%(incidents)s opinion incidents were reported upward to the county, with the response plan that "
                "applied."
            )
            % {"incidents": tasks["incidents"]}
        )
    else:
        paragraphs.append(_("No opinion incident needed reporting upward."))
    return paragraphs


def work_point_paragraphs() -> list[str]:
    """Next year's work points: numbered places for the office to write in."""
    return [
        Subheading(_("(1) To be written by the office.")),
        Subheading(_("(2) To be written by the office.")),
        Subheading(_("(3) To be written by the office.")),
    ]


def draft_sections(figures: dict) -> list[tuple[str, list[str]]]:
    """(heading, paragraphs) in the order of the summary; a paragraph that is a ``Subheading`` is a
    second-level heading. The last section holds only places for people to write."""
    return [
        (_("1. Responsibility and resources"), responsibility_paragraphs(figures)),
        (_("2. Handling of online opinions"), opinion_paragraphs(figures)),
        (_("3. Online publicity"), publicity_paragraphs(figures)),
        (_("4. Archive"), archive_paragraphs(figures)),
        (_("5. Tasks handed down"), task_paragraphs(figures)),
        (_("6. Work points for next year"), work_point_paragraphs()),
    ]


def draft_title(figures: dict) -> str:
    return _("%(year)s Annual Summary of Online Opinion and Publicity Work") % {"year": figures["year"]}


def bureau_name() -> str:
    """The name the bureau signs with (settings.BUREAU_NAME), or a translated default."""
    return settings.BUREAU_NAME or _("The County Bureau")


def signature_lines(figures: dict) -> list[str]:
    """The 落款: the bureau's name and the day the figures were compiled, written out as a date."""
    as_of = timezone.localtime(datetime.fromisoformat(figures["as_of"]))
    return [bureau_name(), formats.date_format(as_of.date(), "DATE_FORMAT")]


def write_annual_draft(*, figures: dict, stream, language: str = "zh-hans") -> None:
    """Write the draft (.docx) into ``stream``."""
    with translation.override(language):
        document = official_document()
        as_of = timezone.localtime(datetime.fromisoformat(figures["as_of"]))
        compiled = formats.date_format(as_of, "DATETIME_FORMAT")
        if figures["is_final"]:
            note = _("Draft written on %(compiled)s from the final figures of the year.")
        else:
            note = _("Draft written on %(compiled)s from the figures so far; the year is not over.")
        # The note is for the office, not part of the document: it goes in the page header.
        header = document.sections[0].header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _font(header.add_run(note % {"compiled": compiled}), BODY_FONTS, Pt(10.5))
        _paragraph(
            document, draft_title(figures), TITLE_FONTS, TITLE_SIZE, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER
        )
        _paragraph(document, "", BODY_FONTS, BODY_SIZE)  # one empty line under the title
        _paragraph(
            document,
            _(
                "In %(year)s the bureau kept watch over the online channels that concern its work, answered the "
                "public's demands within the time limits and published news of its work as the county required. "
                "The year's work is summarised below."
            )
            % {"year": figures["year"]},
            BODY_FONTS,
            BODY_SIZE,
            align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        )
        for heading, paragraphs in draft_sections(figures):
            _paragraph(document, heading, HEADING_FONTS, BODY_SIZE)
            for text in paragraphs:
                fonts = SUBHEADING_FONTS if isinstance(text, Subheading) else BODY_FONTS
                _paragraph(document, text, fonts, BODY_SIZE, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
        _paragraph(document, "", BODY_FONTS, BODY_SIZE)
        _paragraph(document, "", BODY_FONTS, BODY_SIZE)
        for line in signature_lines(figures):
            # Right-aligned, four characters in from the margin, as the 落款 of an official document.
            paragraph = _paragraph(document, line, BODY_FONTS, BODY_SIZE, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
            paragraph.paragraph_format.right_indent = Pt(64)
        document.save(stream)

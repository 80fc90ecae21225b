"""The indicators (考核指标): every figure an assessor reads, defined once for every surface.

Each indicator has a key, a Chinese label (a translated string), and says how it is read from the
area's figure set: a **count** names one count, a **rate** names its part and its whole and is
``bureau.rates.rate(part, whole)`` — rounded once, half-up, from the counts (77 of 80 is
Decimal("96.3")). The dashboard cards, the assessment table and its export, the stored annual
summary, the workbook and the draft text all read their figures here, so one figure is one number:

- on a page and in the draft a rate is ``percent_text`` of that value: "96.3%";
- in a workbook a rate cell holds the same rounded value as a fraction, 0.963, with the "0.0%"
  format (``bureau.exports.rate_cell``), so the cell shows 96.3% and computes with 0.963;
- the stored summary keeps the counts and, beside them, the rate as the number of percent (96.3).

The figure sets, by ``source``:

- ``demands`` — ``opinions.selectors.figures.Figures`` (the contract between engineers: received,
  replied, replied on time, …), or a stored summary's demand row (a dict of the same names);
- ``posts`` — ``PostFigures`` / the dashboard's ``PostBreakdown`` / a stored post row;
- ``publicity`` — anything with ``published`` and ``minimum`` (a ``QuotaProgress``, a stored quota
  row; ``minimum`` is None where no quota was set, and the progress is then "—");
- ``duty`` — ``assignments.selectors.SignInFigures`` (or ``DutyFigures``) or a stored duty row;
- ``tasks`` — the counts of ``assignments.selectors.county_task_figures`` or a stored task row.

A count a figure set does not carry (a name of the contract not provided yet, a key an older stored
summary lacks) reads as None — shown "—", written as an empty cell — here and nowhere else."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from bureau.durations import minutes_text
from bureau.exports import Percent, rate_cell
from bureau.rates import percent_text, rate

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

DEMANDS, POSTS, PUBLICITY, DUTY, TASKS = "demands", "posts", "publicity", "duty", "tasks"
MINUTES = "minutes"

# Counts an older figure set spells differently. Before the contract's ``reached``, ``called_back``
# counted the call-backs that reached the citizen (a summary stored then keeps that meaning); before
# ``due`` was stored, the sign-ins due were on time + late + missed (``SignInFigures.due``).
_FALLBACKS: dict[str, tuple[str, ...]] = {"reached": ("called_back",), "due": ("on_time", "late", "missed")}


def read_count(figures: Any, name: str) -> int | None:
    """The count ``name`` of a figure set (a dataclass or a stored dict); None if it does not carry it."""
    if figures is None:
        return None
    value = _read(figures, name)
    if value is None and name in _FALLBACKS:
        parts = [_read(figures, part) for part in _FALLBACKS[name]]
        if all(isinstance(part, int) for part in parts):
            return sum(parts)
    return value


def _read(figures: Any, name: str) -> Any:
    return figures.get(name) if isinstance(figures, Mapping) else getattr(figures, name, None)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: "StrPromise"
    source: str
    part: str  # the count shown, or a rate's numerator
    whole: str | None = None  # a rate's denominator; None for a count
    unit: str = ""  # MINUTES: a duration read as it is (minutes, one decimal), neither count nor rate

    @property
    def is_rate(self) -> bool:
        return self.whole is not None

    def value(self, figures: Any) -> int | Decimal | None:
        """The figure from its area's figure set: a count, or the rate (Decimal, one decimal)."""
        if self.unit == MINUTES:
            minutes = _read(figures, self.part) if figures is not None else None
            return None if minutes is None else Decimal(str(minutes))
        part = read_count(figures, self.part)
        if self.whole is None:
            return part
        whole = read_count(figures, self.whole)
        if part is None or whole is None:
            return None
        return rate(part, whole)

    def text(self, figures: Any) -> str:
        """As a page or the draft shows it: "96.3%", "77", "—"."""
        value = self.value(figures)
        if self.is_rate:
            return percent_text(value if isinstance(value, Decimal) else None)
        if self.unit == MINUTES:
            return minutes_text(value)
        return "—" if value is None else str(value)

    def cell(self, figures: Any) -> int | float | Percent | None:
        """As a workbook cell: a count, or the rounded rate as a fraction with the "0.0%" format."""
        value = self.value(figures)
        if self.unit == MINUTES:
            return None if value is None else float(value)
        if isinstance(value, Decimal):
            return rate_cell(value)
        return value

    def stored(self, figures: Any) -> int | float | None:
        """As the stored summary keeps it (JSON): a count, or the rate as the number of percent, 96.3."""
        value = self.value(figures)
        return float(value) if isinstance(value, Decimal) else value


def _count(key: str, label: "StrPromise", source: str, name: str | None = None) -> Indicator:
    return Indicator(key=key, label=label, source=source, part=name or key)


def _rate(key: str, label: "StrPromise", source: str, part: str, whole: str) -> Indicator:
    return Indicator(key=key, label=label, source=source, part=part, whole=whole)


INDICATORS: tuple[Indicator, ...] = (
    # Demands: the names of the ``Figures`` contract (opinions/selectors/figures.py).
    _count("received", _("Demands received"), DEMANDS),
    _count("replied", _("Demands replied"), DEMANDS),
    _count("replied_on_time", _("Demands replied on time"), DEMANDS),
    _count("replied_late", _("Demands replied late"), DEMANDS),
    _count("completed", _("Demands completed"), DEMANDS),
    _count("overdue", _("Demands overdue"), DEMANDS),
    _count("redo_overdue", _("Redo rounds overdue"), DEMANDS),
    _count("signed_for", _("Demands signed for"), DEMANDS),
    _count("signed_for_on_time", _("Signed for in time"), DEMANDS),
    _count("handed_back", _("Hand-backs accepted"), DEMANDS),
    _count("redone", _("Cases handled again"), DEMANDS),
    _count("extensions_requested", _("Extensions requested"), DEMANDS),
    _count("extensions_approved", _("Extensions approved"), DEMANDS),
    _count("presses", _("Presses"), DEMANDS),
    _count("called_back", _("Demands called back"), DEMANDS),
    _count("completed_called_back", _("Completed demands called back"), DEMANDS),
    _count("reached", _("Reached on call-back"), DEMANDS),
    _count("satisfied", _("Satisfied on call-back"), DEMANDS),
    _count("first_reached", _("Reached on the first call-back"), DEMANDS),
    _count("first_satisfied", _("Satisfied on the first call-back"), DEMANDS),
    _count("merged", _("Duplicates merged"), DEMANDS),
    _rate("reply_rate", _("Reply rate"), DEMANDS, "replied", "received"),
    _rate("on_time_rate", _("On-time rate"), DEMANDS, "replied_on_time", "received"),
    _rate("completion_rate", _("Completion rate"), DEMANDS, "completed", "received"),
    _rate("satisfaction", _("Satisfaction"), DEMANDS, "satisfied", "reached"),
    _rate("first_satisfaction", _("First call-back satisfaction"), DEMANDS, "first_satisfied", "first_reached"),
    _rate("call_back_rate", _("Call-back rate"), DEMANDS, "completed_called_back", "completed"),
    _rate("sign_for_on_time_rate", _("Timely sign-for rate"), DEMANDS, "signed_for_on_time", "signed_for"),
    _rate("hand_back_rate", _("Hand-back rate"), DEMANDS, "handed_back", "received"),
    _rate("redo_rate", _("Redo rate"), DEMANDS, "redone", "received"),
    # Posts (opinions.selectors.figures.PostFigures).
    _count("posts_found", _("Posts found"), POSTS, "found"),
    _count("posts_relevant", _("Posts relevant to the bureau"), POSTS, "relevant"),
    _count("posts_handled", _("Posts handled"), POSTS, "handled"),
    _count("posts_taken_down", _("Posts taken down"), POSTS, "taken_down"),
    _rate("posts_handled_rate", _("Share of posts handled"), POSTS, "handled", "found"),
    Indicator(
        key="posts_takedown_median",
        label=_("Median time from finding to takedown"),
        source=POSTS,
        part="takedown_median_minutes",  # opinions.selectors.post_figures
        unit=MINUTES,
    ),
    # Publicity against the quota (publicity.selectors.QuotaProgress: the same rate).
    _count("publicity_published", _("Publicity published"), PUBLICITY, "published"),
    _count("publicity_quota", _("Publicity quota"), PUBLICITY, "minimum"),
    _rate("quota_progress", _("Quota progress"), PUBLICITY, "published", "minimum"),
    # Duty sign-in (assignments.selectors.SignInFigures / DutyFigures: the same rate).
    _count("duty_shifts", _("Duty shifts"), DUTY, "shifts"),
    _count("duty_understaffed", _("Shifts short of people"), DUTY, "understaffed_shifts"),
    _count("duty_assignments", _("Duty assignments"), DUTY, "assignments"),
    _count("sign_ins_due", _("Sign-ins due"), DUTY, "due"),
    _count("sign_ins_on_time", _("Signed in on time"), DUTY, "on_time"),
    _count("sign_ins_late", _("Signed in late"), DUTY, "late"),
    _count("sign_ins_missed", _("Sign-ins missed"), DUTY, "missed"),
    _rate("sign_in_rate", _("Sign-in rate"), DUTY, "on_time", "due"),
    # Tasks handed down (assignments.selectors.county_task_figures).
    _count("tasks_received", _("Tasks handed down received"), TASKS, "received"),
    _count("tasks_special_reports", _("Opinion special reports"), TASKS, "special_reports"),
    _count("tasks_assignments", _("Opinion assignments"), TASKS, "assignments"),
    _count("tasks_handled", _("Tasks handled"), TASKS, "handled"),
    _count("tasks_on_time", _("Tasks handled on time"), TASKS, "on_time"),
    _count("tasks_overdue", _("Tasks overdue"), TASKS, "overdue"),
    _rate("tasks_on_time_rate", _("Tasks on-time rate"), TASKS, "on_time", "received"),
)

BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}


def indicator(key: str) -> Indicator:
    return BY_KEY[key]


def indicators(keys: Iterable[str]) -> list[Indicator]:
    return [BY_KEY[key] for key in keys]


def of_source(source: str) -> list[Indicator]:
    return [item for item in INDICATORS if item.source == source]


# Which indicators each surface shows, in order.
DASHBOARD_DEMAND_CARDS = (
    "received",
    "replied",
    "replied_on_time",
    "replied_late",
    "completed",
    "overdue",
    "redo_overdue",
    "handed_back",
    "redone",
    "extensions_requested",
    "extensions_approved",
    "presses",
    "merged",
    "reply_rate",
    "on_time_rate",
    "completion_rate",
    "satisfaction",
    "first_satisfaction",
    "call_back_rate",
    "sign_for_on_time_rate",
    "hand_back_rate",
    "redo_rate",
)
GROUP_TABLE_RATES = ("reply_rate", "on_time_rate", "completion_rate")
ASSESSMENT_COLUMNS = (
    "received",
    "replied_on_time",
    "on_time_rate",
    "completed",
    "completion_rate",
    "replied_late",
    "overdue",
    "redo_overdue",
    "satisfaction",
    "first_satisfaction",
    "call_back_rate",
    "sign_for_on_time_rate",
    "handed_back",
    "hand_back_rate",
    "redone",
    "redo_rate",
    "extensions_requested",
    "extensions_approved",
    "presses",
    "publicity_published",
    "publicity_quota",
    "quota_progress",
    "sign_ins_on_time",
    "sign_ins_late",
    "sign_ins_missed",
    "sign_in_rate",
    "tasks_received",
    "tasks_on_time",
    "tasks_on_time_rate",
)
# The annual workbook's overview: every indicator of the areas counted per quarter and month.
OVERVIEW = tuple(item.key for item in INDICATORS if item.source in (DEMANDS, POSTS, DUTY, TASKS))
GROUP_COLUMNS = (
    "received",
    "replied",
    "replied_on_time",
    "completed",
    "overdue",
    "reply_rate",
    "on_time_rate",
    "completion_rate",
    "satisfaction",
)
# The stored summary's rows keep every count and rate of their area.
DEMAND_COUNTS = tuple(item.part for item in of_source(DEMANDS) if not item.is_rate)
DEMAND_RATES = tuple(item.key for item in of_source(DEMANDS) if item.is_rate)
DASHBOARD_POST_CARDS = ("posts_handled_rate", "posts_takedown_median")
# Indicators that can be scored (``reports.models.ScoringRule``): the rates.
SCORABLE = tuple(item.key for item in INDICATORS if item.is_rate)


def count_names(source: str) -> tuple[str, ...]:
    """Every count the indicators of ``source`` read (parts and wholes), in the registry's order."""
    names: dict[str, None] = {}
    for item in of_source(source):
        if item.unit:
            continue
        names.setdefault(item.part)
        if item.whole:
            names.setdefault(item.whole)
    return tuple(names)


def stored_counts(source: str, figures: Any) -> dict[str, int | None]:
    """The counts of a figure set that ``source``'s indicators read, as a stored summary keeps them."""
    return {name: read_count(figures, name) for name in count_names(source)}


def figure_sets(*, demands: Any = None, posts: Any = None, publicity: Any = None, duty: Any = None, tasks: Any = None):
    """The figure sets of one row (a department, a period) keyed by source, for ``value_of``."""
    return {DEMANDS: demands, POSTS: posts, PUBLICITY: publicity, DUTY: duty, TASKS: tasks}


def value_of(key: str, sets: Mapping[str, Any]) -> int | Decimal | None:
    item = BY_KEY[key]
    return item.value(sets.get(item.source))


def text_of(key: str, sets: Mapping[str, Any]) -> str:
    item = BY_KEY[key]
    return item.text(sets.get(item.source))


def cell_of(key: str, sets: Mapping[str, Any]) -> int | float | Percent | None:
    item = BY_KEY[key]
    return item.cell(sets.get(item.source))

"""What a year's figures hold: the typed shape of ``AnnualSummary.figures``.

The figures are stored as JSON (an old summary must stay readable as it was compiled), so they are
dicts — and these TypedDicts say which keys each level holds and what type each value is; the
compiler (``figures.annual_figures``), the workbook, the draft text and the pages are checked
against them. Counts are whole numbers (None where the figures did not carry the count when the
summary was compiled); rates are the number of percent as ``reports.indicators`` rounds it once
(96.3 for 77 of 80), or None where their denominator is 0. Summaries compiled before held rates as
fractions (0.9625): the surfaces never read a stored rate, they recompute it from the stored counts
through the registry, so every summary shows its rates the same way."""

from typing import NotRequired, TypedDict


class DemandRow(TypedDict):
    # The counts and rates of reports.indicators (source "demands"), by the Figures contract's names.
    received: int
    replied: int
    replied_on_time: int
    replied_late: int | None
    completed: int
    overdue: int
    redo_overdue: int | None
    signed_for: int | None
    signed_for_on_time: int | None
    handed_back: int | None
    redone: int | None
    extensions_requested: int | None
    extensions_approved: int | None
    presses: int | None
    called_back: int
    reached: int | None
    satisfied: int
    first_reached: int | None
    first_satisfied: int | None
    merged: int | None
    reply_rate: float | None
    on_time_rate: float | None
    completion_rate: float | None
    satisfaction: float | None
    first_satisfaction: float | None
    call_back_rate: float | None
    sign_for_on_time_rate: float | None
    hand_back_rate: float | None
    redo_rate: float | None


class DemandGroupRow(DemandRow):
    key: str  # a kind's code, a channel's or a department's name ("" for none)


class DemandPeriodRow(DemandRow):
    period: str  # "quarter" or "month"
    key: str  # "Q1"… or "2026-01"…


class DemandSection(TypedDict):
    total: DemandRow
    by_kind: list[DemandGroupRow]
    by_channel: list[DemandGroupRow]
    by_department: list[DemandGroupRow]
    by_period: list[DemandPeriodRow]


class PostCounts(TypedDict):
    found: int
    relevant: int
    handled: int
    taken_down: int
    handled_rate: float | None
    takedown_median_minutes: float | None  # from finding to takedown (opinions.selectors.post_figures)


class PostPeriodRow(PostCounts):
    period: str
    key: str


class CategoryCount(TypedDict):
    name: str
    count: int


class PostSection(TypedDict):
    total: PostCounts
    taken_down_by_category: list[CategoryCount]
    by_period: list[PostPeriodRow]


class QuotaRow(TypedDict):
    scope: str  # "" for the bureau's own quota
    minimum: int
    published: int
    percent: float | None  # quota progress, the number of percent (96.7 for 29 of 30)
    met_on: str | None  # ISO date
    is_met_early: bool


class DepartmentPublicityRow(TypedDict):
    department: str
    published: int
    minimum: int | None  # None: the department has no quota (its published count still shows)
    progress: float | None


class OutletRow(TypedDict):
    name: str
    level: str
    kind: str
    reports: int


class PublicitySection(TypedDict):
    published: int
    quota: QuotaRow | None
    quotas: list[QuotaRow]
    by_department: list[DepartmentPublicityRow]
    outlets: list[OutletRow]
    reports: int
    reports_by_level: dict[str, int]
    disclosures: int
    published_by_month: list[int]  # twelve counts, January first


class DutyRow(TypedDict):
    shifts: int
    understaffed_shifts: int
    assignments: int
    due: int
    on_time: int
    late: int
    missed: int
    pending: int
    sign_in_rate: float | None  # on time ÷ due (assignments.selectors.SignInFigures)


class DutyPeriodRow(DutyRow):
    period: str
    key: str


class DutySection(TypedDict):
    total: DutyRow
    by_period: list[DutyPeriodRow]


class TaskCounts(TypedDict):
    received: int
    special_reports: int
    assignments: int
    other: int
    handled: int
    on_time: int
    overdue: int
    on_time_rate: float | None


class TaskPeriodRow(TaskCounts):
    period: str
    key: str


class TaskSection(TypedDict):
    total: TaskCounts
    by_period: list[TaskPeriodRow]
    incidents: int
    incidents_by_level: dict[str, int]


class AlertSection(TypedDict):
    # alerts.selectors.AlertFigures: raised in the year, acknowledged, acknowledged by their limit,
    # the median minutes from raising to acknowledgement, and in time ÷ raised (percent).
    raised: int
    acknowledged: int
    acknowledged_in_time: int
    median_minutes: float | None
    in_time_rate: float | None


class ActionCount(TypedDict):
    action: str
    count: int


class ArchiveSection(TypedDict):
    total: int
    by_action: list[ActionCount]
    by_month: list[int]


class ChainRow(TypedDict):
    area: str
    overall: str
    lead: str
    executor: str


class SectionRow(TypedDict):
    site: str
    name: str
    owner: str


class EquipmentRow(TypedDict):
    kind: str
    count: int
    online: int


class OrganisationSection(TypedDict):
    chain: list[ChainRow]
    team: int
    departments: list[str]
    spokespeople: list[str]
    sections: list[SectionRow]
    equipment: list[EquipmentRow]
    trainings: int
    training_hours: float


class AssessmentRow(TypedDict):
    """One department's assessment as compiled: the counts each area's indicators read (rates are
    recomputed from them by ``reports.indicators``), and the score under that year's rules."""

    department: str
    demands: dict[str, int | None]
    publicity: dict[str, int | None]
    duty: dict[str, int | None]
    tasks: dict[str, int | None]
    score: float | None  # None: no rule, or nothing could be scored
    maximum: float | None
    tier: str  # reports.scoring.Tier value, "" for none


class AnnualFigures(TypedDict):
    year: int
    is_final: bool
    as_of: str  # ISO date-time of the compilation
    organisation: OrganisationSection
    demands: DemandSection
    posts: PostSection
    publicity: PublicitySection
    duty: DutySection
    tasks: TaskSection
    alerts: NotRequired[AlertSection]  # absent from summaries compiled before the alerts app
    archive: ArchiveSection
    assessment: list[AssessmentRow]

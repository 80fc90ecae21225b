"""Which finished years a later change touches, read once from the archive.

Every change of state writes an archive record naming its target (``archive.services``), so no
service has to remember to tell the annual summary anything: the records past a revision's
watermark are read, and each target is mapped to the year it counts in, by the field each area
counts it by (a demand by the day it was received, as ``demands_received`` counts it; a post by the
day it was found; a publicity post by the day it was published or planned; a shift by its start; a
task handed down by the day it was received; …). A moved date touches both years: the old value,
when the record's ``before`` holds it, counts too. A record whose target has no such field (a
person, a channel's batch of posts found now, a setting) touches the year it was written in."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Model
from django.utils import timezone

from archive.models import ArchiveRecord
from assignments.models import CountyTask, HandoverNote, IncidentReport, Leave, Shift, ShiftAssignment, TaskNote
from bureau.models import AnnualSummary
from opinions.models import Demand, Post
from publicity.models import DisclosureItem, MediaCoverage, PlatformStatistic, PublicityPost, PublicityQuota

# target label → (model, the fields whose values say which year it counts in)
DATED_TARGETS: dict[str, tuple[type[Model], tuple[str, ...]]] = {
    "opinions.demand": (Demand, ("received_at",)),
    "opinions.post": (Post, ("found_at",)),
    "publicity.publicitypost": (PublicityPost, ("published_on", "planned_on")),
    "publicity.publicityquota": (PublicityQuota, ("year",)),
    "publicity.mediacoverage": (MediaCoverage, ("reported_on",)),
    "publicity.disclosureitem": (DisclosureItem, ("published_on",)),
    "publicity.platformstatistic": (PlatformStatistic, ("month",)),
    "assignments.shift": (Shift, ("starts_at",)),
    "assignments.shiftassignment": (ShiftAssignment, ("shift__starts_at",)),
    "assignments.handovernote": (HandoverNote, ("shift__starts_at",)),
    "assignments.leave": (Leave, ("starts_on", "ends_on")),
    "assignments.countytask": (CountyTask, ("received_at",)),
    "assignments.tasknote": (TaskNote, ("task__received_at",)),
    "assignments.incidentreport": (IncidentReport, ("reported_at",)),
}
# A removed row is gone when the scan reads its record; the record's ``before`` names its parent
# (``{"shift": 12, …}``), whose date says the year.
PARENTS = {"assignments.shiftassignment": ("shift", "assignments.shift")}
# The summaries' own records (a compilation) change no figure of the year they are about.
SUMMARY_TARGETS = {AnnualSummary._meta.label_lower, "reports.annualsummaryrevision"}
BATCH = 5000


def _year_of(value) -> int | None:
    """The local year of a date, an aware moment, an ISO text of either, or a year number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value if 1900 < value < 3000 else None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, datetime):
        return timezone.localtime(value).year if timezone.is_aware(value) else value.year
    if isinstance(value, date):
        return value.year
    return None


@dataclass(frozen=True)
class Touch:
    record_id: int
    at: datetime  # when the change was recorded


@dataclass(frozen=True)
class Touches:
    by_year: dict[int, list[Touch]]  # each year's touching records, oldest first
    last_record: int | None  # the newest record read
    read: int  # how many records were read

    def first_after(self, year: int, record_id: int) -> Touch | None:
        return next((touch for touch in self.by_year.get(year, ()) if touch.record_id > record_id), None)


def years_touched(*, after_record: int, limit: int = BATCH) -> Touches:
    """The years touched by the archive records with pk > ``after_record`` (at most ``limit`` of
    them, oldest first; ``last_record`` says how far it read). One query for the records and one
    per kind of dated target among them."""
    records = list(
        ArchiveRecord.objects.filter(pk__gt=after_record)
        .order_by("pk")
        .values_list("pk", "created_at", "target_type", "target_id", "before")[:limit]
    )
    by_type: dict[str, set[int]] = defaultdict(set)
    for _pk, _at, target_type, target_id, before in records:
        if target_type in DATED_TARGETS and target_id.isdigit():
            by_type[target_type].add(int(target_id))
        if target_type in PARENTS and isinstance(parent := (before or {}).get(PARENTS[target_type][0]), int):
            by_type[PARENTS[target_type][1]].add(parent)
    years_of: dict[tuple[str, int], set[int]] = defaultdict(set)
    for target_type, ids in by_type.items():
        model, fields = DATED_TARGETS[target_type]
        for pk, *values in model._default_manager.filter(pk__in=ids).values_list("pk", *fields):
            years_of[(target_type, pk)] |= {year for year in map(_year_of, values) if year}
    by_year: dict[int, list[Touch]] = defaultdict(list)
    for pk, created_at, target_type, target_id, before in records:
        if target_type in SUMMARY_TARGETS:
            continue
        if target_type in DATED_TARGETS and target_id.isdigit():
            years = set(years_of.get((target_type, int(target_id)), set()))
            leaves = {field.rsplit("__", 1)[-1] for field in DATED_TARGETS[target_type][1]}
            years |= {year for key, value in (before or {}).items() if key in leaves and (year := _year_of(value))}
            if not years and target_type in PARENTS:  # the row is gone: its parent's year
                key, parent_type = PARENTS[target_type]
                parent = (before or {}).get(key)
                years = set(years_of.get((parent_type, parent), set())) if isinstance(parent, int) else set()
            if not years:  # the target is gone (deleted) and names no parent: the year it went
                years = {timezone.localtime(created_at).year}
        else:
            years = {timezone.localtime(created_at).year}
        for year in years:
            by_year[year].append(Touch(record_id=pk, at=created_at))
    return Touches(by_year=dict(by_year), last_record=records[-1][0] if records else None, read=len(records))

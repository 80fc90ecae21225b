"""Reads of the knowledge loop: the reply templates (答复口径) a replier chooses from, filled for
the demand; the similar past cases (相似案例) and their replies; the policy FAQ's hot issues
(热点问题). None of them writes."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from bureau import clock
from bureau.search import search_filter
from bureau.types import AnyUser
from opinions.models import (
    Demand,
    FaqEntry,
    ItemKind,
    ReplyTemplate,
    SimilarityBand,
    counted_q,
    replied_q,
)
from opinions.selectors.demands import demands_visible
from opinions.similarity.minhash import Signature, signature
from opinions.templating import VARIABLES, template_fill

# --- Reply templates ----------------------------------------------------------------------------

TEMPLATES_SHOWN = 30


@dataclass(frozen=True)
class TemplateChoice:
    """A template as the reply form offers it: filled for this demand, with any unknown names."""

    template: ReplyTemplate
    text: str
    unknown: tuple[str, ...]


def _local_day(moment: datetime) -> str:
    """A date as the active language writes it (zh-hans: 2026年3月2日), in the office's time zone."""
    return date_format(timezone.localtime(moment).date(), "DATE_FORMAT")


def case_particulars(demand: Demand) -> dict[str, str]:
    """What identifies one case and its citizen in a reply: the name, the number, its dates (the
    particulars a similar case's reply must not carry to another). No query."""
    return {
        "citizen_name": demand.citizen_name,
        "number": demand.number,
        "received_on": _local_day(demand.received_at),
        "due_on": _local_day(demand.due_at),
    }


def reply_template_values(*, demand: Demand, now: datetime | None = None) -> dict[str, str]:
    """The variables' values for ``demand``: its particulars, today and its department, dates as
    the active language writes a date. ``demand.department`` should be loaded."""
    return {
        **case_particulars(demand),
        "today": _local_day(now or clock.now()),
        "department": demand.department.name if demand.department is not None else "",
    }


def reply_templates_for(*, demand: Demand) -> QuerySet[ReplyTemplate]:
    """The templates in use for the demand's kind and department (or kept for any), the most
    used first, then by name: one query."""
    return ReplyTemplate.objects.filter(
        Q(kind=demand.kind) | Q(kind=""),
        Q(department_id=demand.department_id) | Q(department__isnull=True),
        is_active=True,
    ).order_by("-use_count", "name", "pk")


def reply_template_choices(*, demand: Demand, now: datetime | None = None) -> list[TemplateChoice]:
    """The reply form's templates, each filled for ``demand``: one query whatever their number."""
    values = reply_template_values(demand=demand, now=now)
    choices = []
    for template in reply_templates_for(demand=demand)[:TEMPLATES_SHOWN]:
        filled = template_fill(template.text, values)
        choices.append(TemplateChoice(template, filled.text, filled.unknown))
    return choices


# --- Similar cases (相似案例) --------------------------------------------------------------------
#
# The rule, and why: similar past cases are found through the near-duplicate index that intake
# already keeps (opinions.similarity, MinHash-LSH: every demand's signature and its 32 band keys,
# indexed on the key), looked up over all of history rather than the duplicates' window. The
# lookup reads only the band rows whose key equals one of the demand's 32 keys, so its cost
# follows how many past demands resemble this one, not how many demands there are: it stays flat
# from 10,000 to 1,000,000 rows (tests/benchmarks/bench_knowledge.py). A trigram similarity over
# search_text (pg_trgm's ``%``) would have to visit every row sharing any of the text's hundreds of
# trigrams, which grows with the table. The price: a case phrased quite differently (below about
# 30 % shared three-character pieces) is rarely offered.

CANDIDATES_READ = 500  # the newest band matches read at most, however common the text
CASES_SHOWN = 5
CASE_FLOOR = 20  # percent: below this a shared band is chance, not a similar case


@dataclass(frozen=True)
class SimilarCase:
    demand: Demand
    similarity: int  # percent
    # Its reply with its own particulars (the citizen's name, the case number, its dates) replaced
    # by this demand's: what "start from this reply" puts in the box, and what the page shows.
    reply: str = ""


def reply_for_another_case(reply: str, *, source: dict[str, str], target: dict[str, str]) -> str:
    """``reply`` (written for the case with ``source`` particulars, ``case_particulars``: what must
    never reach another citizen) with each of them that it names replaced by the target's, the longest
    first so that a name inside a longer one is not cut; a particular the target lacks becomes its
    template variable, e.g. {姓名}, for the person replying to fill."""
    replacements = sorted(
        ((source[name], target.get(name) or "{" + VARIABLES[name][0] + "}") for name in source),
        key=lambda pair: -len(pair[0]),
    )
    for old, new in replacements:
        if len(old) >= 2 and old != new:  # a one-character name would replace ordinary words
            reply = reply.replace(old, new)
    return reply


def demand_text(demand: Demand) -> str:
    """What the similarity index compares of a demand: its subject and its text."""
    return f"{demand.subject}\n{demand.content}"


def similar_cases(*, user: AnyUser, demand: Demand, limit: int = CASES_SHOWN) -> list[SimilarCase]:
    """The past demands most like ``demand`` that have a reply, most similar first (then newest):
    never the demand itself nor a merged repeat (重复件), only demands the user may see. Two
    queries whatever the number shown: the band matches, then the demands."""
    own = signature(demand_text(demand))
    if own is None:
        return []
    rows = (
        SimilarityBand.objects.filter(key__in=own.band_keys(), signature__kind=ItemKind.DEMAND)
        .exclude(signature__item_id=demand.pk)
        .order_by("-received_at")
        .values_list("signature__item_id", "signature__signature")[:CANDIDATES_READ]
    )
    scores: dict[int, int] = {}
    for item_id, data in rows:
        if item_id not in scores:
            scores[item_id] = round(own.similarity(Signature.from_bytes(data)) * 100)
    ranked = [item_id for item_id, score in sorted(scores.items(), key=lambda pair: -pair[1]) if score >= CASE_FLOOR]
    if not ranked:
        return []
    found = {
        case.pk: case
        for case in demands_visible(user=user)
        .filter(counted_q(), replied_q(), pk__in=ranked)
        .exclude(reply_text="")
        .only("pk", "number", "subject", "reply_text", "received_at", "due_at", "citizen_name", "kind", "state")
    }
    target = case_particulars(demand)
    cases = [
        SimilarCase(
            found[pk],
            scores[pk],
            reply_for_another_case(found[pk].reply_text, source=case_particulars(found[pk]), target=target),
        )
        for pk in ranked
        if pk in found
    ]
    cases.sort(key=lambda case: (-case.similarity, -case.demand.received_at.timestamp()))
    return cases[:limit]


# --- Hot issues (热点问题) -----------------------------------------------------------------------

PERIODS = ("year", "all")
HOT_SHOWN = 5  # the 热点问题: the box lists them, the FAQ list's badge marks the same ones


def faq_asked_q(*, since: datetime | None = None) -> Q:
    """The one rule of how often an entry's question was asked: the demands linked to it, not
    merged as a repeat (a 重复件 is its original asked again, never counted twice), received from
    ``since`` on when given. For ``Count("demands", filter=…)`` on FaqEntry."""
    rule = counted_q("demands__")
    if since is not None:
        rule &= Q(demands__received_at__gte=since)
    return rule


def faq_period_start(period: str, *, now: datetime | None = None) -> datetime | None:
    """Where a period starts: this year (local) from 1 January 00:00; "all" has no start."""
    if period != "year":
        return None
    return clock.year_span(clock.local_year(now or clock.now()))[0]


def faq_entries(*, search: str = "", period: str = "all", now: datetime | None = None) -> QuerySet[FaqEntry]:
    """Policy entries, hot issues first: by how often the question was asked in the period
    (``faq_asked_q``), then newest. Each row carries ``asked``."""
    since = faq_period_start(period, now=now)
    queryset = FaqEntry.objects.annotate(asked=Count("demands", filter=faq_asked_q(since=since))).order_by(
        "-asked", "-created_at", "pk"
    )
    return search_filter(queryset, search)  # FaqEntry.SEARCH_FIELDS: the question and the answer


def faq_hot(*, period: str = "year", limit: int = HOT_SHOWN, now: datetime | None = None) -> list[FaqEntry]:
    """The top ``limit`` entries asked at least once in the period: the 热点问题 panel, one query."""
    return list(faq_entries(period=period, now=now).filter(Q(asked__gt=0))[:limit])


def reply_templates_kept() -> QuerySet[ReplyTemplate]:
    """Every template, for the page that keeps them: in use first, then as the reply form orders."""
    return ReplyTemplate.objects.select_related("department").order_by("-is_active", "-use_count", "name", "pk")

"""Rows from before the rounds existed get the rounds, call-backs and hand-backs their archive and
fields imply (migration 0012 and ``demand_rounds_backfill``, which share one mapping)."""

import ast
import importlib
import inspect
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from opinions.models import (
    DailyFiguresState,
    Demand,
    DemandCallBack,
    DemandDay,
    DemandHandBack,
    DemandKind,
    DemandRound,
)
from opinions.selectors.figures import office_demand_figures
from opinions.services import demand_rounds
from opinions.services import demands as s
from tests.opinions.factories import DemandFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.usefixtures("travel")
migration = importlib.import_module("opinions.migrations.0012_demand_rounds_backfill")
ROUND_FIELDS = (
    "number",
    "started_at",
    "due_at",
    "extension_asked_at",
    "extension_until",
    "extension_decision",
    "extension_decided_at",
    "replied_at",
)


def at(month, day, hour, minute=0) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=SHANGHAI)


def records(demand):
    return (
        list(demand.rounds.order_by("number").values_list(*ROUND_FIELDS)),
        list(demand.call_backs.order_by("number").values_list("number", "round", "at", "result")),
        list(demand.hand_backs.values_list("round", "reason", "decision")),
    )


def forget(demand):
    for model in (DemandRound, DemandCallBack, DemandHandBack):
        model.objects.filter(demand=demand).delete()


@pytest.fixture
def redone(cast, channel_factory):
    """Round 0: due 03-04 09:00, extension asked 03-04 08:00 until 03-05 09:00, approved 03-04 10:00
    (after the deadline), replied 03-05 08:00 (on time). Unsatisfied call-back 03-06 09:00 → round 1
    due 03-07 09:00, replied 03-07 12:00 (late), completed, satisfied 03-08 09:00."""
    staff, sup = cast["staff"].user, cast["supervisor"].user
    demand = s.demand_create(
        actor=sup,
        kind=DemandKind.COMPLAINT,
        channel=channel_factory(),
        subject="噪音",
        content="夜间施工",
        received_at=at(3, 3, 9),
        now=at(3, 3, 9),
    )
    s.demand_claim(demand=demand, actor=staff, now=at(3, 3, 9, 30))
    s.demand_request_extension(demand=demand, actor=staff, until=at(3, 5, 9), reason="核查", now=at(3, 4, 8))
    s.demand_decide_extension(demand=demand, actor=sup, approve=True, now=at(3, 4, 10))
    s.demand_reply(demand=demand, actor=staff, reply_text="答复", now=at(3, 5, 8))
    s.demand_complete(demand=demand, actor=staff, resolution="办结", now=at(3, 5, 9))
    s.demand_call_back(demand=demand, actor=staff, satisfaction="unsatisfied", now=at(3, 6, 9))
    s.demand_reply(demand=demand, actor=staff, reply_text="重办答复", now=at(3, 7, 12))
    s.demand_complete(demand=demand, actor=staff, resolution="再次办结", now=at(3, 7, 13))
    s.demand_call_back(demand=demand, actor=staff, satisfaction="satisfied", now=at(3, 8, 9))
    return Demand.objects.get(pk=demand.pk)


def test_the_backfill_replays_what_the_services_recorded(redone):
    kept = records(redone)
    assert kept[0] == [
        (0, at(3, 3, 9), at(3, 4, 9), at(3, 4, 8), at(3, 5, 9), "approved", at(3, 4, 10), at(3, 5, 8)),
        (1, at(3, 6, 9), at(3, 7, 9), None, None, "", None, at(3, 7, 12)),
    ]
    forget(redone)
    assert demand_rounds.demand_rounds_backfill() == 1
    assert records(redone) == kept
    assert demand_rounds.demand_rounds_backfill() == 0  # a second run finds nothing to do


def test_the_migration_fills_the_same(redone):
    kept = records(redone)
    forget(redone)
    migration.fill(apps, None)
    assert records(redone) == kept


class _Unannotated(ast.NodeTransformer):
    """A function's syntax tree without its type hints: the service's copy is typed (mypy), the
    migration's is not (it must not import app code), and the statements must be the same."""

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.annotation = None
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef) -> ast.FunctionDef:
        node.returns = None
        self.generic_visit(node)
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign) -> ast.Assign | None:
        return None if node.value is None else ast.Assign(targets=[node.target], value=node.value, lineno=0)


def _unannotated(function) -> str:
    return ast.dump(_Unannotated().visit(ast.parse(inspect.getsource(function))))


def test_the_migration_holds_the_services_mapping_unchanged():
    assert _unannotated(migration.legacy_records) == _unannotated(demand_rounds.legacy_records)


def test_the_mapping_comparison_sees_a_changed_statement():
    """The comparison above ignores type hints only: one changed comparison is a difference."""
    changed = ast.parse(inspect.getsource(migration.legacy_records).replace("start <= entry[0]", "start < entry[0]"))
    assert ast.dump(_Unannotated().visit(changed)) != _unannotated(migration.legacy_records)


def test_a_row_without_records_gets_them_from_its_fields(db):
    """Received 06-01 09:00, due 06-02 09:00, replied 06-02 10:00 (late), completed, called back
    fairly satisfied: one round, replied late; one call-back."""
    demand = DemandFactory(
        received_at=at(6, 1, 9),
        due_at=at(6, 2, 9),
        state=Demand.State.COMPLETED,
        first_replied_at=at(6, 2, 10),
        replied_at=at(6, 2, 10),
        completed_at=at(6, 3, 9),
        satisfaction=Demand.Satisfaction.FAIRLY,
        rounds=False,
    )
    assert not demand.rounds.exists()
    migration.fill(apps, None)
    assert records(demand) == (
        [(0, at(6, 1, 9), at(6, 2, 9), None, None, "", None, at(6, 2, 10))],
        [(0, 0, at(6, 3, 9), "fairly")],
        [],
    )
    figures, _rows = office_demand_figures(start=at(6, 1, 0), end=at(7, 1, 0))
    assert (figures.replied, figures.replied_on_time, figures.replied_late, figures.satisfied) == (1, 0, 1, 1)


def test_the_migration_resets_the_daily_state(db):
    DailyFiguresState.objects.create(pk=1, rebuilt_at=at(1, 1, 0), refreshed_at=at(1, 1, 0))
    migration.fill(apps, None)
    assert DailyFiguresState.objects.get().rebuilt_at is None
    assert not DemandDay.objects.exists()

"""Demands (诉求): every change of state, each locked, re-checked, written and archived in one
transaction. No view changes a demand by itself. One module per part of the loop; they are all
named here so callers write ``demands.demand_reply``."""

from opinions.services.demands.entry import demand_create, demand_create_from_post, demand_numbers_take
from opinions.services.demands.faq import demand_link_faq, faq_entry_create_from_demand
from opinions.services.demands.handling import (
    demand_assign,
    demand_call_back,
    demand_claim,
    demand_complete,
    demand_proof_acknowledge,
    demand_reply,
    demand_review,
    demand_sign_off,
)
from opinions.services.demands.supervision import (
    demand_decide_extension,
    demand_decide_hand_back,
    demand_hand_back,
    demand_merge,
    demand_press,
    demand_request_extension,
    demand_unmerge,
)

__all__ = [
    "demand_assign",
    "demand_call_back",
    "demand_claim",
    "demand_complete",
    "demand_create",
    "demand_create_from_post",
    "demand_decide_extension",
    "demand_decide_hand_back",
    "demand_hand_back",
    "demand_link_faq",
    "demand_merge",
    "demand_numbers_take",
    "demand_press",
    "demand_proof_acknowledge",
    "demand_reply",
    "demand_request_extension",
    "demand_unmerge",
    "demand_review",
    "demand_sign_off",
    "faq_entry_create_from_demand",
    "supervisors",
]

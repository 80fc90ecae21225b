"""Every change of state in publicity, each writing its archive record in its own transaction:
posts through approval to publication (``posts``), quotas and the behind-pace warning
(``quotas``), coverage, platform statistics and the disclosure ledger (``records``)."""

from publicity.services.posts import (
    post_approve,
    post_correct_publication,
    post_create,
    post_proof_acknowledge,
    post_publish,
    post_return,
    post_submit,
    post_update,
    post_withdraw,
)
from publicity.services.quotas import quota_delete, quota_save, quotas_warn_behind_pace
from publicity.services.records import coverage_create, disclosure_create, statistic_record

__all__ = [
    "coverage_create",
    "disclosure_create",
    "post_approve",
    "post_correct_publication",
    "post_create",
    "post_proof_acknowledge",
    "post_publish",
    "post_return",
    "post_submit",
    "post_update",
    "post_withdraw",
    "quota_delete",
    "quota_save",
    "quotas_warn_behind_pace",
    "statistic_record",
]

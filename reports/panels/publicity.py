"""The publicity panel on "My work": this year's quota progress for everyone, the approval queue's
size for leaders, and the person's returned posts."""

from bureau import clock
from publicity import selectors
from publicity.models import PublicityPost
from reports.panels.panel import HomePanel


def panels(*, user, person) -> list[HomePanel]:
    if not user.has_perm("publicity.view_publicitypost"):
        return []
    year = clock.today().year
    can_approve = user.has_perm("publicity.approve_publicitypost")
    returned_count = (
        selectors.post_list_mine(user=user).filter(state=PublicityPost.State.RETURNED).count() if person else 0
    )
    context = {
        "year": year,
        "progress_list": selectors.quota_progress_shown(year=year),
        "can_approve": can_approve,
        "queue_count": selectors.approval_queue_count(user=user) if can_approve else 0,
        "returned_count": returned_count,
    }
    return [HomePanel(template="publicity/home_panel.html", context=context, order=30)]

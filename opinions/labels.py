"""The opinions app's archive actions, named (see archive/labels.py)."""

from django.utils.translation import gettext_lazy as _

from opinions.selectors.demands import STEP_LABELS

ACTION_LABELS = {
    "opinions.post.entered": _("Post entered by hand"),
    "opinions.post.imported": _("Posts imported"),
    "opinions.post.viewed": _("Post viewed"),
    "opinions.post.edited": _("Post edited"),
    "opinions.post.flagged": _("Post flagged by screening"),
    "opinions.post.taken_down": _("Post taken down"),
    "opinions.post.takedown_undone": _("Takedown undone"),
    "opinions.post.cleared": _("Cleared as a false alarm"),
    "opinions.post.followed_up": _("Post followed up"),
    "opinions.post.answered": _("Post answered"),
    "opinions.post.filed": _("Post filed"),
    "opinions.channel.posts_received": _("Posts received from a feed"),
    "opinions.channel.snapshots_taken": _("Evidence snapshots of a feed's new posts"),
    "opinions.post.snapshot_taken": _("Evidence snapshot taken"),
    "opinions.patrolrecord.created": _("Patrol recorded"),
    "opinions.faqentry.created": _("Policy entry created"),
    **{f"opinions.demand.{step}": label for step, label in STEP_LABELS.items()},
}

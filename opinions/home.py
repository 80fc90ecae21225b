"""The opinions panel of "my work": new posts in the person's own sections, the takedown queue,
failing channels (for those who watch channel health)."""

from bureau.home import HomePanel
from opinions.models import Post
from opinions.selectors.posts import failing_channels, my_new_posts


def panels(*, user, person) -> list[HomePanel]:
    if not user.has_perm("opinions.view_monitor"):
        return []
    context = {"posts": my_new_posts(user=user, person=person)}
    if user.has_perm("opinions.take_down_post"):
        context["flagged_count"] = Post.objects.filter(screening=Post.Screening.FLAGGED).count()
    if user.has_perm("opinions.view_channel_health"):
        context["failing_channels"] = failing_channels()
    return [HomePanel(template="opinions/_home_panel.html", context=context, order=10)]

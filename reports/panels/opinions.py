"""The opinions panels of "my work": my demands by deadline; new posts in the person's own sections, the takedown queue,
failing channels (for those who watch channel health)."""

from bureau import clock
from opinions.models import Post
from opinions.selectors.demands import my_demands, unassigned_in_my_sections
from opinions.selectors.figures import overdue_now_visible
from opinions.selectors.posts import failing_channels, my_new_posts
from opinions.selectors.todo import demand_todo_items, demand_todos_for
from reports.panels.panel import HomePanel


def panels(*, user, person) -> list[HomePanel]:
    result = _demand_panels(user=user, person=person)
    if not user.has_perm("opinions.view_monitor"):
        return result
    context = {"posts": my_new_posts(user=user, person=person)}
    if user.has_perm("opinions.take_down_post"):
        context["flagged_count"] = Post.objects.filter(screening=Post.Screening.FLAGGED).count()
    if user.has_perm("opinions.view_channel_health"):
        context["failing_channels"] = failing_channels()
    return [HomePanel(template="opinions/_home_panel.html", context=context, order=10), *result]


def _demand_panels(*, user, person) -> list[HomePanel]:
    """My demands with work left, and the unassigned ones in my sections; for a leader (who sees
    every demand but handles none) what waits for them and the office's overdue count."""
    if user.has_perm("opinions.view_all_demands") and not user.has_perm("opinions.handle_demand"):
        return _leader_panel(user=user)
    if not user.has_perm("opinions.handle_demand") or person is None:
        return []
    context = {
        "mine": my_demands(user=user, person=person),
        "unassigned": unassigned_in_my_sections(user=user, person=person),
        "now": clock.now(),
    }
    if user.has_perm("opinions.supervise_demand"):
        context["overdue_count"] = overdue_now_visible(user=user, now=context["now"])
    return [HomePanel(template="opinions/_demand_panel.html", context=context, order=5)]


LEADER_LISTS = ("sign_off", "review")


def _leader_panel(*, user) -> list[HomePanel]:
    now = clock.now()
    lists = [
        {"todo": todo, "items": demand_todo_items(user=user, key=todo.key, now=now, limit=5)}
        for todo in demand_todos_for(user=user)
        if todo.key in LEADER_LISTS
    ]
    context = {"lists": lists, "now": now, "overdue_count": overdue_now_visible(user=user, now=now)}
    return [HomePanel(template="opinions/_leader_demand_panel.html", context=context, order=5)]

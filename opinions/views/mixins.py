from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme

from opinions.selectors.posts import post_get


class PostAccessMixin:
    """After the permission check, loads ``self.post_object`` through the user-scoped selector
    (not visible → 404). Put it after PermissionRequiredMixin."""

    def dispatch(self, request, *args, **kwargs):
        self.post_object = post_get(user=request.user, pk=kwargs["pk"])
        if self.post_object is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default

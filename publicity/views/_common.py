"""What the publicity pages share: query-string and year helpers, the post access mixin and the
filtered list base."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import Http404
from django.views.generic import ListView

from bureau import clock
from bureau.pagination import LastPagePaginator, query_string_without_page
from publicity import selectors
from publicity.models import PublicityPost


class PostAccessMixin:
    """Loads ``self.post`` through the user-scoped selector: not visible → 404."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            try:
                self.post_obj = selectors.post_get(user=request.user, pk=kwargs["pk"])
            except PublicityPost.DoesNotExist as error:
                raise Http404 from error
        return super().dispatch(request, *args, **kwargs)


class FilteredListView(PermissionRequiredMixin, ListView):
    """A paginated list whose rows come from a selector's bound filter set."""

    paginate_by = 30
    paginator_class = LastPagePaginator

    def filterset(self):
        raise NotImplementedError

    def get_queryset(self):
        self.bound_filterset = self.filterset()
        return self.bound_filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.bound_filterset
        context["query_string"] = query_string_without_page(self.request)
        context["today"] = clock.today()
        return context

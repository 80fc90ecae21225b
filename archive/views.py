"""Archive pages: the filtered list, one record, and the chain check."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import DetailView, ListView, TemplateView

from archive.filters import ArchiveRecordFilter
from archive.selectors import archive_record_list
from archive.services import archive_verify


class ArchiveRecordListView(PermissionRequiredMixin, ListView):
    permission_required = "archive.view_archiverecord"
    template_name = "archive/record_list.html"
    context_object_name = "records"
    paginate_by = 50

    def get_queryset(self):
        return archive_record_list(user=self.request.user, filters=self.request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        # The form only re-displays the request's values and errors; the selector did the filtering.
        context["filter_form"] = ArchiveRecordFilter(self.request.GET).form
        context["query_string"] = params.urlencode()  # _pagination.html keeps the filters across pages
        context["is_filtered"] = bool(params)
        return context


class ArchiveRecordDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "archive.view_archiverecord"
    template_name = "archive/record_detail.html"
    context_object_name = "record"

    def get_queryset(self):
        return archive_record_list(user=self.request.user)


class ArchiveVerifyView(PermissionRequiredMixin, TemplateView):
    """A button that walks the chain (POST, so no link prefetcher or crawler starts the walk)."""

    permission_required = "archive.verify_archive"
    template_name = "archive/verify.html"

    def post(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(result=archive_verify()))

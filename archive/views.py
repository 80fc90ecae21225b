"""Archive pages: the filtered list and its export, one record, and the chain check."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, TemplateView

from archive.exports import archive_export_xlsx
from archive.filters import ArchiveRecordFilter
from archive.models import ArchiveCheck
from archive.selectors import archive_check_history, archive_check_latest, archive_record_list
from archive.services import archive_check_run
from bureau.exports import XLSX_CONTENT_TYPE
from bureau.pagination import query_string_without_page, quick_page


class ArchiveRecordListView(PermissionRequiredMixin, TemplateView):
    """The filtered archive, newest first, paged without a total count (``quick_page``): a COUNT
    over the whole archive would grow with it."""

    permission_required = "archive.view_archiverecord"
    template_name = "archive/record_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = archive_record_list(user=self.request.user, filters=self.request.GET)
        context["records"] = context["page"] = quick_page(records, self.request.GET.get("page"), per_page=50)
        query_string = query_string_without_page(self.request)
        # The form only re-displays the request's values and errors; the selector did the filtering.
        context["filter_form"] = ArchiveRecordFilter(self.request.GET).form
        context["query_string"] = query_string  # _pager.html and the export keep the filters
        context["is_filtered"] = bool(query_string)
        context["latest_check"] = archive_check_latest(user=self.request.user)
        return context


class ArchiveExportView(PermissionRequiredMixin, View):
    """The filtered list as xlsx, streamed from a temporary file; the export is itself archived."""

    permission_required = "archive.view_archiverecord"

    def get(self, request, *args, **kwargs):
        stream, filename, _rows = archive_export_xlsx(user=request.user, filters=request.GET, request=request)
        response = FileResponse(stream, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
        response["X-Content-Type-Options"] = "nosniff"
        return response


class ArchiveRecordDetailView(PermissionRequiredMixin, DetailView):
    permission_required = "archive.view_archiverecord"
    template_name = "archive/record_detail.html"
    context_object_name = "record"

    def get_queryset(self):
        return archive_record_list(user=self.request.user)


class ArchiveVerifyView(PermissionRequiredMixin, TemplateView):
    """The latest stored checks, and a button that walks the chain now (POST, so no link prefetcher
    or crawler starts the walk); the result is stored and shown after a redirect."""

    permission_required = "archive.verify_archive"
    template_name = "archive/verify.html"

    def get_context_data(self, **kwargs):
        history = archive_check_history(user=self.request.user)
        return super().get_context_data(result=history[0] if history else None, history=history, **kwargs)

    def post(self, request, *args, **kwargs):
        check = archive_check_run(source=ArchiveCheck.Source.PAGE, actor=request.user)
        if check.is_ok:
            messages.success(request, _("The archive chain was checked."))
        else:
            messages.error(request, _("The archive chain is broken."))
        return redirect("archive:verify")

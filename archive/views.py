from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import ListView

from archive.models import ArchiveRecord


class ArchiveRecordListView(PermissionRequiredMixin, ListView):
    permission_required = "archive.view_archiverecord"
    template_name = "archive/record_list.html"
    context_object_name = "records"
    paginate_by = 50

    def get_queryset(self):
        return ArchiveRecord.objects.select_related("actor")

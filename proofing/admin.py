from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from bureau import clock
from bureau.admin_base import ReadOnlyAdmin
from proofing.models import ProofAcknowledgement, ProofList, ProofTerm
from proofing.services import proof_list_saved


class ProofTermInline(admin.TabularInline):
    model = ProofTerm
    extra = 5
    fields = ["wrong", "correct", "note"]


@admin.register(ProofList)
class ProofListAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "term_count", "is_active", "updated_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "terms__wrong", "terms__correct"]
    fields = ["name", "kind", "is_active", "note", "updated_at"]
    readonly_fields = ["updated_at"]
    inlines = [ProofTermInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(term_total=Count("terms"))

    @admin.display(description=_("terms"), ordering="term_total")
    def term_count(self, obj):
        return obj.term_total

    def save_model(self, request, obj, form, change):
        if obj.updated_at is None:
            obj.updated_at = clock.now()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The list and its terms are saved: one archived change, and every matcher rebuilt.
        proof_list_saved(proof_list=form.instance, actor=request.user, request=request)


@admin.register(ProofAcknowledgement)
class ProofAcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["written", "wrong", "field", "content_type", "object_id", "by", "at"]
    list_filter = ["content_type"]
    search_fields = ["written", "wrong", "reason"]
    list_select_related = ["by", "content_type"]

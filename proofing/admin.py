from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from bureau import clock
from bureau.admin_base import ReadOnlyAdmin
from bureau.imports import read_table
from proofing.models import ProofAcknowledgement, ProofList, ProofTerm
from proofing.services import proof_list_saved, proof_terms_import

TERM_FILE_MAX_BYTES = 2 * 1024 * 1024
TERM_FILE_MAX_ROWS = 20_000


class ProofListForm(forms.ModelForm):
    term_file = forms.FileField(
        label=_("Import terms from a table"),
        required=False,
        help_text=_(
            "An .xlsx or .csv file: the first row is a header, then one term a row — what is looked "
            "for, its correct form (may be empty), a note (may be empty). A term already in the list "
            "is updated."
        ),
    )

    class Meta:
        model = ProofList
        fields = ["name", "kind", "is_active", "note"]

    def clean_term_file(self) -> list[tuple[str, str, str]]:
        upload = self.cleaned_data.get("term_file")
        if not upload:
            return []
        rows = read_table(upload, max_bytes=TERM_FILE_MAX_BYTES, max_rows=TERM_FILE_MAX_ROWS)[1:]
        terms = []
        for number, row in enumerate(rows, start=2):
            cells = [*row, "", "", ""][:3]
            if not cells[0]:
                continue
            if max(len(cells[0]), len(cells[1]), len(cells[2])) > 200:
                raise ValidationError(_t("Row %(row)d: a cell is longer than 200 characters.") % {"row": number})
            terms.append((cells[0], cells[1], cells[2]))
        return terms


class ProofTermInline(admin.TabularInline):
    model = ProofTerm
    extra = 5
    fields = ["wrong", "correct", "note"]


@admin.register(ProofList)
class ProofListAdmin(admin.ModelAdmin):
    form = ProofListForm
    list_display = ["name", "kind", "term_count", "is_active", "updated_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "terms__wrong", "terms__correct"]
    fields = ["name", "kind", "is_active", "note", "term_file", "updated_at"]
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
        proof_terms_import(proof_list=form.instance, rows=form.cleaned_data.get("term_file") or [])
        # The list and its terms are saved: one archived change, and every matcher rebuilt.
        proof_list_saved(proof_list=form.instance, actor=request.user, request=request)


@admin.register(ProofAcknowledgement)
class ProofAcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["written", "wrong", "field", "content_type", "object_id", "by", "at"]
    list_filter = ["content_type"]
    search_fields = ["written", "wrong", "reason"]
    list_select_related = ["by", "content_type"]

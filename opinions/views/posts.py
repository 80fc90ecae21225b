from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from bureau import clock
from bureau.exports import Sheet, csv_response, xlsx_response
from bureau.views_base import ActionView
from opinions.forms import ClearForm, HandleForm, ImportForm, PostEntryForm, TakedownForm, UndoTakedownForm
from opinions.intake.tables import COLUMNS, example_row, read_upload, valid_values
from opinions.models import DemandKind
from opinions.selectors.channels import channels_for_entry
from opinions.selectors.posts import highlight, hits_with_names, post_history, post_snapshots
from opinions.selectors.similarity import near_duplicates
from opinions.services.posts import (
    import_preview_keep,
    import_preview_take,
    post_enter,
    post_handle,
    post_view,
    posts_import,
)
from opinions.views.mixins import PostAccessMixin, safe_next

IMPORT_SESSION_KEY = "opinions.import"


class PostDetailView(PermissionRequiredMixin, PostAccessMixin, TemplateView):
    """A post's text, channel, screening hits and archive history. Opening it is recorded."""

    permission_required = "opinions.view_monitor"
    template_name = "opinions/post_detail.html"

    def get(self, request, *args, **kwargs):
        post_view(post=self.post_object, actor=request.user, request=request)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        post = self.post_object
        hits = hits_with_names(post.hits)
        prohibited = [hit for hit in hits if hit.get("purpose") == "prohibited"]
        watch = [hit for hit in hits if hit.get("purpose") == "watch"]
        context.update(
            post=post,
            title_segments=highlight(post.title, post.hits, "title"),
            body_segments=highlight(post.body, post.hits, "body"),
            prohibited_hits=prohibited,
            watch_hits=watch,
            history=post_history(post=post),  # .records and .browsing, for archive/_history.html
            takedown_form=TakedownForm(initial={"category": post.category_id}),
            clear_form=ClearForm(),
            undo_form=UndoTakedownForm(),
            handle_form=HandleForm(),
            demand_kinds=DemandKind.choices,
            snapshots=post_snapshots(post=post),
            similar=[{"row": row} for row in near_duplicates(user=self.request.user, post=post)],
        )
        return context


class PostAction(ActionView, PostDetailView):
    """An action posted from the post's page, or from a row of the takedown queue (which sends its
    form ``prefix`` and where to go ``next``). A refusal shows the post's page with the form."""

    def get_prefix(self) -> str | None:
        return self.request.POST.get("prefix") or None

    def service_kwargs(self, form: Form) -> dict[str, Any]:
        return {"post": self.post_object, **super().service_kwargs(form)}

    def get_success_url(self) -> str:
        return safe_next(self.request, self.post_object.get_absolute_url())


class PostHandleView(PostAction):
    permission_required = "opinions.handle_post"
    form_class, form_context_name, service = HandleForm, "handle_form", post_handle
    success_message = gettext_lazy("The post's status was updated.")


class PostEntryView(PermissionRequiredMixin, FormView):
    """Enter a post that arrived by phone, letter or from a site without a feed."""

    permission_required = "opinions.enter_post"
    template_name = "opinions/post_entry.html"
    form_class = PostEntryForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "channels": channels_for_entry()}

    def form_valid(self, form):
        try:
            post = post_enter(actor=self.request.user, request=self.request, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)  # the page re-displays; nothing typed is lost
            return self.form_invalid(form)
        if post.is_flagged:
            messages.warning(self.request, _("The post was saved and sent to the takedown queue."))
        else:
            messages.success(self.request, _("The post was saved."))
        return redirect(post)


class PostImportView(PermissionRequiredMixin, FormView):
    """Upload a table; bad rows are listed and the person chooses: import the good rows, or nothing."""

    permission_required = "opinions.enter_post"
    template_name = "opinions/post_import.html"
    form_class = ImportForm

    def form_valid(self, form):
        try:
            preview = read_upload(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
            return self.form_invalid(form)
        # The session keeps only the token; the rows stay on the server (import_preview_keep).
        self.request.session[IMPORT_SESSION_KEY] = import_preview_keep(rows=preview.good, actor=self.request.user)
        return self.render_to_response(self.get_context_data(form=ImportForm(), preview=preview))


class PostImportConfirmView(PermissionRequiredMixin, View):
    permission_required = "opinions.enter_post"

    def post(self, request):
        rows = import_preview_take(token=request.session.pop(IMPORT_SESSION_KEY, None), actor=request.user)
        if request.POST.get("choice") != "import" or not rows:
            messages.info(request, _("Nothing was imported."))
            return redirect("opinions:post-import")
        totals = posts_import(rows=rows, actor=request.user, request=request)
        messages.success(
            request,
            _("%(created)s posts imported (%(flagged)s to the takedown queue); %(unchanged)s already recorded.")
            % totals,
        )
        return redirect("opinions:monitor")


class ImportTemplateView(PermissionRequiredMixin, View):
    """The import template: the columns, an example row that imports as downloaded, and (xlsx) a
    second sheet of the channel and section names the columns accept."""

    permission_required = "opinions.enter_post"

    def get(self, request, fmt):
        header = [str(column) for column in COLUMNS]
        example = example_row(now=clock.now())
        if fmt == "xlsx":
            widths = [14, 30, 50, 12, 30, 22, 16]
            values_header, values = valid_values()
            sheets = [
                Sheet(title=_("Posts"), header=header, rows=[example], widths=widths),
                Sheet(title=_("Valid values"), header=values_header, rows=values, widths=[24, 16, 30]),
            ]
            return xlsx_response(filename="posts-import-template.xlsx", sheets=sheets)
        if fmt == "csv":
            return csv_response(filename="posts-import-template.csv", header=header, rows=[example])
        raise Http404

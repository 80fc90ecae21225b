"""Input shapes for publicity pages; saving happens in the services."""

from datetime import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from bureau import bounds, clock
from bureau.models import Department, Person, Role
from publicity.models import DisclosureItem, MediaOutlet, Platform, PublicityPost, PublicityQuota


def _date():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _helper(label) -> FormHelper:
    helper = FormHelper()
    helper.add_input(Submit("submit", label))
    return helper


class PublicityPostForm(forms.ModelForm):
    class Meta:
        model = PublicityPost
        fields = ["title", "body", "department", "platform", "planned_on"]
        widgets = {"planned_on": _date(), "body": forms.Textarea(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["platform"].queryset = Platform.objects.filter(is_active=True)
        self.helper = _helper(_("Save"))


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("return", _("Return"))], widget=forms.HiddenInput)


class PublishForm(forms.Form):
    published_on = forms.DateField(label=_("Published on"), widget=_date())
    link = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("published_on", clock.today())
        super().__init__(*args, **kwargs)


class CorrectPublicationForm(PublishForm):
    reason = forms.CharField(label=_("Why the correction"), max_length=500)


class MediaCoverageForm(forms.Form):
    outlet = forms.ModelChoiceField(label=_("Outlet"), queryset=MediaOutlet.objects.filter(is_active=True))
    reported_on = forms.DateField(label=_("Date"), widget=_date())
    title = forms.CharField(label=_("Title"), max_length=200)
    link = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    post = forms.ModelChoiceField(
        label=_("Related publicity post"),
        required=False,
        queryset=PublicityPost.objects.published().order_by("-published_on", "-pk"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the last two years' posts: the list stays short enough to pick from.
        self.fields["post"].queryset = self.fields["post"].queryset.filter(
            published_on__year__gte=clock.today().year - 1
        )
        self.helper = _helper(_("Record"))


class MonthField(forms.DateField):
    input_formats = ["%Y-%m"]
    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class PlatformStatisticForm(forms.Form):
    platform = forms.ModelChoiceField(label=_("Platform"), queryset=Platform.objects.filter(is_active=True))
    month = MonthField(label=_("Month"))
    followers = forms.IntegerField(label=_("Followers"), min_value=0)
    posts_published = forms.IntegerField(label=_("Posts published"), min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record"))

    def clean_month(self):
        month = self.cleaned_data["month"]
        if isinstance(month, datetime):
            month = month.date()
        if month.replace(day=1) > clock.today():
            raise forms.ValidationError(_("The month has not begun yet."))
        return month.replace(day=1)


class DisclosureItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=DisclosureItem.Category.choices)
    document_number = forms.CharField(label=_("Document number"), max_length=100, required=False)
    published_on = forms.DateField(label=_("Published on"), widget=_date())
    platform = forms.ModelChoiceField(label=_("Published where"), queryset=Platform.objects.filter(is_active=True))
    link = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.all())
    approved_by = forms.ModelChoiceField(
        label=_("Approved by"),
        queryset=Person.objects.active().filter(role__in=[Role.DIRECTOR, Role.LEADER, Role.OFFICE_HEAD]),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record"))


class PublicityQuotaForm(forms.ModelForm):
    """The admin's quota form: the year within ``bureau.bounds`` (a quota for 1999 is a typing error)."""

    class Meta:
        model = PublicityQuota
        fields = ["year", "department", "platform", "platform_kind", "minimum", "notes"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        problem = bounds.year_problem(year)
        if problem:
            raise forms.ValidationError(problem)
        return year

from django.apps import apps
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from bureau import views
from bureau.forms import OfficeAuthenticationForm, OfficePasswordChangeForm
from reports import views as reports_views

admin.site.site_header = _("Online opinion office administration")
admin.site.site_title = _("Online opinion office")
admin.site.index_title = _("Configuration")

urlpatterns = [
    path("", reports_views.HomeView.as_view(), name="home"),
    path("todo/", reports_views.TodoView.as_view(), name="todo"),
    path("search/", reports_views.SearchView.as_view(), name="search"),
    path("duty/desk/", reports_views.DutyDeskView.as_view(), name="duty-desk"),
    path("organisation/", views.OrganisationView.as_view(), name="organisation"),
    path("organisation/resources/", views.ResourcesView.as_view(), name="resources"),
    path("notifications/", views.NotificationListView.as_view(), name="notification-list"),
    path("notifications/<int:pk>/open/", views.NotificationOpenView.as_view(), name="notification-open"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=OfficeAuthenticationForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(form_class=OfficePasswordChangeForm),
        name="password_change",
    ),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("dashboard/", include("reports.dashboard.urls")),
    path("annual/", include("reports.annual.urls")),
    path("briefings/", include("reports.briefings.urls")),
    path("archive/", include("archive.urls")),
    path("opinions/", include("opinions.urls")),
    path("publicity/", include("publicity.urls")),
    path("duty/", include("assignments.urls")),
    path("events/", include("events.urls")),
    path("alerts/", include("alerts.urls")),
    path("admin/", admin.site.urls),
]

if apps.is_installed("demo"):
    # The demo office's own feeds (demo/feeds.py): polling works without the internet.
    urlpatterns.append(path("demo/", include("demo.urls")))

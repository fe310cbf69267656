from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("login/", auth_views.LoginView.as_view(template_name="dashboard/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # set_language: the dashboard's language switcher posts here (a cookie, then back to the page).
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("listening.api.urls")),
    path("", include("dashboard.urls")),
]

# No detail, no database query, the request id to quote; JSON under /api/. (/healthz and /readyz
# are answered by listening.serving.health.HealthCheckMiddleware, before any URL is resolved.)
handler500 = "listening.serving.errors.server_error"
# JSON under /api/ (an id that is no number matches no route), the dashboard's page elsewhere.
handler404 = "listening.api.exceptions.not_found"

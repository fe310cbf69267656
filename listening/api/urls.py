"""Routes of /api/v1/. Tenant APIs live under tenants/<tenant_slug>/ and inherit
TenantScopedViewSetMixin; tests/isolation walks these patterns to find every one of them."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from listening.api.alerts import AlertChannelViewSet, AlertSettingsView, AlertViewSet
from listening.api.brands import BrandViewSet
from listening.api.complaints import (
    ComplaintViewSet,
    HolidayViewSet,
    ResponseMetricsView,
    ResponseSettingsView,
)
from listening.api.corrections import CorrectionExportView, CorrectionViewSet, RuleViewSet
from listening.api.flags import FlagsView
from listening.api.mentions import MentionViewSet
from listening.api.portfolio import PortfolioView
from listening.api.sources import SourceViewSet
from listening.api.tenants import TenantDetailView, TenantListView
from listening.api.tokens import PasswordTokenView, TokenDetailView, TokenListView

COLLECTION = {"get": "list", "post": "create"}
MEMBER = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
TENANT = "tenants/<slug:tenant_slug>"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("auth/token/", PasswordTokenView.as_view(), name="api-token"),
    path("auth/tokens/", TokenListView.as_view(), name="api-token-list"),
    path("auth/tokens/<int:pk>/", TokenDetailView.as_view(), name="api-token-detail"),
    path("portfolio/", PortfolioView.as_view(), name="api-portfolio"),
    path("tenants/", TenantListView.as_view(), name="api-tenant-list"),
    path(f"{TENANT}/", TenantDetailView.as_view(), name="api-tenant-detail"),
    path(f"{TENANT}/flags/", FlagsView.as_view(), name="api-flags"),
    path(f"{TENANT}/brands/", BrandViewSet.as_view(COLLECTION), name="api-brand-list"),
    path(f"{TENANT}/brands/<int:pk>/", BrandViewSet.as_view(MEMBER), name="api-brand-detail"),
    path(f"{TENANT}/sources/", SourceViewSet.as_view(COLLECTION), name="api-source-list"),
    path(f"{TENANT}/sources/<int:pk>/", SourceViewSet.as_view(MEMBER), name="api-source-detail"),
    path(f"{TENANT}/mentions/", MentionViewSet.as_view({"get": "list"}), name="api-mention-list"),
    path(
        f"{TENANT}/mentions/<int:pk>/",
        MentionViewSet.as_view({"get": "retrieve"}),
        name="api-mention-detail",
    ),
    path(
        f"{TENANT}/corrections/",
        CorrectionViewSet.as_view({"get": "list", "post": "create"}),
        name="api-correction-list",
    ),
    path(f"{TENANT}/corrections/export/", CorrectionExportView.as_view(), name="api-correction-export"),
    path(f"{TENANT}/rules/", RuleViewSet.as_view(COLLECTION), name="api-rule-list"),
    path(f"{TENANT}/rules/<int:pk>/", RuleViewSet.as_view(MEMBER), name="api-rule-detail"),
    path(f"{TENANT}/complaints/", ComplaintViewSet.as_view({"get": "list"}), name="api-complaint-list"),
    path(
        f"{TENANT}/complaints/<int:pk>/",
        ComplaintViewSet.as_view({"get": "retrieve"}),
        name="api-complaint-detail",
    ),
    *[
        path(
            f"{TENANT}/complaints/<int:pk>/{action}/",
            ComplaintViewSet.as_view({"post": action}),
            name=f"api-complaint-{action}",
        )
        for action in ("answer", "resolve", "dismiss", "reopen", "assign")
    ],
    path(
        f"{TENANT}/complaints/<int:pk>/events/",
        ComplaintViewSet.as_view({"get": "events"}),
        name="api-complaint-events",
    ),
    path(f"{TENANT}/response-metrics/", ResponseMetricsView.as_view(), name="api-response-metrics"),
    path(f"{TENANT}/response-settings/", ResponseSettingsView.as_view(), name="api-response-settings"),
    path(f"{TENANT}/holidays/", HolidayViewSet.as_view(COLLECTION), name="api-holiday-list"),
    path(f"{TENANT}/holidays/<int:pk>/", HolidayViewSet.as_view(MEMBER), name="api-holiday-detail"),
    path(f"{TENANT}/alerts/", AlertViewSet.as_view({"get": "list"}), name="api-alert-list"),
    path(f"{TENANT}/alerts/<int:pk>/", AlertViewSet.as_view({"get": "retrieve"}),
         name="api-alert-detail"),
    path(f"{TENANT}/alerts/<int:pk>/acknowledge/", AlertViewSet.as_view({"post": "acknowledge"}),
         name="api-alert-acknowledge"),
    path(f"{TENANT}/alerts/<int:pk>/resolve/", AlertViewSet.as_view({"post": "resolve"}),
         name="api-alert-resolve"),
    path(f"{TENANT}/alert-channels/", AlertChannelViewSet.as_view(COLLECTION),
         name="api-alert-channel-list"),
    path(f"{TENANT}/alert-channels/<int:pk>/", AlertChannelViewSet.as_view(MEMBER),
         name="api-alert-channel-detail"),
    path(f"{TENANT}/alert-settings/", AlertSettingsView.as_view(), name="api-alert-settings"),
]

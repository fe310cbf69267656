"""Routes of /api/v1/. Tenant APIs live under tenants/<tenant_slug>/ and inherit
TenantScopedViewSetMixin; tests/isolation walks these patterns to find every one of them."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from listening.api.alerts import AlertChannelViewSet, AlertSettingsView, AlertViewSet
from listening.api.brands import BrandViewSet
from listening.api.complaint_bulk import BulkActionViewSet, SavedViewViewSet
from listening.api.complaints import (
    ComplaintViewSet,
    HolidayViewSet,
    ResponseMetricsView,
    ResponseSettingsView,
)
from listening.api.corrections import CorrectionExportView, CorrectionViewSet, RuleViewSet
from listening.api.flags import FlagsView
from listening.api.learning import LearnedModelViewSet, LearningUseEngineView, LearningView
from listening.api.mentions import MentionViewSet
from listening.api.portfolio import PortfolioView
from listening.api.replies import MentionReplyView
from listening.api.sources import SourceViewSet
from listening.api.tenants import TenantDetailView, TenantListView
from listening.api.tokens import PasswordTokenView, TokenDetailView, TokenListView
from listening.api.webhooks import MetaWebhookView

TENANT = "tenants/<slug:tenant_slug>"


# The tenant viewsets' routes, included under tenants/<slug:tenant_slug>/: a collection and an
# <int:pk> member route for the actions each viewset has, and its @actions; the route names are
# api-<basename>-list, -detail and -<action> (api-complaint-answer).
tenant_router = SimpleRouter(use_regex_path=False)
for prefix, viewset, basename in [
    ("brands", BrandViewSet, "api-brand"),
    ("sources", SourceViewSet, "api-source"),
    ("mentions", MentionViewSet, "api-mention"),
    ("corrections", CorrectionViewSet, "api-correction"),
    ("rules", RuleViewSet, "api-rule"),
    ("complaints", ComplaintViewSet, "api-complaint"),
    ("holidays", HolidayViewSet, "api-holiday"),
    ("alerts", AlertViewSet, "api-alert"),
    ("alert-channels", AlertChannelViewSet, "api-alert-channel"),
    ("complaint-bulk-actions", BulkActionViewSet, "api-complaint-bulk-action"),
    ("saved-views", SavedViewViewSet, "api-saved-view"),
    ("learning/versions", LearnedModelViewSet, "api-learned-model"),
]:
    tenant_router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("auth/token/", PasswordTokenView.as_view(), name="api-token"),
    path("auth/tokens/", TokenListView.as_view(), name="api-token-list"),
    path("auth/tokens/<int:pk>/", TokenDetailView.as_view(), name="api-token-detail"),
    path("portfolio/", PortfolioView.as_view(), name="api-portfolio"),
    # Public: a platform delivers here; the key names one source (listening/api/webhooks.py).
    path("hooks/meta/<uuid:webhook_key>/", MetaWebhookView.as_view(), name="api-hook-meta"),
    path("tenants/", TenantListView.as_view(), name="api-tenant-list"),
    path(f"{TENANT}/", TenantDetailView.as_view(), name="api-tenant-detail"),
    # Views that are not viewsets, first: corrections/export/ is not a correction's id.
    path(f"{TENANT}/flags/", FlagsView.as_view(), name="api-flags"),
    path(f"{TENANT}/learning/", LearningView.as_view(), name="api-learning"),
    path(f"{TENANT}/learning/use-engine/", LearningUseEngineView.as_view(),
         name="api-learning-use-engine"),
    path(f"{TENANT}/corrections/export/", CorrectionExportView.as_view(), name="api-correction-export"),
    path(f"{TENANT}/response-metrics/", ResponseMetricsView.as_view(), name="api-response-metrics"),
    path(f"{TENANT}/response-settings/", ResponseSettingsView.as_view(), name="api-response-settings"),
    path(f"{TENANT}/alert-settings/", AlertSettingsView.as_view(), name="api-alert-settings"),
    path(f"{TENANT}/mentions/<int:pk>/reply/", MentionReplyView.as_view(), name="api-mention-reply"),
    path(f"{TENANT}/", include(tenant_router.urls)),
]

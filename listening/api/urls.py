"""Routes of /api/v1/. Tenant APIs live under tenants/<tenant_slug>/ and inherit
TenantScopedViewSetMixin; tests/isolation walks these patterns to find every one of them."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.authtoken.views import obtain_auth_token

from listening.api.brands import BrandViewSet
from listening.api.corrections import CorrectionExportView, CorrectionViewSet, RuleViewSet
from listening.api.flags import FlagsView
from listening.api.mentions import MentionViewSet
from listening.api.portfolio import PortfolioView
from listening.api.sources import SourceViewSet
from listening.api.tenants import TenantDetailView, TenantListView

COLLECTION = {"get": "list", "post": "create"}
MEMBER = {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
TENANT = "tenants/<slug:tenant_slug>"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("auth/token/", obtain_auth_token, name="api-token"),
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
]

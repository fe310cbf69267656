from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from listening import models


@admin.register(models.Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]


@admin.register(models.Tenant)
class TenantAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "agency", "response_target_minutes"]


@admin.register(models.Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "tenant", "kind", "paused", "consecutive_failures", "last_success_at"]
    # Ciphertext, read only by the adapter: neither shown nor edited here.
    exclude = ["secrets"]


admin.site.register(models.Membership)
admin.site.register(models.AgencyMembership)
admin.site.register(models.Brand)
admin.site.register(models.BrandAccount)


@admin.register(models.ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Operators see every token (never a secret: none is stored) and may revoke, not make, them."""

    list_display = ["prefix", "name", "user", "tenant", "scope", "expires_at", "revoked_at", "last_used_at"]
    list_filter = ["scope"]
    search_fields = ["prefix", "name", "user__username", "tenant__slug"]
    exclude = ["digest", "password_fingerprint"]
    readonly_fields = [
        f.name for f in models.ApiToken._meta.fields if f.name not in {"id", "digest", "password_fingerprint"}
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        revoked = queryset.filter(revoked_at=None).update(revoked_at=timezone.now())
        self.message_user(request, _("%(count)d token(s) revoked.") % {"count": revoked})

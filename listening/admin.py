from django.contrib import admin

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


admin.site.register(models.Membership)
admin.site.register(models.AgencyMembership)
admin.site.register(models.Brand)
admin.site.register(models.BrandAccount)

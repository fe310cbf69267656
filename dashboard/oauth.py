"""Connecting a source to its platform account (OAuth), from the dashboard: a tenant's admin
starts it on the source's connect page; the platform sends the browser back to the callback,
which the state alone ties to a tenant and a source (listening.services.oauth)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dashboard.decorators import tenant_member_required
from listening.models import Role, Tenant
from listening.selectors.sources import source_list
from listening.selectors.tenancy import role_at_least
from listening.services.oauth import (
    OAuthFailed,
    OAuthNotFound,
    oauth_finish,
    oauth_start,
    provider_for_kind,
    token_expiry,
)


@require_http_methods(["GET", "POST"])
@tenant_member_required
def source_connect(request: HttpRequest, source_id: int, *, tenant: Tenant, role: Role) -> HttpResponse:
    source = source_list().filter(pk=source_id).first()
    if source is None:
        raise Http404("No such source.")
    provider = provider_for_kind(source.kind)
    can_connect = role_at_least(role, Role.ADMIN)
    if request.method == "POST":
        if not can_connect:
            raise PermissionDenied("Admins and owners connect sources.")
        if provider is None:
            messages.error(request, _("Sources of this kind are not connected through an account."))
            return redirect("dashboard:source-connect", slug=tenant.slug, source_id=source.pk)
        callback = request.build_absolute_uri(reverse("dashboard:oauth-callback", args=[provider.name]))
        try:
            address = oauth_start(source=source, user=request.user, redirect_uri=callback)
        except OAuthFailed as exc:
            messages.error(request, str(exc))
            return redirect("dashboard:source-connect", slug=tenant.slug, source_id=source.pk)
        return HttpResponseRedirect(address)
    return render(request, "dashboard/source_connect.html", {
        "tenant": tenant, "source": source, "provider": provider, "can_connect": can_connect,
        "connected": "access_token" in (source.secrets or {}), "expires": token_expiry(source),
    })


@require_GET
@login_required
def oauth_callback(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        source = oauth_finish(provider_name=provider, state=request.GET.get("state", ""),
                              code=request.GET.get("code", ""), error=request.GET.get("error", ""),
                              user=request.user)
    except OAuthNotFound:
        raise Http404("No such connection.") from None
    except OAuthFailed as exc:
        messages.error(request, str(exc))
        if exc.source is None:
            return redirect("dashboard:home")
        return redirect("dashboard:source-connect", slug=exc.source.tenant.slug, source_id=exc.source.pk)
    messages.success(request, _("%(name)s is connected: it is read with the account's token from now on.")
                     % {"name": source.name})
    return redirect("dashboard:source-connect", slug=source.tenant.slug, source_id=source.pk)

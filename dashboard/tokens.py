"""The API tokens page: the signed-in user's live tokens, a form to make one, and revoke buttons.

A new token's secret is rendered in the answer to the POST that made it, and nowhere else: it is
not put in the session or a message, which would keep it in a cookie or the session table.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from dashboard.decorators import AuthenticatedHttpRequest
from dashboard.forms import form_field
from dashboard.tenancy import visible_tenants
from listening.models import TokenScope
from listening.selectors.tokens import api_token_list
from listening.services.tokens import TokenLimitReached, api_token_create, api_token_revoke


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, required=False,
                           help_text=_("What the token is for, e.g. the script that uses it."))
    tenant = forms.ChoiceField(label=_("Tenant"))
    scope = forms.ChoiceField(label=_("Access"), choices=TokenScope.choices, initial=TokenScope.READ)
    expires_in_days = forms.IntegerField(
        label=_("Expires in (days)"), min_value=1, max_value=settings.DENGAR["API_TOKEN_MAX_DAYS"],
        initial=settings.DENGAR["API_TOKEN_DEFAULT_DAYS"],
    )

    def __init__(self, *args: Any, tenants: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._tenants = {t.slug: t for t in tenants}
        # Only the user's own tenants are offered, and only they validate.
        form_field(self, "tenant", forms.ChoiceField).choices = [(t.slug, t.name) for t in tenants]

    def clean_tenant(self) -> Any:
        return self._tenants[self.cleaned_data["tenant"]]


def _page(request: AuthenticatedHttpRequest, form: ApiTokenForm, *, created: Any = None, secret: str = "",
          status: int = 200) -> HttpResponse:
    return render(request, "dashboard/tokens.html", {
        "tokens": list(api_token_list(user=request.user)),
        "form": form,
        "created": created,
        "secret": secret,
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    tenants = visible_tenants(request)
    if request.method != "POST":
        return _page(request, ApiTokenForm(tenants=tenants))
    form = ApiTokenForm(request.POST, tenants=tenants)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        token, secret = api_token_create(
            user=request.user, tenant=form.cleaned_data["tenant"], scope=form.cleaned_data["scope"],
            name=form.cleaned_data["name"], expires_in_days=form.cleaned_data["expires_in_days"],
        )
    except TokenLimitReached:
        form.add_error(None, _("You have too many live tokens; revoke one first."))
        return _page(request, form, status=400)
    # The answer to this POST is the one place the secret is ever shown.
    response = _page(request, ApiTokenForm(tenants=tenants), created=token, secret=secret)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not api_token_revoke(user=request.user, token_id=pk):
        raise Http404(_("No such token."))
    messages.success(request, _("Token revoked."))
    return redirect("dashboard:tokens")

"""Thin views: resolve, call selectors, render. Tenant pages go through tenant_member_required."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from dashboard.charts import daily_chart
from dashboard.decorators import tenant_member_required
from dashboard.forms import MentionFilterForm
from dashboard.tenancy import visible_tenants
from listening.models import Mention, Role, Source, Tenant
from listening.selectors.corrections import correction_history
from listening.selectors.flags import tenant_flags, unanswered_complaints
from listening.selectors.portfolio import agency_portfolio
from listening.selectors.tenancy import role_at_least
from listening.selectors.volume import volume_series
from listening.services.corrections import correction_create

# The tenant page reloads itself this often, so a demo visibly fills up as the worker polls.
REFRESH_SECONDS = 30
NEWEST_MENTIONS = 15
UNANSWERED_SHOWN = 10
MENTIONS_PER_PAGE = 25
CHART_DAYS = 35


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The portfolio of every visible tenant. A user with exactly one tenant has nothing to
    compare, so they go straight to that tenant's page."""
    tenants = visible_tenants(request)
    if len(tenants) == 1:
        return redirect("dashboard:tenant", slug=tenants[0].slug)
    now = timezone.now()
    rows = agency_portfolio(user=request.user, now=now) if tenants else []
    return render(request, "dashboard/portfolio.html", {
        "rows": rows,
        "now": now,
        "refresh_seconds": REFRESH_SECONDS,
        "flagged": sum(1 for r in rows if r.flagged),
    })


@tenant_member_required
def tenant_overview(request: HttpRequest, *, tenant: Tenant, role: Role) -> HttpResponse:
    now = timezone.now()
    flags = tenant_flags(tenant=tenant, now=now)
    series = volume_series(tenant=tenant, granularity="day", periods=CHART_DAYS, now=now)
    chart = daily_chart(series)
    sources = list(Source.objects.select_related("brand"))
    return render(request, "dashboard/tenant.html", {
        "tenant": tenant,
        "role": role,
        "now": now,
        "flags": flags,
        "chart": chart,
        "unanswered": list(unanswered_complaints(tenant=tenant, now=now)[:UNANSWERED_SHOWN]),
        "newest": list(
            Mention.objects.select_related("source", "brand").order_by("-published_at", "-id")[
                :NEWEST_MENTIONS
            ]
        ),
        "sources": sources,
        "sources_healthy": sum(1 for s in sources if s.health == "ok"),
        "refresh_seconds": REFRESH_SECONDS,
    })


@tenant_member_required
def mention_list(request: HttpRequest, *, tenant: Tenant, role: Role) -> HttpResponse:
    languages = sorted(
        lang for lang in Mention.objects.exclude(lang="").values_list("lang", flat=True).distinct()
    )
    # Bound even when empty: every field is optional, and no filter means "all but spam".
    form = MentionFilterForm(request.GET, languages=languages)
    mentions = form.apply(
        Mention.objects.select_related("source", "brand").order_by("-published_at", "-id")
    )
    page = Paginator(mentions, MENTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "dashboard/mentions.html", {
        "tenant": tenant,
        "role": role,
        "now": timezone.now(),
        "form": form,
        "page": page,
        "filtered": any(v for k, v in request.GET.items() if k != "page"),
    })


class RelabelForm(forms.Form):
    """One correction: which field, which label, in one choice ("complaint:not_complaint")."""

    label = forms.ChoiceField(label="Relabel as", choices=[
        ("Complaint", [("complaint:complaint", "Complaint"),
                       ("complaint:not_complaint", "Not a complaint")]),
        ("Spam", [("spam:spam", "Spam"), ("spam:ham", "Not spam")]),
        ("Sentiment", [("sentiment:positive", "Positive"), ("sentiment:neutral", "Neutral"),
                       ("sentiment:negative", "Negative")]),
    ])

    def correction(self) -> tuple[str, str]:
        field, _, value = self.cleaned_data["label"].partition(":")
        return field, value


@tenant_member_required
def mention_detail(
    request: HttpRequest, *, tenant: Tenant, role: Role, mention_id: int
) -> HttpResponse:
    # The scoped manager: another tenant's id is simply not found.
    mention = get_object_or_404(Mention.objects.select_related("source", "brand"), pk=mention_id)
    can_relabel = role_at_least(role, Role.ANALYST)
    relabel_form = RelabelForm()
    if request.method == "POST":
        if not can_relabel:
            raise PermissionDenied("Analysts and above may relabel mentions.")
        relabel_form = RelabelForm(request.POST)
        if relabel_form.is_valid():
            field, value = relabel_form.correction()
            correction_create(mention=mention, field=field, value=value, user=request.user)
            return redirect("dashboard:mention", slug=tenant.slug, mention_id=mention.pk)
    thread_id = mention.thread_external_id or mention.external_id
    thread = list(
        Mention.objects.filter(source=mention.source_id)
        .filter(
            Q(thread_external_id=thread_id)
            | Q(external_id=thread_id)
            | Q(parent_external_id=mention.external_id)
            | Q(external_id=mention.parent_external_id or None)
        )
        .exclude(pk=mention.pk)
        .select_related("source", "brand")
        .order_by("published_at", "id")[:100]
    )
    return render(request, "dashboard/mention_detail.html", {
        "tenant": tenant,
        "role": role,
        "now": timezone.now(),
        "mention": mention,
        "thread": thread,
        "can_relabel": can_relabel,
        "relabel_form": relabel_form,
        "corrections": list(correction_history(mention=mention)[:50]),
    })

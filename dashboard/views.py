"""Thin views: resolve, call selectors, render. Tenant pages go through tenant_member_required."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboard.charts import daily_chart
from dashboard.decorators import AuthenticatedHttpRequest, tenant_member_required
from dashboard.forms import ComplaintActionForm, RelabelForm
from dashboard.queue import confirmation, filter_form, signed_in_user, undo_offer
from dashboard.tenancy import visible_tenants
from listening import figures
from listening.models import Mention, Role, Tenant
from listening.selectors.alerts import alert_get, alerts_live
from listening.selectors.complaint_queue import saved_view_list
from listening.selectors.corrections import correction_history
from listening.selectors.flags import tenant_flags
from listening.selectors.mentions import (
    mention_feed,
    mention_get,
    mention_thread,
)
from listening.selectors.mentions import mention_list as mentions_matching
from listening.selectors.overdue import unanswered_complaints
from listening.selectors.portfolio import agency_portfolio
from listening.selectors.response import ResponseMetrics, complaint_events, response_metrics
from listening.selectors.sources import source_list
from listening.selectors.tenancy import role_at_least
from listening.selectors.volume import volume_series
from listening.services import complaints as lifecycle
from listening.services.alerts import AlertStateError, alert_acknowledge, alert_resolve
from listening.services.corrections import correction_create

# The tenant page reloads itself this often, so a demo visibly fills up as the worker polls.
REFRESH_SECONDS = 30
NEWEST_MENTIONS = 15
ALERTS_SHOWN = 20
UNANSWERED_SHOWN = 10
MENTIONS_PER_PAGE = 25
CHART_DAYS = 35
RESPONSE_DAYS = 30


def _response_panel(metrics: ResponseMetrics) -> dict[str, object]:
    """The tenant page's response figures, as people read them: each time on both clocks, the
    business-hours one (what the target counts) and the wall-clock one, named beside it."""
    duration = figures.duration

    def share(value: float | None) -> str:
        return "—" if value is None else f"{value:.0%}"

    return {
        "count": metrics.count,
        "answered": metrics.answered,
        "response_rate": share(metrics.response_rate),
        "median_business": duration(metrics.median_business_seconds),
        "p90_business": duration(metrics.p90_business_seconds),
        "median_wall": duration(metrics.median_seconds),
        "p90_wall": duration(metrics.p90_seconds),
        "business_label": figures.clock_label(figures.BUSINESS_HOURS),
        "wall_label": figures.clock_label(figures.WALL_CLOCK),
        "within_target": share(metrics.within_target_share),
    }


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


ALERT_ACTIONS = {"acknowledge": alert_acknowledge, "resolve": alert_resolve}
ALERT_DONE = {"acknowledge": gettext_lazy("Alert acknowledged."), "resolve": gettext_lazy("Alert resolved.")}


@tenant_member_required
def tenant_overview(request: AuthenticatedHttpRequest, *, tenant: Tenant, role: Role) -> HttpResponse:
    can_act = role_at_least(role, Role.ANALYST)
    if request.method == "POST":
        # The alert buttons: acknowledge or resolve one alert, then back to the page.
        if not can_act:
            raise PermissionDenied("Analysts and above may acknowledge or resolve alerts.")
        action = ALERT_ACTIONS.get(request.POST.get("action", ""))
        alert_id = request.POST.get("alert_id", "")
        if action is None or not (alert_id.isascii() and alert_id.isdigit()):  # "²" is a digit too
            return HttpResponse("Unknown alert action.", status=400)
        # Read in the tenant scope: another tenant's alert id is simply not found.
        alert = alert_get(alert_id=int(alert_id))
        if alert is None:
            raise Http404("No such alert.")
        try:
            action(alert=alert, user=request.user)
        except AlertStateError:  # someone got there first: the page shows it
            messages.info(request, _("Someone else changed this alert meanwhile."))
        else:
            messages.success(request, ALERT_DONE[request.POST["action"]])
        return redirect("dashboard:tenant", slug=tenant.slug)
    now = timezone.now()
    flags = tenant_flags(tenant=tenant, now=now)
    series = volume_series(tenant=tenant, granularity="day", periods=CHART_DAYS, now=now)
    chart = daily_chart(series, now=now)
    sources = list(source_list())
    return render(request, "dashboard/tenant.html", {
        "tenant": tenant,
        "role": role,
        "now": now,
        "flags": flags,
        "chart": chart,
        "unanswered": list(unanswered_complaints(tenant=tenant, now=now)[:UNANSWERED_SHOWN]),
        "newest": list(mention_feed()[:NEWEST_MENTIONS]),
        "sources": sources,
        "sources_healthy": sum(1 for s in sources if s.health == "ok"),
        "alerts": list(alerts_live()[:ALERTS_SHOWN]),
        "can_act_on_alerts": can_act,
        "refresh_seconds": REFRESH_SECONDS,
        "response": _response_panel(response_metrics(
            tenant=tenant, since=now - timedelta(days=RESPONSE_DAYS), until=now
        ).overall),
        "response_days": RESPONSE_DAYS,
    })


@tenant_member_required
def mention_list(request: HttpRequest, *, tenant: Tenant, role: Role) -> HttpResponse:
    """The mention list, filtered and sorted; for analysts also the complaint queue's workbench:
    tick mentions (or take the whole result), pick a bulk action, confirm the count it shows."""
    # Bound even when empty: every field is optional, and no filter means "all but spam".
    form = filter_form(request.GET, tenant=tenant, user=signed_in_user(request))
    filters = form.filters()
    mentions = (mention_feed().none() if filters is None
                else mentions_matching(filters=filters, order=form.order()).select_related("assigned_to"))
    page = Paginator(mentions, MENTIONS_PER_PAGE).get_page(request.GET.get("page"))
    query = form.query()
    can_work = role_at_least(role, Role.ANALYST)
    return render(request, "dashboard/mentions.html", {
        "tenant": tenant,
        "role": role,
        "now": timezone.now(),
        "form": form,
        "page": page,
        "filtered": any(k != "sort" for k in query),
        "query": query,
        "query_string": urlencode(query),
        "can_work": can_work,
        "confirm": confirmation(request, tenant=tenant, role=role, filters_form=form, filters=filters),
        "undo": undo_offer(request) if can_work else None,
        "saved_views": list(saved_view_list(user=signed_in_user(request))),
        "quick_views": _quick_views(request),
        "members": form.fields["assigned_to"].choices[3:],  # type: ignore[attr-defined]
        "picked": request.GET.getlist("ids"),
    })


def _quick_views(request: HttpRequest) -> list[tuple[str, dict[str, str], bool]]:
    """The queue's ready-made views, each (label, query, whether the page shows it now)."""
    views = [
        (_("Assigned to me"), {"assigned_to": "me", "complaint": "yes"}),
        (_("Open, unassigned"), {"status": "open", "assigned_to": "none"}),
        (_("Overdue"), {"answered": "overdue", "sort": "waiting"}),
    ]
    current = {k: v for k, v in request.GET.items() if v and k != "page"}
    return [(label, query, current == query) for label, query in views]


COMPLAINT_DONE = {
    "answer": gettext_lazy("Marked answered."),
    "resolve": gettext_lazy("Complaint resolved."),
    "dismiss": gettext_lazy("Dismissed as not a complaint; the correction is recorded."),
    "reopen": gettext_lazy("Complaint reopened."),
    "assign": gettext_lazy("Assignment saved."),
}

_SERVICES = {
    "answer": lifecycle.complaint_mark_answered,
    "resolve": lifecycle.complaint_resolve,
    "dismiss": lifecycle.complaint_dismiss,
    "reopen": lifecycle.complaint_reopen,
}


def _complaint_step(request: AuthenticatedHttpRequest, mention: Mention, form: ComplaintActionForm) -> str | None:
    """Apply the form's step; the reason it was refused, or None."""
    data = form.cleaned_data
    try:
        if data["complaint_action"] == "assign":
            lifecycle.complaint_assign(mention=mention, assignee=data["assigned_to"],
                                       actor=request.user, note=data["note"])
        else:
            _SERVICES[data["complaint_action"]](mention=mention, actor=request.user, note=data["note"])
    except lifecycle.ComplaintError as exc:
        return str(exc)
    return None


@tenant_member_required
def mention_detail(
    request: AuthenticatedHttpRequest, *, tenant: Tenant, role: Role, mention_id: int
) -> HttpResponse:
    # Read in the tenant scope: another tenant's id is simply not found.
    mention = mention_get(mention_id=mention_id)
    if mention is None:
        raise Http404("No such mention.")
    mention.tenant = tenant
    can_relabel = role_at_least(role, Role.ANALYST)
    relabel_form = RelabelForm()
    complaint_form = (
        ComplaintActionForm(tenant=tenant, initial={"assigned_to": mention.assigned_to_id})
        if can_relabel and mention.complaint_status else None
    )
    complaint_error = None
    if request.method == "POST" and "complaint_action" in request.POST:
        if not can_relabel:
            raise PermissionDenied("Analysts and above may act on complaints.")
        complaint_form = ComplaintActionForm(request.POST, tenant=tenant)
        if complaint_form.is_valid():
            complaint_error = _complaint_step(request, mention, complaint_form)
            if complaint_error is None:
                messages.success(request, COMPLAINT_DONE[complaint_form.cleaned_data["complaint_action"]])
                return redirect("dashboard:mention", slug=tenant.slug, mention_id=mention.pk)
    elif request.method == "POST":
        if not can_relabel:
            raise PermissionDenied("Analysts and above may relabel mentions.")
        relabel_form = RelabelForm(request.POST)
        if relabel_form.is_valid():
            field, value = relabel_form.correction()
            correction_create(mention=mention, field=field, value=value, user=request.user)
            messages.success(request, _("Relabelled: the correction is recorded and teaches the classifier."))
            return redirect("dashboard:mention", slug=tenant.slug, mention_id=mention.pk)
    return render(request, "dashboard/mention_detail.html", {
        "tenant": tenant,
        "role": role,
        "now": timezone.now(),
        "mention": mention,
        "thread": mention_thread(mention=mention, limit=100),
        "can_relabel": can_relabel,
        "relabel_form": relabel_form,
        "corrections": list(correction_history(mention=mention)[:50]),
        "complaint_form": complaint_form,
        "complaint_error": complaint_error,
        "complaint_actions": lifecycle.allowed_actions(mention=mention),
        "complaint_events": list(complaint_events(mention=mention)[:100]) if mention.complaint_status else [],
    })

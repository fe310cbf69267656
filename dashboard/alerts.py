"""A tenant's alert history, and feedback on an alert (useful, not useful, wrong).

GET lists every alert, the newest first, with its history and the team's verdicts; POST records
the signed-in analyst's verdict on one alert (from this page or from the tenant page's live
alerts) and goes back where it came from, with a message.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dashboard.decorators import tenant_member_required
from listening.models import Role, Tenant
from listening.models.alerts import FeedbackVerdict
from listening.selectors.alert_feedback import alert_history_page
from listening.selectors.alerts import alert_get
from listening.selectors.tenancy import role_at_least
from listening.services.alert_feedback import alert_feedback_give

PAGE_SIZE = 25


class AlertFeedbackForm(forms.Form):
    alert_id = forms.IntegerField(min_value=1)
    verdict = forms.ChoiceField(choices=FeedbackVerdict.choices)
    note = forms.CharField(max_length=200, required=False, label=gettext_lazy("Note (optional)"))
    # Where to go back: the tenant page or this one (nothing else is followed).
    back = forms.ChoiceField(choices=[("tenant", "tenant"), ("alerts", "alerts")], required=False)


@tenant_member_required
def alert_history(request: HttpRequest, *, tenant: Tenant, role: Role) -> HttpResponse:
    can_act = role_at_least(role, Role.ANALYST)
    if request.method == "POST":
        return _feedback(request, tenant=tenant, can_act=can_act)
    before = request.GET.get("before", "")
    if before and not (before.isascii() and before.isdigit()):
        return HttpResponse(_("Unknown page."), status=400)
    page = alert_history_page(before_id=int(before) if before else None, size=PAGE_SIZE + 1)
    alerts, more = page[:PAGE_SIZE], len(page) > PAGE_SIZE
    mine = {}
    if can_act:
        mine = {a.pk: f.verdict for a in alerts for f in a.feedback.all() if f.user_id == request.user.pk}
    return render(request, "dashboard/alerts.html", {
        "tenant": tenant,
        "role": role,
        "now": timezone.now(),
        "rows": [{"alert": a, "mine": mine.get(a.pk, "")} for a in alerts],
        "older": alerts[-1].pk if more else None,
        "can_give_feedback": can_act,
        "verdicts": FeedbackVerdict.choices,
    })


def _feedback(request: HttpRequest, *, tenant: Tenant, can_act: bool) -> HttpResponse:
    if not can_act:
        raise PermissionDenied(_("Analysts and above may give feedback on alerts."))
    form = AlertFeedbackForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Unknown alert feedback."), status=400)
    # Read in the tenant scope: another tenant's alert id is simply not found.
    alert = alert_get(alert_id=form.cleaned_data["alert_id"])
    if alert is None:
        raise Http404(_("No such alert."))
    verdict = form.cleaned_data["verdict"]
    alert_feedback_give(alert=alert, user=request.user, verdict=verdict, note=form.cleaned_data["note"])
    messages.success(request, _("Thank you: “%(title)s” marked %(verdict)s. Answers like this tune "
                                "how readily this alert is raised again.")
                     % {"title": alert.title, "verdict": FeedbackVerdict(verdict).label.lower()})
    if form.cleaned_data.get("back") == "tenant":
        return redirect(reverse("dashboard:tenant", kwargs={"slug": tenant.slug}) + "#alerts-h")
    return redirect(reverse("dashboard:alerts", kwargs={"slug": tenant.slug}) + f"#alert-{alert.pk}")

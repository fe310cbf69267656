"""What the tenant's own model learnt from its team's corrections, and the switch between it and
the shipped engine. Members read it; admins and owners switch (as in the API)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from dashboard.decorators import tenant_member_required
from listening.analysis.learning import TASK_LABELS
from listening.models import LearnedModel, Role, Tenant
from listening.selectors.learning import learned_model_list, learning_overview
from listening.selectors.tenancy import role_at_least
from listening.services.learning import KEEP_VERSIONS, learned_model_activate, learning_use_engine


class LearningChoiceForm(forms.Form):
    action = forms.ChoiceField(choices=[("use_engine", "use_engine"), ("activate", "activate")])
    version = forms.IntegerField(required=False, min_value=1)


TASK_NAMES = {"complaint": gettext_lazy("complaint"), "spam": gettext_lazy("spam"),
              "sentiment": gettext_lazy("sentiment")}


def _tasks(version: LearnedModel | None, corrections: dict[str, int]) -> list[dict[str, object]]:
    """Per task, in a fixed order, what the version estimated (None where it had too few)."""
    estimates = version.estimates if version is not None else {}
    return [{"task": task, "estimate": estimates.get(task), "corrections": corrections[task]}
            for task in TASK_LABELS]


@require_http_methods(["GET", "POST"])
@tenant_member_required
def learning(request: HttpRequest, *, tenant: Tenant, role: Role) -> HttpResponse:
    can_switch = role_at_least(role, Role.ADMIN)
    if request.method == "POST":
        if not can_switch:
            raise PermissionDenied("Admins and owners choose the model.")
        form = LearningChoiceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("That choice was not understood; nothing changed."))
        elif form.cleaned_data["action"] == "use_engine":
            learning_use_engine(tenant=tenant, user=request.user)
            messages.success(request, _("Your mentions get the shipped engine again (stored "
                                        "ones are being reclassified). Your corrections are "
                                        "kept, and any version can be put back in use below."))
        else:
            version = learned_model_list().filter(pk=form.cleaned_data["version"] or 0).first()
            if version is None:
                raise Http404("No such version.")
            learned_model_activate(version=version, user=request.user)
            messages.success(request, _("Version %(version)s is in use (stored mentions are "
                                        "being reclassified).") % {"version": version.version})
        return redirect("dashboard:learning", slug=tenant.slug)
    overview = learning_overview()
    shown = overview.active or overview.latest
    return render(request, "dashboard/learning.html", {
        "tenant": tenant,
        "role": role,
        "can_switch": can_switch,
        "overview": overview,
        "shown": shown,
        "tasks": _tasks(shown, overview.corrections),
        "versions": [(v, ", ".join(str(TASK_NAMES[t]) for t in v.learnt_tasks))
                     for v in learned_model_list()[:KEEP_VERSIONS]],
        "total_corrections": sum(overview.corrections.values()),
        "keep": KEEP_VERSIONS,
    })

"""Working the complaint queue from the dashboard: bulk actions (confirmed first, undoable once),
saved views of the mention list, and the backlog setting. Thin views over the queue's selectors
and services, like the rest of the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dashboard.decorators import tenant_member_required
from dashboard.forms import BulkActionForm, MentionFilterForm
from listening.models import BulkAction, BulkActionKind, Role, Tenant
from listening.selectors.backlog import backlog_complaints
from listening.selectors.complaint_queue import (
    bulk_action_get,
    bulk_action_list,
    bulk_action_undoable,
    bulk_selection,
    saved_view_get,
    saved_view_list,
)
from listening.selectors.mentions import MentionFilters, mention_languages, mention_platforms
from listening.selectors.tenancy import role_at_least
from listening.services.complaint_bulk import (
    BulkAlreadyUndone,
    BulkError,
    BulkPreview,
    bulk_action_undo,
    complaints_bulk_apply,
    complaints_bulk_preview,
)
from listening.services.queue_settings import tenant_complaints_counted_from_set
from listening.services.saved_views import SavedViewError, saved_view_create, saved_view_delete

# How long after a bulk action the mention list offers to undo it (the history page always does).
UNDO_OFFER = timedelta(hours=24)
HISTORY_SHOWN = 50

# What each action is called on its button and in the confirmation's question.
VERBS = {
    BulkActionKind.ASSIGN: gettext_lazy("Assign"),
    BulkActionKind.RESOLVE: gettext_lazy("Resolve"),
    BulkActionKind.DISMISS: gettext_lazy("Dismiss"),
    BulkActionKind.NOT_COMPLAINT: gettext_lazy("Mark not a complaint"),
}


def signed_in_user(request: HttpRequest) -> User:
    return cast(User, request.user)  # tenant_member_required signed them in


def filter_form(data: QueryDict, *, tenant: Tenant, user: AbstractBaseUser) -> MentionFilterForm:
    """The mention list's filter form over ``data``, with the tenant's own choices."""
    return MentionFilterForm(data, tenant=tenant, user=user, languages=mention_languages(),
                             platforms=mention_platforms())


def list_url(tenant: Tenant, query: dict[str, str] | None = None, **extra: Any) -> str:
    params = urlencode({**(query or {}), **extra}, doseq=True)
    url = reverse("dashboard:mentions", kwargs={"slug": tenant.slug})
    return f"{url}?{params}" if params else url


def _may_work(role: Role) -> bool:
    return role_at_least(role, Role.ANALYST)


@dataclass(frozen=True)
class Confirmation:
    """The step before a bulk action: what it would change, shown with a button that does it."""

    action: str
    verb: str
    preview: BulkPreview
    not_found: int
    form: BulkActionForm
    query: str  # the list's filters, urlencoded, for the action and for going back

    @property
    def unchanged(self) -> int:
        return self.preview.requested - self.preview.will_change


def _selection(form: BulkActionForm, filters: MentionFilters) -> tuple[Any, int, int]:
    """The mentions a bulk form covers, how many were asked for, and how many ids were not found
    (another tenant's ids among them: never touched, only counted)."""
    data = form.cleaned_data
    if data["scope"] == "all":
        selection = bulk_selection(filters=filters)
        return selection, selection.count(), 0
    selection = bulk_selection(ids=data["ids"])
    found = selection.count()
    return selection, len(data["ids"]), len(data["ids"]) - found


def confirmation(request: HttpRequest, *, tenant: Tenant, role: Role, filters_form: MentionFilterForm,
                 filters: MentionFilters | None) -> Confirmation | BulkActionForm | None:
    """For the mention list: the confirmation of the bulk action its query asks for (``bulk``),
    the form with its errors when the request is wrong, or None when it asks for none."""
    if "bulk" not in request.GET or not _may_work(role):
        return None
    form = BulkActionForm(request.GET, tenant=tenant)
    if not form.is_valid() or filters is None:
        return form
    selection, requested, not_found = _selection(form, filters)
    action = form.cleaned_data["bulk"]
    preview = complaints_bulk_preview(action=action, selection=selection, requested=requested,
                                      assignee=form.cleaned_data["assignee"])
    return Confirmation(action=action, verb=str(VERBS[action]), preview=preview, not_found=not_found,
                        form=form, query=urlencode(filters_form.query()))


def undo_offer(request: HttpRequest) -> BulkAction | None:
    return bulk_action_undoable(user=signed_in_user(request), since=timezone.now() - UNDO_OFFER)


def _done_message(bulk: BulkAction) -> str:
    n = bulk.changed
    if bulk.action == BulkActionKind.ASSIGN and bulk.assignee is not None:
        text = ngettext("Assigned %(n)d complaint to %(who)s.", "Assigned %(n)d complaints to %(who)s.", n) % {
            "n": n, "who": bulk.assignee.get_username()}
    else:
        text = {
            BulkActionKind.ASSIGN: ngettext("Unassigned %(n)d complaint.", "Unassigned %(n)d complaints.", n),
            BulkActionKind.RESOLVE: ngettext("Resolved %(n)d complaint.", "Resolved %(n)d complaints.", n),
            BulkActionKind.DISMISS: ngettext("Dismissed %(n)d complaint.", "Dismissed %(n)d complaints.", n),
            BulkActionKind.NOT_COMPLAINT: ngettext("Marked %(n)d mention as not a complaint.",
                                                   "Marked %(n)d mentions as not a complaint.", n),
        }[BulkActionKind(bulk.action)] % {"n": n}
    unchanged = bulk.requested - bulk.changed
    if unchanged:
        text += " " + ngettext("%(n)d was left as it was.", "%(n)d were left as they were.", unchanged) % {
            "n": unchanged}
    return text


def _apply(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    form = BulkActionForm(request.POST, tenant=tenant)
    query = QueryDict(request.POST.get("query", ""))
    filters_form = filter_form(query, tenant=tenant, user=signed_in_user(request))
    filters = filters_form.filters()
    back = list_url(tenant, filters_form.query() if filters is not None else None)
    if not form.is_valid() or filters is None:
        messages.error(request, _("That bulk action could not be read; nothing was changed."))
        return redirect(back)
    selection, requested, _not_found = _selection(form, filters)
    data = form.cleaned_data
    preview = complaints_bulk_preview(action=data["bulk"], selection=selection, requested=requested,
                                      assignee=data["assignee"])
    if data["expected"] is None or preview.will_change != data["expected"]:
        # The queue moved between the confirmation and the click: confirm the new number.
        messages.warning(request, _("The selection changed meanwhile: check the new count and confirm again."))
        again = {k: v for k, v in request.POST.lists() if k in ("bulk", "scope", "ids", "assignee", "note")}
        return redirect(list_url(tenant, filters_form.query(), **again))
    try:
        bulk = complaints_bulk_apply(tenant=tenant, actor=signed_in_user(request), action=data["bulk"],
                                     selection=selection, requested=requested, assignee=data["assignee"],
                                     note=data["note"])
    except BulkError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(request, _done_message(bulk))
    return redirect(back)


def _safe_next(request: HttpRequest, tenant: Tenant) -> str:
    target = request.POST.get("next", "")
    prefix = reverse("dashboard:tenant", kwargs={"slug": tenant.slug})
    # Only back to a page of this tenant: never an address elsewhere.
    if target.startswith(prefix) and "//" not in target and "\\" not in target:
        return target
    return reverse("dashboard:bulk-actions", kwargs={"slug": tenant.slug})


def _undo(request: HttpRequest, tenant: Tenant) -> HttpResponse:
    raw = request.POST.get("undo", "")
    bulk = bulk_action_get(bulk_action_id=int(raw)) if raw.isascii() and raw.isdigit() and len(raw) <= 18 else None
    if bulk is None:  # another tenant's id is not found either
        raise Http404("No such bulk action.")
    try:
        result = bulk_action_undo(bulk_action=bulk, actor=signed_in_user(request))
    except BulkAlreadyUndone as exc:
        messages.info(request, str(exc))
        return redirect(_safe_next(request, tenant))
    text = ngettext("Undone: %(n)d complaint is as it was.", "Undone: %(n)d complaints are as they were.",
                    result.restored) % {"n": result.restored}
    if result.skipped:
        text += " " + ngettext(
            "%(n)d changed again since and was left as it is.",
            "%(n)d changed again since and were left as they are.", result.skipped) % {"n": result.skipped}
    messages.success(request, text)
    return redirect(_safe_next(request, tenant))


@tenant_member_required
def bulk_actions(request: HttpRequest, *, tenant: Tenant, role: Role) -> HttpResponse:
    """GET: the tenant's bulk actions, newest first, each undoable once. POST: take one that was
    confirmed on the mention list, or undo one."""
    if request.method == "POST":
        if not _may_work(role):
            raise PermissionDenied("Analysts and above may act on complaints.")
        return _undo(request, tenant) if "undo" in request.POST else _apply(request, tenant)
    return render(request, "dashboard/bulk_actions.html", {
        "tenant": tenant,
        "role": role,
        "can_work": _may_work(role),
        "actions": list(bulk_action_list()[:HISTORY_SHOWN]),
        "verbs": VERBS,
    })


class SavedViewForm(forms.Form):
    name = forms.CharField(max_length=80, label=gettext_lazy("Name"))


@tenant_member_required
def saved_views(request: HttpRequest, *, tenant: Tenant, role: Role) -> HttpResponse:
    """The person's own saved views of this tenant's mention list. POST ``name`` and ``query``
    saves one (a query the list's filters refuse is refused); POST ``delete`` removes one."""
    user = signed_in_user(request)
    if request.method == "POST":
        if "delete" in request.POST:
            raw = request.POST["delete"]
            view = saved_view_get(user=user, saved_view_id=int(raw)) if (
                raw.isascii() and raw.isdigit() and len(raw) <= 18) else None
            if view is None:  # another person's, or another tenant's: not found
                raise Http404("No such saved view.")
            saved_view_delete(saved_view=view)
            messages.success(request, _("Deleted the view “%(name)s”.") % {"name": view.name})
            return redirect("dashboard:saved-views", slug=tenant.slug)
        query = QueryDict(request.POST.get("query", ""))
        filters_form = filter_form(query, tenant=tenant, user=user)
        name_form = SavedViewForm(request.POST)
        if filters_form.filters() is None or not name_form.is_valid():
            messages.error(request, _("Give the view a name (and filters that work) to save it."))
            return redirect(list_url(tenant, filters_form.query()))
        try:
            view = saved_view_create(tenant=tenant, user=user, name=name_form.cleaned_data["name"],
                                     query=filters_form.query())
        except SavedViewError as exc:
            messages.error(request, str(exc))
            return redirect(list_url(tenant, filters_form.query()))
        messages.success(request, _("Saved the view “%(name)s”.") % {"name": view.name})
        return redirect(list_url(tenant, view.query))
    views = list(saved_view_list(user=user))
    return render(request, "dashboard/saved_views.html", {
        "tenant": tenant,
        "role": role,
        "views": [(v, list_url(tenant, v.query)) for v in views],
    })


class BacklogForm(forms.Form):
    complaints_counted_from = forms.DateField(
        required=False, label=gettext_lazy("Count complaints from"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty to count every complaint."),
    )


@tenant_member_required
def queue_settings(request: HttpRequest, *, tenant: Tenant, role: Role) -> HttpResponse:
    """The backlog setting: complaints before a day are not overdue and not in the figures.
    Members read it; admins and owners change it."""
    can_edit = role_at_least(role, Role.ADMIN)
    form = BacklogForm(initial={"complaints_counted_from": tenant.complaints_counted_from})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Admins and owners may change the queue's settings.")
        form = BacklogForm(request.POST)
        if form.is_valid():
            day = form.cleaned_data["complaints_counted_from"]
            tenant_complaints_counted_from_set(tenant=tenant, counted_from=day)
            messages.success(request, _("Complaints count from %(day)s on.") % {"day": date_format(day, "j F Y")} if day
                             else _("Every complaint counts again, however old."))
            return redirect("dashboard:queue-settings", slug=tenant.slug)
    backlog = backlog_complaints(tenant=tenant).count() if tenant.complaints_counted_from else None
    return render(request, "dashboard/queue_settings.html", {
        "tenant": tenant,
        "role": role,
        "form": form,
        "can_edit": can_edit,
        "backlog": backlog,
    })

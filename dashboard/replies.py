"""Answering a mention on its platform from its page (the form is dashboard/_reply_box.html)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard.decorators import AuthenticatedHttpRequest, tenant_member_required
from listening.models import ReplyStatus, Tenant
from listening.models.tenancy import Role
from listening.selectors.mentions import mention_get
from listening.selectors.tenancy import role_at_least
from listening.services.replies import MAX_REPLY_CHARS, ReplyRefused, mention_reply_send


class ReplyForm(forms.Form):
    text = forms.CharField(max_length=MAX_REPLY_CHARS, strip=True)
    idempotency_key = forms.RegexField(regex=r"^[A-Za-z0-9_\-]{8,80}$")


@tenant_member_required
def mention_reply(request: AuthenticatedHttpRequest, *, tenant: Tenant, role: Role, mention_id: int) -> HttpResponse:
    """GET: the reply box alone, under the mention; POST: post the reply, back to the mention."""
    mention = mention_get(mention_id=mention_id)
    if mention is None:
        raise Http404("No such mention.")
    if request.method != "POST":
        return render(request, "dashboard/mention_reply.html", {"tenant": tenant, "role": role, "mention": mention,
                                                                  "now": timezone.now()})
    if not role_at_least(role, Role.ANALYST):
        raise PermissionDenied("Analysts and above may reply.")
    back = redirect("dashboard:mention", slug=tenant.slug, mention_id=mention.pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The reply was not posted: write it first (at most %(n)d characters).")
                       % {"n": MAX_REPLY_CHARS})
        return back
    try:
        attempt = mention_reply_send(mention=mention, actor=request.user,
                                     text=form.cleaned_data["text"],
                                     idempotency_key=form.cleaned_data["idempotency_key"])
    except ReplyRefused as exc:
        messages.error(request, str(exc))
        return back
    if attempt.status == ReplyStatus.SENT:
        messages.success(request, _("Your reply is posted on the platform, and the mention is answered."))
    elif attempt.status == ReplyStatus.FAILED:
        messages.error(request, _("The reply was not posted, and nothing changed: %(why)s") % {"why": attempt.error})
    else:
        messages.info(request, _("This reply is still being sent."))
    return back

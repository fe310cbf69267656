"""The reply box of a mention's page: answer it on its platform, and what was sent from here."""

from __future__ import annotations

import uuid
from typing import Any

from django import template

from listening.models import Mention
from listening.models.tenancy import Role
from listening.selectors.replies import outgoing_replies
from listening.selectors.tenancy import role_at_least
from listening.services.replies import MAX_REPLY_CHARS, reply_supported

register = template.Library()


@register.inclusion_tag("dashboard/_reply_box.html", takes_context=True)
def reply_box(context: Any, mention: Mention) -> dict[str, Any]:
    role = context.get("role")
    answerable = not mention.is_brand_reply and mention.deleted_at is None
    return {
        "tenant": context.get("tenant"),
        "mention": mention,
        "answerable": answerable,
        "supported": answerable and reply_supported(kind=mention.source.kind),
        "may_reply": role is not None and role_at_least(role, Role.ANALYST),
        "attempts": list(outgoing_replies(mention=mention)) if answerable else [],
        # New at every rendering: a second click on the same form posts nothing twice.
        "idempotency_key": uuid.uuid4().hex,
        "max_chars": MAX_REPLY_CHARS,
        "csrf_token": context.get("csrf_token"),
    }

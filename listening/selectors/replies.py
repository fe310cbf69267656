"""Reading the replies a team sent from Dengar."""

from __future__ import annotations

from django.db.models import QuerySet

from listening.models import Mention, OutgoingReply


def outgoing_replies(*, mention: Mention, limit: int = 10) -> QuerySet[OutgoingReply]:
    """The latest attempts to answer ``mention`` from Dengar, newest first, with who sent them
    (scoped manager: inside the mention's tenant scope)."""
    return OutgoingReply.objects.filter(mention=mention).select_related("sent_by").order_by("-created_at", "-id")[
        :limit]

"""The ``rss`` kind as the registry builds it: RssAdapter with this deployment's address policy.

RssAdapter itself takes the policy as an argument and never reads Django settings; this is the
one place that reads DENGAR["FEEDS_ALLOW_PRIVATE"] and DENGAR["FEED_FETCH_DEADLINE_SECONDS"] for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings

from workers.adapters.rss.adapter import RssAdapter


class DeployedRssAdapter(RssAdapter):
    def __init__(self, config: Mapping[str, Any], **kwargs: Any) -> None:
        kwargs.setdefault("allow_private", bool(settings.DENGAR.get("FEEDS_ALLOW_PRIVATE", False)))
        kwargs.setdefault("deadline_seconds", float(settings.DENGAR.get("FEED_FETCH_DEADLINE_SECONDS", 60)))
        super().__init__(config, **kwargs)

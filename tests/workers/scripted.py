"""A scripted adapter for pipeline tests: a fixed list of items paged by an integer cursor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, ClassVar

from django.utils import timezone

from workers.adapters.base import (
    ConfigField,
    ConfigSchema,
    FetchResult,
    PermanentAdapterError,
    RawMention,
    SourceAdapter,
    TransientAdapterError,
)

# What fetch does, per source config "script": a test sets the behaviour it needs.
BEHAVIOUR: dict[str, Any] = {}


def items(n: int, prefix: str = "s") -> list[RawMention]:
    start = timezone.now() - timedelta(hours=2)
    return [
        RawMention(
            external_id=f"{prefix}{i}",
            text=f"acme order {i} still not delivered, refund??",
            published_at=start + timedelta(seconds=i),
            author_handle=f"cust{i}",
            platform="mock",
        )
        for i in range(n)
    ]


class ScriptedAdapter(SourceAdapter):
    kind = "scripted"
    config_schema: ClassVar[ConfigSchema] = ConfigSchema(
        {
            "script": ConfigField(str, required=True),
            "page": ConfigField(int, default=10),
            "seed": ConfigField(int),
            "scenario": ConfigField(str),
        }
    )

    def fetch(self, *, cursor: Any) -> FetchResult:
        script = BEHAVIOUR[self.config["script"]]
        if isinstance(script, Exception):
            raise script
        position = cursor or 0
        page = self.config["page"]
        chunk = script[position : position + page]
        return FetchResult(
            mentions=chunk,
            next_cursor=position + len(chunk),
            has_more=position + len(chunk) < len(script),
        )


__all__ = ["BEHAVIOUR", "PermanentAdapterError", "ScriptedAdapter", "TransientAdapterError", "items"]

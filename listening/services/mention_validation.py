"""Validating raw mentions from adapters: each item is clean, or rejected with a reason."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from workers.adapters.base import RawMention

# A timestamp further ahead than this is a broken clock or a broken parser, not a mention.
FUTURE_TOLERANCE = timedelta(hours=1)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class CleanMention:
    external_id: str
    text: str
    published_at: datetime
    author_handle: str
    url: str
    platform: str
    parent_external_id: str
    thread_external_id: str
    is_brand_reply: bool = False


class Rejected(ValueError):
    pass


def _text_field(value: Any, name: str, *, limit: int, required: bool = False) -> str:
    if value is None:
        value = ""
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            raise Rejected(f"{name} is not valid UTF-8") from None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise Rejected(f"{name} has type {type(value).__name__}, expected text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Rejected(f"{name} has broken encoding (unpaired surrogates)") from None
    value = _CONTROL.sub("", value).strip()
    if required and not value:
        raise Rejected(f"{name} is missing")
    if len(value) > limit:
        raise Rejected(f"{name} is too long ({len(value)} characters, at most {limit})")
    return value


def _published_at(value: Any, now: datetime) -> datetime:
    if isinstance(value, str):
        parsed = None
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
        if parsed is None:
            raise Rejected(f"published_at {value[:40]!r} is not an ISO 8601 date-time")
        value = parsed
    if not isinstance(value, datetime):
        raise Rejected("published_at is missing" if value in (None, "") else "published_at is not a date-time")
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    if value > now + FUTURE_TOLERANCE:
        raise Rejected("published_at is in the future")
    return value


def mention_validate(raw: RawMention, *, now: datetime) -> CleanMention:
    """Return the item's clean form, or raise Rejected with the reason."""
    max_chars = settings.DENGAR["MAX_TEXT_CHARS"]
    if not isinstance(raw, RawMention):
        raise Rejected(f"item has type {type(raw).__name__}, expected RawMention")
    url = _text_field(raw.url, "url", limit=10_000)
    return CleanMention(
        external_id=_text_field(raw.external_id, "external_id", limit=200, required=True),
        text=_text_field(raw.text, "text", limit=max_chars, required=True),
        published_at=_published_at(raw.published_at, now),
        author_handle=_text_field(raw.author_handle, "author_handle", limit=200),
        # A link too long to store is dropped, not the mention.
        url=url if len(url) <= 500 and url.startswith(("http://", "https://")) else "",
        platform=_text_field(raw.platform, "platform", limit=40).lower(),
        parent_external_id=_text_field(raw.parent_external_id, "parent_external_id", limit=200),
        thread_external_id=_text_field(raw.thread_external_id, "thread_external_id", limit=200),
        is_brand_reply=raw.is_brand_reply is True,
    )

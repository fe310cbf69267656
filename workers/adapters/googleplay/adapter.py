"""The ``google_play`` kind: an app's reviews on Google Play, through the Android Publisher API v3.

``reviews.list`` gives each review's text (``userComment``) and the developer's reply
(``developerComment``), which is stored as the brand's reply to the review. Google Play lists
only reviews written or changed in the last seven days, so the source must be polled well
within that (Dengar polls at least daily); a sweep follows ``tokenPagination.nextPageToken`` to
the end, at most ``max_requests`` pages per poll, and the next poll resumes from the stored
token. An edited review comes again with its new text, which replaces the stored one; a deleted
review is simply no longer listed (Google Play does not say so).

The service account's key signs a JWT exchanged for an access token at each poll
(``workers.adapters.google``): nothing is refreshed or stored.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any, ClassVar

from workers.adapters.apicall import ApiClient, Clock, Transport, dicts, unreadable
from workers.adapters.base import (
    ConfigField,
    ConfigSchema,
    FetchResult,
    PermanentAdapterError,
    RawMention,
    SourceAdapter,
    TransientAdapterError,
)
from workers.adapters.google import (
    epoch_time,
    google_error,
    google_time,
    service_account_problem,
    service_account_token,
)

API = "https://androidpublisher.googleapis.com/androidpublisher/v3/applications"
SCOPE = "https://www.googleapis.com/auth/androidpublisher"
PLATFORM = "google_play"
PACKAGE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)+$")
TOKEN = re.compile(r"^[A-Za-z0-9_.\-=+/]{1,500}$")
LISTED_DAYS = 7
RECONNECT = "Paste a new service account key in the source's settings, then resume it."


def package_problem(value: str) -> str | None:
    if PACKAGE.match(value) and len(value) <= 150:
        return None
    return "Must be an app's package name, e.g. com.example.app."


class GooglePlayAdapter(SourceAdapter):
    kind = "google_play"
    label = "Google Play reviews"
    platform = PLATFORM
    can_reply: ClassVar[bool] = True
    config_schema: ClassVar[ConfigSchema] = ConfigSchema({
        "package_name": ConfigField(str, required=True, check=package_problem, help="The app's package name."),
        "service_account_json": ConfigField(
            str, required=True, secret=True, check=service_account_problem,
            help="The JSON key of a service account invited to the Play Console with 'Reply to reviews'. "
                 "Google Play lists only reviews written or changed in the last 7 days: keep this source "
                 "polled at least daily, or older reviews are never seen."),
        "max_requests": ConfigField(int, default=20, min_value=1, max_value=200,
                                    help="At most this many pages of reviews per poll."),
    })

    def __init__(self, config: Mapping[str, Any], *, transport: Transport | None = None,
                 clock: Clock | None = None) -> None:
        super().__init__(config)
        self.package: str = self.config["package_name"]
        self.client = ApiClient(name="Android Publisher API", transport=transport, clock=clock)
        self._token: str | None = None

    def _auth(self) -> dict[str, str]:
        if self._token is None:
            self._token = service_account_token(self.client, key_json=self.config["service_account_json"],
                                                scope=SCOPE, reconnect=RECONNECT)
        return {"Authorization": f"Bearer {self._token}"}

    def fetch(self, *, cursor: Any) -> FetchResult:
        page, swept_at = self._read_cursor(cursor)
        mentions: list[RawMention] = []
        base = f"{API}/{urllib.parse.quote(self.package)}/reviews"
        now = self.client.clock()
        if page is None and swept_at and now - swept_at > timedelta(days=LISTED_DAYS):
            # Polls stopped for longer than Google Play keeps reviews listed: some were missed.
            notes = {"gap_days": (now - swept_at).days, "gap_noticed_at": now.isoformat()}
        else:
            notes = self._kept_notes(cursor, now)
        for _ in range(self.config["max_requests"]):
            params = {"maxResults": "100", **({"token": page} if page else {})}
            where = "Google Play reviews.list"
            answer = self.client.call("GET", f"{base}?{urllib.parse.urlencode(params)}", headers=self._auth(),
                                      where=where)
            if not (answer.ok and isinstance(answer.body, dict)):
                raise google_error(self.client, answer, where=where, reconnect=RECONNECT)
            for review in dicts(answer.body.get("reviews")):
                mentions.extend(self._review(review))
            pagination = answer.body.get("tokenPagination")
            token = pagination.get("nextPageToken") if isinstance(pagination, Mapping) else None
            page = token if isinstance(token, str) and TOKEN.match(token) else None
            if page is None:
                swept_at = now
                break
        cursor_out: dict[str, Any] = {"page": page, "swept_at": swept_at.isoformat() if swept_at else None}
        if notes:
            cursor_out["health"] = notes
        return FetchResult(mentions=tuple(mentions), next_cursor=cursor_out, has_more=page is not None)

    def _review(self, review: Any) -> list[RawMention]:
        if not isinstance(review, Mapping):
            return [unreadable(PLATFORM)]
        review_id = review.get("reviewId")
        user = developer = None
        for comment in dicts(review.get("comments")):
            if isinstance(comment, Mapping) and isinstance(comment.get("userComment"), Mapping):
                user = comment["userComment"]
            if isinstance(comment, Mapping) and isinstance(comment.get("developerComment"), Mapping):
                developer = comment["developerComment"]
        if user is None:
            return [unreadable(PLATFORM, review_id)]
        url = ""
        if isinstance(review_id, str):
            url = (f"https://play.google.com/store/apps/details?id={urllib.parse.quote(self.package)}"
                   f"&reviewId={urllib.parse.quote(review_id)}")
        found = [RawMention(external_id=review_id, text=user.get("text"),
                            published_at=epoch_time(user.get("lastModified")),
                            author_handle=review.get("authorName") or "", url=url, platform=PLATFORM,
                            thread_external_id=review_id or "")]
        if developer is not None and isinstance(review_id, str):
            found.append(RawMention(
                external_id=f"{review_id}:reply", text=developer.get("text"),
                published_at=epoch_time(developer.get("lastModified")), author_handle="", url=url,
                platform=PLATFORM, parent_external_id=review_id, thread_external_id=review_id, is_brand_reply=True))
        return found

    @staticmethod
    def _kept_notes(cursor: Any, now: datetime) -> dict[str, Any]:
        """A gap noticed in the last seven days stays on the source's health that long."""
        health = cursor.get("health") if isinstance(cursor, Mapping) else None
        noticed = google_time(health.get("gap_noticed_at")) if isinstance(health, Mapping) else None
        if isinstance(noticed, datetime) and now - noticed < timedelta(days=LISTED_DAYS):
            return dict(health)  # type: ignore[arg-type]
        return {}

    def _read_cursor(self, cursor: Any) -> tuple[str | None, Any]:
        if cursor is None or cursor == {}:
            return None, None
        if isinstance(cursor, Mapping) and set(cursor) <= {"page", "swept_at", "health"}:
            page, swept = cursor.get("page"), cursor.get("swept_at")
            swept_at = google_time(swept) if isinstance(swept, str) else None
            page_ok = page is None or (isinstance(page, str) and TOKEN.match(page))
            if page_ok and (swept is None or isinstance(swept_at, datetime)):
                return page, swept_at
        raise PermanentAdapterError(f"unreadable cursor {str(cursor)[:200]}: expected {{'page': token, 'swept_at': t}}")

    def reply(self, *, to_external_id: str, thread_external_id: str, text: str) -> str:
        """Post (or replace) the developer's reply to a review (``reviews.reply``); return the id
        the reply is stored under (a review has one reply)."""
        review_id = thread_external_id or to_external_id.removesuffix(":reply")
        where = "Google Play reviews.reply"
        url = f"{API}/{urllib.parse.quote(self.package)}/reviews/{urllib.parse.quote(review_id, safe='')}:reply"
        answer = self.client.call("POST", url, headers=self._auth(), json_body={"replyText": text}, where=where)
        if answer.ok and isinstance(answer.body, Mapping) and isinstance(answer.body.get("result"), Mapping):
            return f"{review_id}:reply"
        if answer.ok:
            raise TransientAdapterError(f"{where}: Google Play answered without the reply")
        raise google_error(self.client, answer, where=where, reconnect=RECONNECT)

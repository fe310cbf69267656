"""The ``x`` kind: mentions of the brand's X account and the account's replies, through X API v2.

Two chains, each newest first and resumed where it stopped: ``GET /2/users/:id/mentions`` (what
people write to the brand) and ``GET /2/users/:id/tweets`` (the brand's own posts, of which the
replies are kept: a reply authored by the brand's account answers the post it replies to). Each
follows ``meta.next_token`` (sent back as ``pagination_token``) to the end, at most
``max_requests`` requests per poll; once a chain is read to the end, its newest id becomes the
``since_id`` the next poll starts from, so nothing is read twice. Every post carries its
``conversation_id``, which is its thread. An edited post is stored under its first id
(``edit_history_tweet_ids[0]``), so the edit replaces its text. X API v2 does not tell a reader
about deleted posts (only its compliance streams do): a deletion is not seen.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from workers.adapters.apicall import (
    Answer,
    ApiClient,
    Clock,
    CredentialsRejected,
    Transport,
    awaiting_refresh,
    dicts,
    mapping,
    text,
    unreadable,
)
from workers.adapters.base import (
    AdapterError,
    ConfigField,
    ConfigSchema,
    FetchResult,
    PermanentAdapterError,
    RawMention,
    SourceAdapter,
    TransientAdapterError,
)
from workers.adapters.google import google_time

API = "https://api.x.com/2"
PLATFORM = "x"
DIGITS = re.compile(r"^[0-9]{1,20}$")
TOKEN = re.compile(r"^[A-Za-z0-9_\-]{1,200}$")
CHAINS = ("mentions", "tweets")
TWEET_FIELDS = "created_at,conversation_id,in_reply_to_user_id,referenced_tweets,author_id,edit_history_tweet_ids"
DEFAULT_RATE_WAIT = 900.0  # X's windows are 15 minutes
RECONNECT = "Connect the X account again from the source's page, then resume it."


def user_id_problem(value: str) -> str | None:
    return None if DIGITS.match(value) else "Must be the account's numeric user id."


class XAdapter(SourceAdapter):
    kind = "x"
    label = "X mentions"
    platform = PLATFORM
    can_reply: ClassVar[bool] = True
    config_schema: ClassVar[ConfigSchema] = ConfigSchema({
        "user_id": ConfigField(str, required=True, check=user_id_problem,
                               help="The brand account's numeric user id."),
        "username": ConfigField(str, help="The brand account's @handle, for links."),
        "access_token": ConfigField(str, secret=True,
                                    help="Set by connecting the account (OAuth 2.0); needed to post replies."),
        "refresh_token": ConfigField(str, secret=True, help="Set by connecting the account (OAuth 2.0)."),
        "token_expires_at": ConfigField(str, help="When the access token expires; Dengar refreshes it before."),
        "bearer_token": ConfigField(str, secret=True, help="An app-only bearer token: enough to read, not to reply."),
        "max_requests": ConfigField(int, default=10, min_value=1, max_value=100,
                                    help="At most this many requests per poll (X bills reads)."),
    })

    def __init__(self, config: Mapping[str, Any], *, transport: Transport | None = None,
                 clock: Clock | None = None) -> None:
        super().__init__(config)
        self.user_id: str = self.config["user_id"]
        self.client = ApiClient(name="X API", transport=transport, clock=clock)

    def _auth(self, *, write: bool = False) -> dict[str, str]:
        awaiting_refresh(self.config, self.client.clock(), where="X")
        token = self.config.get("access_token") or (None if write else self.config.get("bearer_token"))
        if token:
            return {"Authorization": f"Bearer {token}"}
        if write:
            raise CredentialsRejected("Replying needs the account connected through OAuth, not a bearer token. "
                                      + RECONNECT)
        raise CredentialsRejected("This source is not connected yet: connect the X account from the source's page "
                                  "or paste a bearer token, then resume it.")

    def fetch(self, *, cursor: Any) -> FetchResult:
        state = self._read_cursor(cursor)
        mentions: list[RawMention] = []
        budget = self.config["max_requests"]
        for chain in CHAINS:
            at = state[chain]
            while budget > 0:
                budget -= 1
                body = self._page(chain, at)
                users = {u.get("id"): u.get("username") for u in dicts(mapping(body.get("includes")).get("users"))
                         if isinstance(u, Mapping)}
                for tweet in dicts(body.get("data")):
                    item = self._tweet(tweet, users, own=chain == "tweets")
                    if item is not None:
                        mentions.append(item)
                meta = mapping(body.get("meta"))
                newest = meta.get("newest_id")
                if at["next"] is None and isinstance(newest, str) and DIGITS.match(newest):
                    at["newest"] = newest  # the chain's first page: its newest post starts the next
                following = meta.get("next_token")
                if isinstance(following, str) and TOKEN.match(following):
                    at["next"] = following
                    continue
                at["next"] = None
                if at.get("newest"):
                    at["since_id"] = at.pop("newest")
                break
        has_more = any(state[c]["next"] for c in CHAINS)
        return FetchResult(mentions=tuple(mentions), next_cursor=state, has_more=has_more)

    def _page(self, chain: str, at: Mapping[str, Any]) -> dict[str, Any]:
        params = {"max_results": "100", "tweet.fields": TWEET_FIELDS, "expansions": "author_id",
                  "user.fields": "username"}
        if chain == "tweets":
            params["exclude"] = "retweets"
        if at.get("since_id"):
            params["since_id"] = at["since_id"]
        if at.get("next"):
            params["pagination_token"] = at["next"]
        where = f"X GET /2/users/:id/{chain}"
        answer = self.client.call("GET", f"{API}/users/{self.user_id}/{chain}?{urllib.parse.urlencode(params)}",
                                  headers=self._auth(), where=where)
        if answer.ok and isinstance(answer.body, dict) and not (answer.body.get("errors") and "data" not in answer.body
                                                                and "meta" not in answer.body):
            return answer.body
        raise self._error(answer, where)

    def _tweet(self, tweet: Any, users: Mapping[Any, Any], *, own: bool) -> RawMention | None:
        if not isinstance(tweet, Mapping):
            return unreadable(PLATFORM)
        replied_to = next((r.get("id") for r in dicts(tweet.get("referenced_tweets"))
                           if isinstance(r, Mapping) and r.get("type") == "replied_to"), "")
        author_id = tweet.get("author_id")
        by_brand = author_id == self.user_id
        if own and not replied_to:
            return None  # the brand's own posts that answer nobody are not mentions
        history = dicts(tweet.get("edit_history_tweet_ids"))
        external_id = history[0] if history and isinstance(history[0], str) else tweet.get("id")
        handle = users.get(author_id) or ""
        url = ""
        if isinstance(tweet.get("id"), str):
            url = f"https://x.com/{handle or 'i/web'}/status/{tweet['id']}"
        return RawMention(
            external_id=external_id, text=tweet.get("text"), published_at=google_time(tweet.get("created_at")),
            author_handle=handle, url=url, platform=PLATFORM, parent_external_id=replied_to or "",
            thread_external_id=tweet.get("conversation_id") or "", is_brand_reply=bool(replied_to) and by_brand)

    def _error(self, answer: Answer, where: str) -> AdapterError:
        body = answer.body if isinstance(answer.body, Mapping) else {}
        first = dicts(body.get("errors"))[:1]
        detail = body.get("detail") or body.get("title") or (mapping(first[0]).get("message") if first else "")
        said = f"{where}: {text(detail) or f'HTTP {answer.status} {answer.reason}'.strip()}"
        if answer.status == 429:
            wait = self._reset_wait(answer) or self.client.retry_after(answer) or DEFAULT_RATE_WAIT
            return TransientAdapterError(f"{said}: X's rate limit, waiting {wait:g} s", retry_after=wait)
        if answer.status == 401:
            return CredentialsRejected(f"{said}: X no longer accepts this source's token (expired or revoked). "
                                       + RECONNECT)
        if answer.status == 403:
            return PermanentAdapterError(f"{said}: the app or token may not do this (its access level or the "
                                         "account's settings)")
        if answer.status == 404:
            return PermanentAdapterError(f"{said}: no such account")
        if answer.status >= 500:
            return TransientAdapterError(said, retry_after=self.client.retry_after(answer))
        if answer.ok:
            return TransientAdapterError(f"{where}: the answer is not the JSON object expected")
        return PermanentAdapterError(said)

    def _reset_wait(self, answer: Answer) -> float | None:
        """Seconds until ``x-rate-limit-reset`` (epoch seconds), never negative."""
        raw = answer.headers.get("x-rate-limit-reset") if answer.headers is not None else None
        try:
            reset = datetime.fromtimestamp(int(str(raw).strip()), tz=UTC)
        except (TypeError, ValueError, OverflowError, OSError):
            return None
        return max(1.0, (reset - self.client.clock()).total_seconds())

    def _read_cursor(self, cursor: Any) -> dict[str, dict[str, Any]]:
        fresh = {c: {"since_id": None, "next": None} for c in CHAINS}
        if cursor is None or cursor == {}:
            return fresh
        if isinstance(cursor, Mapping) and set(cursor) <= set(CHAINS):
            state = {c: dict(cursor.get(c) or {"since_id": None, "next": None}) for c in CHAINS}
            if all(set(s) <= {"since_id", "next", "newest"} and all(
                    v is None or (isinstance(v, str) and TOKEN.match(v)) for v in s.values()) for s in state.values()):
                for s in state.values():
                    s.setdefault("since_id", None)
                    s.setdefault("next", None)
                return state
        raise PermanentAdapterError(f"unreadable cursor {str(cursor)[:200]}")

    def reply(self, *, to_external_id: str, thread_external_id: str, text: str) -> str:
        """Post ``text`` as the account's reply (``POST /2/tweets``); return the new post's id."""
        where = "X POST /2/tweets"
        answer = self.client.call("POST", f"{API}/tweets", headers=self._auth(write=True),
                                  json_body={"text": text, "reply": {"in_reply_to_tweet_id": to_external_id}},
                                  where=where)
        data = answer.body.get("data") if isinstance(answer.body, Mapping) else None
        if answer.ok and isinstance(data, Mapping) and isinstance(data.get("id"), str):
            return data["id"]
        if answer.ok:
            raise TransientAdapterError(f"{where}: X answered without the new post's id")
        raise self._error(answer, where)

"""The ``youtube`` kind: comments on a channel's videos, through the YouTube Data API v3.

A sweep reads ``commentThreads.list?allThreadsRelatedToChannelId=`` (newest first) and, for a
thread with more replies than it embeds, ``comments.list?parentId=`` to the end of every chain.
What is still to read is a stack of frames in the cursor (``{"edge": "threads", "page": token}``,
``{"edge": "replies", "id": "<thread id>", "video": "<video id>", "page": token}``); a fetch makes
at most ``max_requests`` requests and the next one resumes from the stack (``has_more``). A sweep
reads at most ``max_threads`` threads, the newest, so its cost (in quota units) does not grow with
the channel's history; the next sweep, after the source's interval, sees new comments and edited
texts, but not before ``sweep_every_seconds`` after the last one ended (each costs quota, whatever
the poll interval). A reply whose ``authorChannelId`` is the channel is the brand's.

YouTube does not list deleted comments, and says nothing of them: a deletion is not seen.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from workers.adapters.apicall import (
    ApiClient,
    Clock,
    CredentialsRejected,
    Transport,
    awaiting_refresh,
    dicts,
    mapping,
    unreadable,
)
from workers.adapters.base import (
    ConfigField,
    ConfigSchema,
    FetchResult,
    PermanentAdapterError,
    RawMention,
    SourceAdapter,
    TransientAdapterError,
)
from workers.adapters.google import google_error, google_time

API = "https://www.googleapis.com/youtube/v3"
PLATFORM = "youtube"
CHANNEL_ID = re.compile(r"^UC[A-Za-z0-9_-]{22}$")
# Thread, comment and video ids and page tokens as YouTube gives them (they become parameters).
TOKEN = re.compile(r"^[A-Za-z0-9_.\-=]{1,200}$")
MAX_QUEUE = 2_000
RECONNECT = "Connect the channel again from the source's page (or paste a new API key), then resume it."


def channel_problem(value: str) -> str | None:
    return None if CHANNEL_ID.match(value) else "Must be a YouTube channel id (UC followed by 22 characters)."


class YoutubeAdapter(SourceAdapter):
    kind = "youtube"
    label = "YouTube comments"
    platform = PLATFORM
    can_reply: ClassVar[bool] = True
    config_schema: ClassVar[ConfigSchema] = ConfigSchema({
        "channel_id": ConfigField(str, required=True, check=channel_problem,
                                  help="The channel's id (UC…), from YouTube Studio > Settings > Channel > Advanced."),
        "access_token": ConfigField(str, secret=True,
                                    help="Set by connecting the channel (OAuth); needed to post replies."),
        "refresh_token": ConfigField(str, secret=True, help="Set by connecting the channel (OAuth)."),
        "token_expires_at": ConfigField(str, help="When the access token expires; Dengar refreshes it before."),
        "api_key": ConfigField(str, secret=True,
                               help="A YouTube Data API key: enough to read comments, not to reply."),
        "max_threads": ConfigField(int, default=200, min_value=1, max_value=5000,
                                   help="How many of the newest comment threads each sweep reads."),
        "max_requests": ConfigField(int, default=20, min_value=1, max_value=200,
                                    help="At most this many requests (quota units) per poll."),
        "sweep_every_seconds": ConfigField(
            int, default=900, min_value=60, max_value=86_400,
            help="A new sweep starts at most this often, whatever the poll interval: each costs quota "
                 "(10,000 units a day)."),
    })

    def __init__(self, config: Mapping[str, Any], *, transport: Transport | None = None,
                 clock: Clock | None = None) -> None:
        super().__init__(config)
        self.channel_id: str = self.config["channel_id"]
        self.client = ApiClient(name="YouTube Data API", transport=transport, clock=clock)

    # --- Requests ----------------------------------------------------------------------------
    def _auth(self, *, write: bool = False) -> dict[str, str]:
        awaiting_refresh(self.config, self.client.clock(), where="YouTube")
        token = self.config.get("access_token")
        if token:
            return {"Authorization": f"Bearer {token}"}
        if write:
            raise CredentialsRejected("Replying needs the channel connected through OAuth, not an API key. "
                                      + RECONNECT)
        if self.config.get("api_key"):
            return {"X-goog-api-key": self.config["api_key"]}
        raise CredentialsRejected("This source is not connected yet: connect the channel from the source's page "
                                  "or paste an API key, then resume it.")

    def _get(self, resource: str, params: Mapping[str, str], *, missing_ok: bool = False) -> dict[str, Any] | None:
        where = f"YouTube {resource}.list"
        answer = self.client.call("GET", f"{API}/{resource}?{urllib.parse.urlencode(params)}",
                                  headers=self._auth(), where=where)
        if answer.ok and isinstance(answer.body, dict) and isinstance(answer.body.get("items"), list):
            return answer.body
        if missing_ok and answer.status == 404:
            return None  # the thread was deleted since it was listed: nothing more to read there
        raise google_error(self.client, answer, where=where, reconnect=RECONNECT)

    # --- The sweep ---------------------------------------------------------------------------
    def fetch(self, *, cursor: Any) -> FetchResult:
        queue, threads, swept_at = self._read_cursor(cursor)
        now = self.client.clock()
        if not queue:
            if swept_at is not None and (now - swept_at).total_seconds() < self.config["sweep_every_seconds"]:
                # The last sweep is recent: the daily quota is kept for the sweeps to come.
                return FetchResult(mentions=(), next_cursor=cursor, has_more=False)
            queue, threads = [{"edge": "threads", "page": None}], 0
        mentions: list[RawMention] = []
        for _ in range(self.config["max_requests"]):
            if not queue:
                break
            frame = queue.pop()
            children: list[dict[str, Any]] = []
            if frame["edge"] == "threads":
                params = {"part": "snippet,replies", "allThreadsRelatedToChannelId": self.channel_id,
                          "maxResults": "100", "order": "time", "textFormat": "plainText"}
                if frame["page"]:
                    params["pageToken"] = frame["page"]
                body = self._get("commentThreads", params)
                assert body is not None
                for item in body["items"]:
                    found, more = self._thread(item)
                    mentions.extend(found)
                    children.extend(more)
                threads += len(body["items"])
                following = _page_token(body) if threads < self.config["max_threads"] else None
            else:
                params = {"part": "snippet", "parentId": frame["id"], "maxResults": "100", "textFormat": "plainText"}
                body = self._get("comments", {**params, **({"pageToken": frame["page"]} if frame["page"] else {})},
                                 missing_ok=True)
                following = None
                if body is not None:
                    mentions.extend(self._comment(c, thread=frame["id"], video=frame.get("video") or "")
                                    for c in body["items"])
                    following = _page_token(body)
            if following:
                queue.append({**frame, "page": following})
            queue.extend(reversed(children))
            if len(queue) > MAX_QUEUE:
                raise PermanentAdapterError(f"more than {MAX_QUEUE} reply chains left to read; lower max_threads")
        next_cursor: dict[str, Any] = {"queue": queue, "threads": threads}
        if not queue:
            next_cursor["swept_at"] = now.isoformat()
        return FetchResult(mentions=tuple(mentions), next_cursor=next_cursor, has_more=bool(queue))

    def _thread(self, item: Any) -> tuple[list[RawMention], list[dict[str, Any]]]:
        snippet = item.get("snippet") if isinstance(item, Mapping) else None
        if not isinstance(snippet, Mapping) or not isinstance(snippet.get("topLevelComment"), Mapping):
            return [unreadable(PLATFORM, item.get("id") if isinstance(item, Mapping) else "")], []
        thread_id = str(item.get("id") or "")
        video = str(snippet.get("videoId") or "")
        found = [self._comment(snippet["topLevelComment"], thread=thread_id, video=video)]
        embedded = dicts(mapping(item.get("replies")).get("comments"))
        total = snippet.get("totalReplyCount")
        if isinstance(total, int) and total > len(embedded) and TOKEN.match(thread_id):
            # The thread embeds only some replies: read them all from comments.list.
            return found, [{"edge": "replies", "id": thread_id, "video": video, "page": None}]
        found.extend(self._comment(c, thread=thread_id, video=video) for c in embedded)
        return found, []

    def _comment(self, comment: Any, *, thread: str, video: str) -> RawMention:
        snippet = comment.get("snippet") if isinstance(comment, Mapping) else None
        if not isinstance(snippet, Mapping):
            return unreadable(PLATFORM, comment.get("id") if isinstance(comment, Mapping) else "")
        author = snippet.get("authorChannelId")
        author_id = author.get("value") if isinstance(author, Mapping) else None
        comment_id = comment.get("id")
        parent = snippet.get("parentId") or ""
        url = ""
        if video and isinstance(comment_id, str):
            url = f"https://www.youtube.com/watch?v={urllib.parse.quote(video)}&lc={urllib.parse.quote(comment_id)}"
        return RawMention(
            external_id=comment_id,
            text=snippet.get("textOriginal") if snippet.get("textOriginal") is not None else snippet.get("textDisplay"),
            published_at=google_time(snippet.get("publishedAt")),
            author_handle=snippet.get("authorDisplayName") or "",
            url=url,
            platform=PLATFORM,
            parent_external_id=parent,
            thread_external_id=thread,
            is_brand_reply=bool(parent) and author_id == self.channel_id,
        )

    def _read_cursor(self, cursor: Any) -> tuple[list[dict[str, Any]], int, datetime | None]:
        if cursor is None or cursor == {}:
            return [], 0, None
        if isinstance(cursor, Mapping) and set(cursor) <= {"queue", "threads", "swept_at"}:
            queue, threads = cursor.get("queue", []), cursor.get("threads", 0)
            swept_at = google_time(cursor.get("swept_at"))
            if (isinstance(queue, list) and isinstance(threads, int) and all(_frame_ok(f) for f in queue)
                    and (swept_at is None or isinstance(swept_at, datetime))):
                return [dict(f) for f in queue], threads, swept_at
        raise PermanentAdapterError(f"unreadable cursor {str(cursor)[:200]}: expected {{'queue': [...], 'threads': n}}")

    # --- Replies -----------------------------------------------------------------------------
    def reply(self, *, to_external_id: str, thread_external_id: str, text: str) -> str:
        """Post ``text`` as the channel's reply (``comments.insert``); return the reply's id. A
        reply to a reply goes to its thread: YouTube threads are one level deep."""
        parent = thread_external_id or to_external_id
        where = "YouTube comments.insert"
        answer = self.client.call("POST", f"{API}/comments?part=snippet", headers=self._auth(write=True),
                                  json_body={"snippet": {"parentId": parent, "textOriginal": text}}, where=where)
        new_id = answer.body.get("id") if isinstance(answer.body, Mapping) else None
        if answer.ok and isinstance(new_id, str) and new_id:
            return new_id
        if answer.ok:
            raise TransientAdapterError(f"{where}: YouTube answered without the new reply's id")
        raise google_error(self.client, answer, where=where, reconnect=RECONNECT)


def _page_token(body: Mapping[str, Any]) -> str | None:
    token = body.get("nextPageToken")
    return token if isinstance(token, str) and TOKEN.match(token) else None


def _frame_ok(frame: Any) -> bool:
    if not isinstance(frame, Mapping):
        return False
    page = frame.get("page")
    if page is not None and not (isinstance(page, str) and TOKEN.match(page)):
        return False
    if frame.get("edge") == "threads":
        return True
    return frame.get("edge") == "replies" and isinstance(frame.get("id"), str) and bool(TOKEN.match(frame["id"]))

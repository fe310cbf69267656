"""The ``instagram`` kind: comments and replies on a business account's media (Graph API).

A sweep (``workers.adapters.meta.sweep``) reads ``/{ig-user-id}/media``, each medium's
``/{ig-media-id}/comments`` with their first replies embedded, and ``/{ig-comment-id}/replies``
for the rest. A comment is a mention; a reply names its comment as parent and thread. A reply
whose ``from.id`` is the account's own is the brand's reply, and answers its comment.
The ``comments`` webhook delivers the same items (``webhook_items``); replies are posted with
``POST /{ig-comment-id}/replies`` (Instagram threads are one level deep: a reply to a reply goes
to its comment).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workers.adapters.base import ConfigSchema, RawMention
from workers.adapters.meta.graph import next_page, parse_time, safe_id
from workers.adapters.meta.sweep import Frame, GraphSweepAdapter, author, common_fields, dicts, listed, unreadable

PLATFORM = "instagram"
ITEM_FIELDS = "id,text,timestamp,username,from,parent_id,hidden"


class InstagramAdapter(GraphSweepAdapter):
    kind = "instagram"
    label = "Instagram business account (Graph API)"
    platform = PLATFORM
    account_field = "account_id"
    edges = frozenset({"media", "comments", "replies"})
    root_edge = "media"
    config_schema = ConfigSchema(common_fields(
        account="account_id", account_help="The Instagram professional account's id (IG user id), digits only."))

    def request(self, frame: Frame) -> tuple[str, dict[str, str]]:
        size = str(self.config["page_size"])
        if frame["edge"] == "media":
            return f"{frame['id']}/media", {"fields": "id,permalink,timestamp", "limit": size}
        if frame["edge"] == "comments":
            return f"{frame['id']}/comments", {
                "fields": f"{ITEM_FIELDS},replies.limit({size}){{{ITEM_FIELDS}}}", "limit": size}
        return f"{frame['id']}/replies", {"fields": ITEM_FIELDS, "limit": size}

    def read(self, frame: Frame, items: list[Any]) -> tuple[list[RawMention], list[Frame]]:
        mentions: list[RawMention] = []
        children: list[Frame] = []
        url = frame.get("url", "")
        for item in items:
            if frame["edge"] == "media":
                media_id = safe_id(item.get("id")) if isinstance(item, Mapping) else None
                if media_id:
                    permalink = item.get("permalink")
                    children.append({"edge": "comments", "id": media_id,
                                     "url": permalink if isinstance(permalink, str) else ""})
                continue
            if not isinstance(item, Mapping):
                mentions.append(unreadable(PLATFORM))
                continue
            if frame["edge"] == "replies":
                mentions.append(self.mention(item, url=url, parent=frame["id"]))
                continue
            mentions.append(self.mention(item, url=url))
            comment_id = safe_id(item.get("id"))
            replies = item.get("replies")
            for reply in dicts(replies):
                mentions.append(self.mention(reply, url=url, parent=comment_id or "")
                                if isinstance(reply, Mapping) else unreadable(PLATFORM))
            following = next_page(replies) if isinstance(replies, Mapping) else None
            if comment_id and following:
                children.append({"edge": "replies", "id": comment_id, "url": url, "after": following})
        return mentions, children

    def mention(self, item: Mapping[str, Any], *, url: str, parent: str = "") -> RawMention:
        sender_id, handle = author(item)
        parent = parent or str(item.get("parent_id") or "")
        return RawMention(
            external_id=item.get("id"),
            text=item.get("text"),
            published_at=parse_time(item.get("timestamp")),
            author_handle=handle,
            url=url,
            platform=PLATFORM,
            parent_external_id=parent,
            thread_external_id=parent or item.get("id") or "",
            is_brand_reply=bool(sender_id) and sender_id == self.account_id,
        )

    def webhook_items(self, payload: Any) -> list[RawMention]:
        """The comments an ``instagram`` webhook delivery carries (field ``comments``):
        ``{"object": "instagram", "entry": [{"id", "time", "changes": [{"field": "comments",
        "value": {"id", "text", "from": {"id", "username"}, "media": {"id"}, "parent_id"}}]}]}``.
        The value has no time of its own: the entry's is used."""
        found: list[RawMention] = []
        if not isinstance(payload, Mapping) or payload.get("object") != "instagram":
            return found
        for entry in listed(payload.get("entry")):
            if not isinstance(entry, Mapping) or entry.get("id") != self.account_id:
                continue
            for change in listed(entry.get("changes")):
                if not isinstance(change, Mapping) or change.get("field") != "comments":
                    continue
                value = change.get("value")
                if not isinstance(value, Mapping):
                    found.append(unreadable(PLATFORM))
                    continue
                found.append(self.mention({**value, "timestamp": entry.get("time")}, url=""))
        return found

    def reply(self, *, to_external_id: str, thread_external_id: str, text: str) -> str:
        comment = safe_id(thread_external_id) or safe_id(to_external_id)
        if comment is None:
            raise ValueError("not an Instagram comment id")
        body = self.graph.post(f"{comment}/replies", {"message": text})
        return self.posted_id(body, f"Graph API POST /{comment}/replies")

"""The ``facebook`` kind: a Facebook Page's posts and their comment threads (Graph API).

A sweep (``workers.adapters.meta.sweep``) reads ``/{page-id}/feed`` with each post's comments
and their replies embedded (``comments{from,message,created_time,comments}``), and follows the
paging of each embedded list through ``/{post-id}/comments`` and ``/{comment-id}/comments``.
A visitor's post on the Page is a mention, the Page's own posts are not; a comment names its
post as parent, a reply its comment. An item whose ``from.id`` is the Page's is the brand's and
answers its parent. The Page's ``feed`` webhook delivers the same items, with edits (verb
``edited``: the stored text is replaced) and deletions (verb ``remove``: the mention is marked
deleted). Replies are posted with ``POST /{comment-id}/comments``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workers.adapters.base import ConfigSchema, RawMention
from workers.adapters.meta.graph import next_page, parse_time, safe_id
from workers.adapters.meta.sweep import Frame, GraphSweepAdapter, author, common_fields, dicts, listed, unreadable

PLATFORM = "facebook"
ITEM_FIELDS = "id,message,created_time,permalink_url,from"


class FacebookPageAdapter(GraphSweepAdapter):
    kind = "facebook"
    label = "Facebook Page (Graph API)"
    platform = PLATFORM
    account_field = "page_id"
    edges = frozenset({"feed", "comments", "replies"})
    root_edge = "feed"
    config_schema = ConfigSchema(common_fields(
        account="page_id", account_help="The Facebook Page's id, digits only."))

    def request(self, frame: Frame) -> tuple[str, dict[str, str]]:
        size = str(self.config["page_size"])
        replies = f"comments.limit({size}){{{ITEM_FIELDS}}}"
        comments = f"comments.limit({size}){{{ITEM_FIELDS},{replies}}}"
        if frame["edge"] == "feed":
            return f"{frame['id']}/feed", {"fields": f"{ITEM_FIELDS},{comments}", "limit": size}
        if frame["edge"] == "comments":
            return f"{frame['id']}/comments", {"fields": f"{ITEM_FIELDS},{replies}", "limit": size}
        return f"{frame['id']}/comments", {"fields": ITEM_FIELDS, "limit": size}

    def read(self, frame: Frame, items: list[Any]) -> tuple[list[RawMention], list[Frame]]:
        mentions: list[RawMention] = []
        children: list[Frame] = []
        for item in items:
            if not isinstance(item, Mapping):
                mentions.append(unreadable(PLATFORM))
                continue
            if frame["edge"] == "feed":
                self._post(item, mentions, children)
            elif frame["edge"] == "comments":
                self._comment(item, post=frame["id"], url=frame.get("url", ""), mentions=mentions, children=children)
            else:
                mentions.append(self.mention(item, parent=frame["id"], thread=frame["id"], url=frame.get("url", "")))
        return mentions, children

    def _post(self, post: Mapping[str, Any], mentions: list[RawMention], children: list[Frame]) -> None:
        post_id = safe_id(post.get("id"))
        permalink = post.get("permalink_url")
        url = permalink if isinstance(permalink, str) else ""
        sender_id, _ = author(post)
        if sender_id != self.account_id:  # a visitor's post; the Page's own posts say nothing to it
            mentions.append(self.mention(post, url=url))
        comments = post.get("comments")
        for comment in dicts(comments):
            if isinstance(comment, Mapping):
                self._comment(comment, post=post_id or "", url=url, mentions=mentions, children=children)
            else:
                mentions.append(unreadable(PLATFORM))
        following = next_page(comments) if isinstance(comments, Mapping) else None
        if post_id and following:
            children.append({"edge": "comments", "id": post_id, "url": url, "after": following})

    def _comment(self, comment: Mapping[str, Any], *, post: str, url: str, mentions: list[RawMention],
                 children: list[Frame]) -> None:
        comment_id = safe_id(comment.get("id"))
        mentions.append(self.mention(comment, parent=post, thread=comment_id or "", url=url))
        replies = comment.get("comments")
        for reply in dicts(replies):
            mentions.append(self.mention(reply, parent=comment_id or "", thread=comment_id or "", url=url)
                            if isinstance(reply, Mapping) else unreadable(PLATFORM))
        following = next_page(replies) if isinstance(replies, Mapping) else None
        if comment_id and following:
            children.append({"edge": "replies", "id": comment_id, "url": url, "after": following})

    def mention(self, item: Mapping[str, Any], *, url: str, parent: str = "", thread: str = "") -> RawMention:
        sender_id, name = author(item)
        own_url = item.get("permalink_url")
        return RawMention(
            external_id=item.get("id"),
            text=item.get("message"),
            published_at=parse_time(item.get("created_time")),
            author_handle=name,
            url=own_url if isinstance(own_url, str) and own_url else url,
            platform=PLATFORM,
            parent_external_id=parent,
            thread_external_id=thread or item.get("id") or "",
            is_brand_reply=bool(sender_id) and sender_id == self.account_id,
        )

    def webhook_items(self, payload: Any) -> list[RawMention]:
        """The comments and visitor posts a Page webhook delivery carries (field ``feed``):
        ``{"object": "page", "entry": [{"id", "time", "changes": [{"field": "feed", "value":
        {"item": "comment", "verb": "add", "comment_id", "post_id", "parent_id", "from",
        "message", "created_time"}}]}]}``; verb ``edited`` carries the new text, ``remove`` a
        deletion."""
        found: list[RawMention] = []
        if not isinstance(payload, Mapping) or payload.get("object") != "page":
            return found
        for entry in listed(payload.get("entry")):
            if not isinstance(entry, Mapping) or entry.get("id") != self.account_id:
                continue
            for change in listed(entry.get("changes")):
                if not isinstance(change, Mapping) or change.get("field") != "feed":
                    continue
                value = change.get("value")
                item = self._webhook_item(value) if isinstance(value, Mapping) else unreadable(PLATFORM)
                if item is not None:
                    found.append(item)
        return found

    def _webhook_item(self, value: Mapping[str, Any]) -> RawMention | None:
        kind, verb = value.get("item"), value.get("verb")
        if kind == "comment":
            item_id, post = value.get("comment_id"), str(value.get("post_id") or "")
            parent = str(value.get("parent_id") or post)
            thread = item_id if parent == post else parent
        elif kind in ("post", "status", "photo", "video"):
            sender_id, _ = author(value)
            if sender_id == self.account_id:
                return None
            item_id, parent, thread = value.get("post_id"), "", value.get("post_id")
        else:  # reactions, likes, shares: no words to read
            return None
        if verb == "remove":
            return RawMention(external_id=item_id, text="", published_at=None, platform=PLATFORM, deleted=True)
        if verb not in ("add", "edited"):
            return None
        return self.mention({**value, "id": item_id}, url="", parent=parent, thread=str(thread or ""))

    def reply(self, *, to_external_id: str, thread_external_id: str, text: str) -> str:
        target = safe_id(to_external_id)
        if target is None:
            raise ValueError("not a Facebook comment or post id")
        body = self.graph.post(f"{target}/comments", {"message": text})
        return self.posted_id(body, f"Graph API POST /{target}/comments")

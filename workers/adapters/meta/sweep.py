"""Reading a Graph API account as a walk over its edges, resumable at every page.

A sweep starts at the account's root edge (an Instagram account's media, a Page's feed), reads
each item's comments and each comment's replies, and follows every ``paging`` chain to its end.
What is still to read is a stack of frames, kept in the cursor with the account it is for
(another account starts afresh): ``{"edge": "comments", "id":
"<media id>", "after": {"after": "<cursor>"}}`` and what the frame's items need to know (the
post's address). A fetch makes at most ``max_requests`` requests and stores the stack; the next
fetch resumes from it (``has_more``), so a long chain is read across polls, never restarted.
When the stack is empty the sweep is done, and the next poll (after the source's interval)
starts another, which sees new comments and edited texts (stored once: the upsert is idempotent).
A sweep reads at most ``max_roots`` root items, the newest, so its cost does not grow with the
account's history. Frames hold ids, paging parameters and the post's public link: never an API
address, never a token.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from workers.adapters.base import (
    ConfigField,
    FetchResult,
    PermanentAdapterError,
    RawMention,
    SourceAdapter,
    TransientAdapterError,
)
from workers.adapters.meta.graph import Clock, Graph, Transport, id_problem, next_page, safe_id, version_problem

Frame = dict[str, Any]
CURSOR_KEYS = frozenset({"queue", "roots", "account"})
MAX_QUEUE = 2_000
DEFAULT_API_VERSION = "v21.0"


def common_fields(*, account: str, account_help: str) -> dict[str, ConfigField]:
    """The settings every Graph source has; ``account`` names its id field."""
    return {
        account: ConfigField(str, required=True, check=id_problem, help=account_help),
        "access_token": ConfigField(str, required=True, secret=True,
                                    help="A long-lived access token with the permissions the README lists."),
        "app_secret": ConfigField(str, secret=True,
                                  help="The Meta app's secret: checks webhook signatures and signs every call "
                                       "(appsecret_proof)."),
        "verify_token": ConfigField(str, secret=True,
                                    help="Any phrase of your choosing, entered again as the webhook's verify token "
                                         "in the Meta app."),
        "api_version": ConfigField(str, default=DEFAULT_API_VERSION, check=version_problem,
                                   help="The Graph API version to call."),
        "max_roots": ConfigField(int, default=25, min_value=1, max_value=500,
                                 help="How many of the newest posts each sweep reads the comments of."),
        "page_size": ConfigField(int, default=50, min_value=1, max_value=100, help="Items asked for per request."),
        "max_requests": ConfigField(int, default=20, min_value=1, max_value=200,
                                    help="At most this many requests per poll; a longer sweep goes on at the next."),
    }


class GraphSweepAdapter(SourceAdapter):
    """Subclasses name the root edge and say how to ask for an edge and read its items."""

    account_field: ClassVar[str] = ""
    edges: ClassVar[frozenset[str]] = frozenset()
    root_edge: ClassVar[str] = ""
    # Whether the adapter can post a reply through the platform (Dengar's "answer" button).
    can_reply: ClassVar[bool] = True

    def __init__(self, config: Mapping[str, Any], *, transport: Transport | None = None,
                 clock: Clock | None = None) -> None:
        super().__init__(config)
        self.account_id: str = self.config[self.account_field]
        self.graph = Graph(version=self.config["api_version"], access_token=self.config["access_token"],
                           app_secret=self.config.get("app_secret") or "", transport=transport, clock=clock)

    # --- What subclasses say -------------------------------------------------------------------
    def request(self, frame: Frame) -> tuple[str, dict[str, str]]:
        raise NotImplementedError

    def read(self, frame: Frame, items: list[Any]) -> tuple[list[RawMention], list[Frame]]:
        raise NotImplementedError

    # --- The walk --------------------------------------------------------------------------------
    def fetch(self, *, cursor: Any) -> FetchResult:
        queue, roots = self._read_cursor(cursor)
        if not queue:
            queue, roots = [{"edge": self.root_edge, "id": self.account_id}], 0
        mentions: list[RawMention] = []
        for _ in range(self.config["max_requests"]):
            if not queue:
                break
            frame = queue.pop()
            path, params = self.request(frame)
            body = self.graph.get(path, {**params, **(frame.get("after") or {})})
            data = body.get("data")
            if not isinstance(data, list):
                raise TransientAdapterError(f"Graph API GET /{path}: the answer has no list of data")
            items, children = self.read(frame, data)
            mentions.extend(items)
            following = next_page(body)
            if frame["edge"] == self.root_edge:
                roots += len(data)
                if roots >= self.config["max_roots"]:
                    following = None
            if following:
                queue.append({**frame, "after": following})
            # The items' own edges first, then this edge's next page: the stack stays shallow.
            queue.extend(reversed(children))
            if len(queue) > MAX_QUEUE:
                raise PermanentAdapterError(f"more than {MAX_QUEUE} edges left to read; lower max_roots")
        return FetchResult(mentions=tuple(mentions), next_cursor={"queue": queue, "roots": roots,
                                                                  "account": self.account_id},
                           has_more=bool(queue))

    def _read_cursor(self, cursor: Any) -> tuple[list[Frame], int]:
        if cursor is None or cursor == {}:
            return [], 0
        if isinstance(cursor, Mapping) and set(cursor) <= CURSOR_KEYS:
            if cursor.get("account", self.account_id) != self.account_id:
                return [], 0  # the source now reads another account: its sweep starts afresh
            queue, roots = cursor.get("queue", []), cursor.get("roots", 0)
            if isinstance(queue, list) and isinstance(roots, int) and all(self._frame_ok(f) for f in queue):
                return [dict(f) for f in queue], roots
        raise PermanentAdapterError(f"unreadable cursor {str(cursor)[:200]}: expected {{'queue': [...], 'roots': n}}")

    def _frame_ok(self, frame: Any) -> bool:
        if not (isinstance(frame, Mapping) and frame.get("edge") in self.edges and safe_id(frame.get("id"))):
            return False
        after = frame.get("after")
        return after is None or (isinstance(after, Mapping) and all(
            isinstance(k, str) and isinstance(v, str) for k, v in after.items()))

    # --- Replies ---------------------------------------------------------------------------------
    def reply(self, *, to_external_id: str, thread_external_id: str, text: str) -> str:
        """Post ``text`` as the account's reply to a mention; return the reply's id."""
        raise NotImplementedError

    def posted_id(self, body: Mapping[str, Any], what: str) -> str:
        new_id = body.get("id")
        if not isinstance(new_id, str) or not new_id:
            raise TransientAdapterError(f"{what}: Meta answered without the new reply's id")
        return new_id


def dicts(value: Any) -> list[Any]:
    """The ``data`` list of an embedded edge (``{"data": [...], "paging": ...}``), or []."""
    if isinstance(value, Mapping) and isinstance(value.get("data"), list):
        return list(value["data"])
    return []


def listed(value: Any) -> list[Any]:
    """A list a webhook delivery carries (its ``entry`` or an entry's ``changes``), or [] when the
    delivery holds anything else there: a malformed delivery is skipped, never a 500."""
    return list(value) if isinstance(value, list) else []


def author(item: Mapping[str, Any]) -> tuple[str, str]:
    """(id, name) of an item's ``from``: an Instagram username or a Facebook name."""
    sender = item.get("from")
    if not isinstance(sender, Mapping):
        return "", str(item.get("username") or "")
    return str(sender.get("id") or ""), str(sender.get("username") or sender.get("name") or item.get("username") or "")


def unreadable(platform: str) -> RawMention:
    """What an item that is not even an object becomes: validation refuses it, with its reason,
    and counts it on the source's health."""
    return RawMention(external_id="", text="", published_at=None, platform=platform)


"""Which adapter serves which ``Source.kind``.

Built-in kinds are listed here by dotted path and imported on first use; installed packages add
kinds through the ``dengar.adapters`` entry-point group, e.g. in their pyproject::

    [project.entry-points."dengar.adapters"]
    myfeed = "mypackage.adapter:MyFeedAdapter"
"""

from __future__ import annotations

import logging
from functools import cache
from importlib import import_module
from importlib.metadata import entry_points
from typing import Any

from workers.adapters.base import ConfigError, SourceAdapter

logger = logging.getLogger("dengar.adapters")

ENTRY_POINT_GROUP = "dengar.adapters"

BUILTIN_ADAPTERS: dict[str, str] = {
    "mock": "workers.adapters.mock.adapter.MockAdapter",
    "import": "workers.adapters.imported.adapter.ImportAdapter",
    "rss": "workers.adapters.rss.deployed.DeployedRssAdapter",
    "instagram": "workers.adapters.instagram.adapter.InstagramAdapter",
    "facebook": "workers.adapters.facebook.adapter.FacebookPageAdapter",
    "youtube": "workers.adapters.youtube.adapter.YoutubeAdapter",
    "google_play": "workers.adapters.googleplay.adapter.GooglePlayAdapter",
    "app_store": "workers.adapters.appstore.adapter.AppStoreAdapter",
    "x": "workers.adapters.x.adapter.XAdapter",
}


# Kinds offered only where the deployment says so (settings.DENGAR["ENABLE_<KIND>_ADAPTER"]):
# the mock adapter makes up mentions, at volumes a tenant could use to load the shared workers.
RESTRICTED = {"mock": "ENABLE_MOCK_ADAPTER"}


class UnknownAdapter(LookupError):
    pass


def _offered(kind: str) -> bool:
    switch = RESTRICTED.get(kind)
    if switch is None:
        return True
    from django.conf import settings  # the registry is pure Python but for this switch

    return bool(settings.DENGAR.get(switch, False))


def _import(path: str) -> type[SourceAdapter]:
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)


@cache
def _installed() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in BUILTIN_ADAPTERS:
            logger.warning("ignoring entry point %s: kind %r is built in", ep.value, ep.name)
            continue
        found[ep.name] = ep
    return found


def refresh() -> None:
    """Forget what was discovered, so packages installed since are seen."""
    _installed.cache_clear()
    _adapter_class.cache_clear()


def kinds() -> list[str]:
    return sorted(kind for kind in {*BUILTIN_ADAPTERS, *_installed()} if _offered(kind))


def adapter_class(kind: str) -> type[SourceAdapter]:
    if not _offered(kind):
        raise UnknownAdapter(kind)
    return _adapter_class(kind)


@cache
def _adapter_class(kind: str) -> type[SourceAdapter]:
    if kind in BUILTIN_ADAPTERS:
        return _import(BUILTIN_ADAPTERS[kind])
    ep = _installed().get(kind)
    if ep is None:
        raise UnknownAdapter(kind)
    cls = ep.load()
    if not (isinstance(cls, type) and issubclass(cls, SourceAdapter)):
        raise UnknownAdapter(f"{kind}: {ep.value} is not a SourceAdapter")
    return cls


def build(kind: str, config: Any) -> SourceAdapter:
    return adapter_class(kind)(config)


def validate_config(kind: str, config: Any) -> dict[str, Any]:
    """The config with defaults, or ConfigError with field-level messages."""
    try:
        cls = adapter_class(kind)
    except UnknownAdapter:
        raise ConfigError({"kind": [f"Unknown source kind. Known kinds: {', '.join(kinds())}."]}) from None
    return cls.config_schema.validate(config)

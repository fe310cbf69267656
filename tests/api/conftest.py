"""API test helpers: a source kind of our own, so these tests do not depend on any real adapter."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from workers.adapters import registry
from workers.adapters.base import ConfigField, ConfigSchema, FetchResult, SourceAdapter


class FakeFeedAdapter(SourceAdapter):
    kind = "fakefeed"
    label = "Fake feed (tests)"
    platform = "fake"
    config_schema = ConfigSchema(
        fields={
            "scenario": ConfigField(str, choices=["steady", "outage"], default="steady"),
            "seed": ConfigField(int, default=1, min_value=0),
            "api_key": ConfigField(str, secret=True),
        }
    )

    def fetch(self, *, cursor: Any) -> FetchResult:
        return FetchResult(mentions=[], next_cursor=cursor)


@pytest.fixture(autouse=True)
def fake_adapter(monkeypatch: pytest.MonkeyPatch) -> Iterator[type[FakeFeedAdapter]]:
    monkeypatch.setitem(
        registry.BUILTIN_ADAPTERS, "fakefeed", f"{__name__}.{FakeFeedAdapter.__name__}"
    )
    registry.refresh()
    yield FakeFeedAdapter
    registry.refresh()





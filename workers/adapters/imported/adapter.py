"""A source filled by an import command (``manage.py import_twcs``), never by polling.

It exists so that an imported source has a known kind: the sources API can read and edit it,
and a poll (someone resuming it) pauses it again with a reason instead of "unknown kind".
"""

from __future__ import annotations

from typing import Any

from workers.adapters.base import (
    ConfigField,
    ConfigSchema,
    FetchResult,
    PermanentAdapterError,
    SourceAdapter,
)


class ImportAdapter(SourceAdapter):
    kind = "import"
    label = "Imported file (filled by an import command, not polled)"
    platform = ""
    config_schema = ConfigSchema({
        "file": ConfigField(str, help="The name of the file the mentions were imported from."),
        "platform": ConfigField(str, help="The platform the imported mentions come from."),
    })

    def fetch(self, *, cursor: Any) -> FetchResult:
        raise PermanentAdapterError("import sources are filled by an import command, not polled")

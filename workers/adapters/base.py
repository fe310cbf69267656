"""The contract every source adapter keeps.

An adapter is a pure class: it is given its validated config, and ``fetch(cursor=...)`` returns
the raw mentions after that cursor and the cursor to store once they are saved. It never touches
the ORM or Django settings, so it can be tested, and shipped by a third party, on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True)
class RawMention:
    """One item as the source gave it. Fields are not trusted: the pipeline validates them."""

    external_id: Any
    text: Any
    published_at: Any  # a datetime, or an ISO 8601 string
    author_handle: Any = ""
    url: Any = ""
    platform: Any = ""
    parent_external_id: Any = ""
    thread_external_id: Any = ""
    # What the source itself says: the item was written by the brand's own account (a Page's or
    # an Instagram account's reply), so it answers its parent whatever handle it shows.
    is_brand_reply: Any = False
    # The source says the item is gone: only ``external_id`` counts, the stored mention is
    # marked deleted (never kept as live).
    deleted: Any = False


@dataclass(frozen=True, slots=True)
class FetchResult:
    mentions: Sequence[RawMention]
    # Stored with the mentions, in the same transaction. A cursor that is a JSON object may say,
    # under "health", what the adapter noticed about the source when it last read it (counts of
    # "items", "undated", "zoneless", "unreadable_dates", "without_id"; "lenient": why the document
    # was not well-formed): the source's health shows it in words (selectors.sources).
    next_cursor: Any
    # True when the source holds more right now than one fetch returns: poll again at once.
    has_more: bool = False


class AdapterError(Exception):
    """Base for what an adapter may raise."""


class PermanentAdapterError(AdapterError):
    """Retrying will not help (bad credentials, a feed that no longer exists)."""


class TransientAdapterError(AdapterError):
    """Try again later; ``retry_after`` is the source's own hint in seconds, if it gave one."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ConfigError(ValueError):
    """An invalid config: ``errors`` maps each field to its messages."""

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in errors.items()))
        self.errors = {k: list(v) for k, v in errors.items()}


@dataclass(frozen=True, slots=True)
class ConfigField:
    """One config key: its type, whether it is required, its default and allowed values."""

    type: type
    required: bool = False
    default: Any = None
    choices: Sequence[Any] | None = None
    min_value: float | None = None
    max_value: float | None = None
    help: str = ""
    secret: bool = False
    # What a type and a range cannot say ("an ISO date-time", "a public URL"): given a value that
    # passed the other checks, return the problem with it, or None.
    check: Callable[[Any], str | None] | None = None

    def typed(self, value: Any) -> tuple[bool, Any]:
        """Whether ``value`` has this field's type (a bool is no number; an int is a float), and
        the value as stored."""
        if self.type is float and isinstance(value, int) and not isinstance(value, bool):
            return True, float(value)
        ok_type = isinstance(value, self.type) and not (self.type in (int, float) and isinstance(value, bool))
        return ok_type, value

    def problems(self, value: Any) -> list[str]:
        """What is wrong with a value of the right type; ``check`` runs only if nothing else is."""
        found: list[str] = []
        if self.choices is not None and value not in self.choices:
            found.append(f"Must be one of: {', '.join(map(str, self.choices))}.")
        if self.min_value is not None and value < self.min_value:
            found.append(f"Must be at least {self.min_value}.")
        if self.max_value is not None and value > self.max_value:
            found.append(f"Must be at most {self.max_value}.")
        if isinstance(value, str) and self.required and not value.strip():
            found.append("This field may not be blank.")
        if self.check is not None and not found:
            problem = self.check(value)
            if problem:
                found.append(problem)
        return found


@dataclass(frozen=True)
class ConfigSchema:
    fields: Mapping[str, ConfigField] = field(default_factory=dict)

    def validate(self, config: Any) -> dict[str, Any]:
        """Return the config with defaults filled in, or raise ConfigError naming each field."""
        if not isinstance(config, Mapping):
            raise ConfigError({"config": ["Must be a JSON object."]})
        errors: dict[str, list[str]] = {
            key: ["Unknown setting for this source kind."] for key in config if key not in self.fields
        }
        clean: dict[str, Any] = {}
        for name, spec in self.fields.items():
            if name not in config or config[name] is None:
                if spec.required:
                    errors[name] = ["This field is required."]
                elif spec.default is not None:
                    clean[name] = spec.default
                continue
            ok_type, value = spec.typed(config[name])
            problems = spec.problems(value) if ok_type else [f"Must be of type {spec.type.__name__}."]
            if problems:
                errors[name] = problems
            if ok_type:
                clean[name] = value
        if errors:
            raise ConfigError(errors)
        return clean


class SourceAdapter:
    """Subclass, set ``kind`` and ``config_schema``, implement ``fetch``."""

    kind: ClassVar[str] = ""
    label: ClassVar[str] = ""
    platform: ClassVar[str] = ""
    config_schema: ClassVar[ConfigSchema] = ConfigSchema()

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = self.config_schema.validate(config)

    def fetch(self, *, cursor: Any) -> FetchResult:
        raise NotImplementedError

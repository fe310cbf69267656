"""Logs an operator can read and a machine can parse, with no secret in them.

``RedactSecrets`` is a filter on every handler (settings.LOGGING): it rewrites the message and the
formatted traceback of each record before any formatter sees them. ``JsonFormatter`` writes one
JSON object per line with the request or task the record belongs to (``log_context``).
This module is imported by the gunicorn master before Django is set up, so it reads no settings
at import time.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import os
import re
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

MASK = "********"

# What a record carries about the request or task it was written in: request_id, method, path,
# user_id, tenant; task_id, task_name. Set by RequestLogMiddleware and the Celery signals.
_context: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar("dengar_log_context", default=None)


def log_context() -> dict[str, Any]:
    return _context.get() or {}


@contextmanager
def bound_log_context(**values: Any) -> Iterator[dict[str, Any]]:
    """Add ``values`` to every record logged inside the block (the dict may be updated later)."""
    current = {**log_context(), **values}
    token = _context.set(current)
    try:
        yield current
    finally:
        _context.reset(token)


# --- Redaction ---------------------------------------------------------------------------------
# One masker for every text that may carry a credential: log records, error pages, and the last
# error a source's health shows its tenant.
_URL = re.compile(r"\b[a-z][a-z0-9+.\-]*://[^\s'\"<>]+", re.I)
# scheme://user:password@host, scheme://:password@host: for a URL that does not parse.
_URL_PASSWORD_ONLY = re.compile(r"(?P<k>\b[a-z][a-z0-9+.\-]*://[^\s:/@'\"]*:)(?P<v>[^\s@/'\"]+)(?=@)", re.I)
# Query parameters whose values are credentials, or look like them.
_SECRET_PARAM = re.compile(
    r"token|secret|passw|pwd|api[_\-]?key|apikey|^key$|auth|sig|signature|credential|session|code|access", re.I
)
_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # Authorization: Token abc / "HTTP_AUTHORIZATION": "Bearer abc" / Cookie: sessionid=…
    (
        re.compile(
            r"(?P<k>\b(?:HTTP_)?(?:proxy[_-])?(?:authorization|cookie)['\"]?\s*[:=]\s*['\"]?)"
            r"(?P<v>(?:(?:token|bearer|basic|digest)\s+)?[^\s'\",]+)",
            re.I,
        ),
        MASK,
    ),
    # token=…, api_key: …, "password": "…", client_secret=…, sessionid=…, csrftoken=…
    (
        re.compile(
            r"(?P<k>\b[\w\-]*(?:token|secret|passw(?:or)?d|api[_\-]?key|sessionid|signature)[\w\-]*"
            r"['\"]?\s*[=:]\s*['\"]?)(?P<v>[^\s&'\",;}]+)",
            re.I,
        ),
        MASK,
    ),
    # A Dengar API token on its own (dgr_<prefix>_<secret>): the prefix stays, to tell which.
    (re.compile(r"(?P<k>\bdgr_[a-z0-9]+_)(?P<v>[A-Za-z0-9_\-]{16,})"), MASK),
    # A Meta (Graph API) access token on its own: they begin EAA.
    (re.compile(r"(?P<k>\bEAA)(?P<v>[A-Za-z0-9]{20,})"), MASK),
]

# Environment variables whose values are secrets wherever they appear, not only after a key name.
_SECRET_ENV = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_KEY|PRIVATE_KEY|CREDENTIAL", re.I)
_URL_ENV = re.compile(r"(?:URL|DSN)$", re.I)
_URL_PASSWORD = re.compile(r"://[^\s:/@]*:([^\s@/]+)@")


# Shorter values are not masked wherever they appear: a weak password such as "dengar" would
# mask every mention of the word. (The patterns still mask them in URLs and after their names.)
_MIN_LITERAL = 8


# The last answer of _known_secret_values and what it was computed from: the environment and the
# secret key rarely change, and the filter asks on every record.
_known_secrets_memo: tuple[tuple[tuple[str, str], ...], str | None, list[str]] | None = None


def _secret_key() -> str | None:
    try:
        from django.conf import settings

        return settings.SECRET_KEY if settings.configured else None
    except Exception:  # settings that do not load leave nothing more to hide
        return None


def _known_secret_values() -> list[str]:
    global _known_secrets_memo
    environ, secret_key = tuple(os.environ.items()), _secret_key()
    memo = _known_secrets_memo
    if memo is not None and memo[0] == environ and memo[1] == secret_key:
        return memo[2]
    values: set[str] = set()
    for name, value in environ:
        if _SECRET_ENV.search(name) and len(value) >= _MIN_LITERAL:
            values.add(value)
            # A list of secrets (DENGAR_CREDENTIAL_KEYS=new,old): each one alone, too.
            values.update(part.strip() for part in value.split(",") if len(part.strip()) >= _MIN_LITERAL)
        elif _URL_ENV.search(name):
            values.update(m for m in _URL_PASSWORD.findall(value) if len(m) >= _MIN_LITERAL)
    if isinstance(secret_key, str) and len(secret_key) >= _MIN_LITERAL:
        values.add(secret_key)
    known = sorted(values, key=len, reverse=True)
    _known_secrets_memo = (environ, secret_key, known)
    return known


def _looks_random(value: str) -> bool:
    return len(value) >= 16 and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


def _redact_url(url: str, *, userinfo: bool) -> str:
    """``url`` with its password (or, with ``userinfo``, its whole user part) and its credential
    query values masked; an URL with nothing to mask comes back as it was."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return _URL_PASSWORD_ONLY.sub(lambda m: m.group("k") + MASK, url)
    netloc, changed = parts.netloc, False
    if "@" in netloc:
        user, _, host = netloc.rpartition("@")
        name, colon, _password = user.partition(":")
        if userinfo or colon:
            netloc = f"{MASK}@{host}" if userinfo else f"{name}:{MASK}@{host}"
            changed = True
    pairs = [pair.partition("=") for pair in parts.query.split("&") if pair]
    masked = [
        (name, sep, MASK if sep and (_SECRET_PARAM.search(name) or _looks_random(urllib.parse.unquote(value)))
         else value)
        for name, sep, value in pairs
    ]
    if masked != pairs:
        changed = True
    if not changed:
        return url
    query = "&".join(f"{name}{sep}{value}" for name, sep, value in masked)
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact(text: str, secrets: list[str] | None = None, *, userinfo: bool = False) -> str:
    """``text`` with passwords in URLs, credential query values (by their name, or because they
    look random), credentials after their names and known secret values (DJANGO_SECRET_KEY's,
    DATABASE_URL's password…) replaced by a mask. ``userinfo`` masks a URL's user name too, for
    text shown to a tenant rather than to an operator."""
    for value in _known_secret_values() if secrets is None else secrets:
        if value in text:
            text = text.replace(value, MASK)
    text = _URL.sub(lambda m: _redact_url(m.group(0), userinfo=userinfo), text)
    for pattern, mask in _PATTERNS:
        text = pattern.sub(_key_then(mask), text)
    return text


def _key_then(mask: str) -> Callable[[re.Match[str]], str]:
    """A replacement that keeps the match's ``k`` group (the credential's name) and masks the rest."""
    return lambda m: m.group("k") + mask


class RedactSecrets(logging.Filter):
    """Rewrite a record's message, traceback and stack so that no handler writes a secret."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_dengar_redacted", False):
            return True
        secrets = _known_secret_values()
        try:
            message = record.getMessage()
        except Exception:  # a bad format string still gets logged, redacted
            message = f"{record.msg!r} {record.args!r}"
        record.msg, record.args = redact(message, secrets), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, secrets)
        record._dengar_redacted = True
        return True


# --- Formats -----------------------------------------------------------------------------------
# Attributes of a record that the JSON line carries when a caller passes them in ``extra``.
EXTRA_FIELDS = (
    "request_id", "method", "path", "status", "duration_ms", "user_id", "tenant", "remote_addr",
    "task_id", "task_name", "outcome", "check",
)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request or task context and
    the traceback (already redacted by RedactSecrets)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update({k: v for k, v in log_context().items() if v is not None})
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, default=str, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """The development format: readable, with the request id when there is one."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        request_id = getattr(record, "request_id", None) or log_context().get("request_id")
        return f"{text} [{request_id}]" if request_id else text


def logging_config(*, fmt: str, level: str = "INFO") -> dict[str, Any]:
    """The LOGGING dict of settings.py (and of gunicorn's own loggers): every record goes to one
    console handler that redacts secrets, in JSON lines or in plain text."""
    if fmt not in {"json", "plain"}:
        raise ValueError(f"DENGAR_LOG_FORMAT must be json or plain, not {fmt!r}")
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact_secrets": {"()": "listening.serving.logs.RedactSecrets"}},
        "formatters": {
            "json": {"()": "listening.serving.logs.JsonFormatter"},
            "plain": {"()": "listening.serving.logs.PlainFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": fmt,
                "filters": ["redact_secrets"],
            },
        },
        "root": {"handlers": ["console"], "level": "INFO"},
        "loggers": {
            # Django's defaults add a DEBUG-only console and e-mails to ADMINS with the full debug
            # page; here its records go to the root handler like every other.
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            "django.server": {"handlers": [], "level": "INFO", "propagate": True},
            "dengar": {"handlers": [], "level": level, "propagate": True},
            "gunicorn.error": {"handlers": [], "level": "INFO", "propagate": True},
        },
    }

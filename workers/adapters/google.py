"""What Google's APIs (YouTube Data API v3, Android Publisher v3) share: their error answers,
and a service account's access token (a JWT signed with its key, exchanged at Google's token
endpoint: the OAuth 2.0 JWT bearer grant, RFC 7523)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from workers.adapters.apicall import Answer, ApiClient, CredentialsRejected, text
from workers.adapters.base import AdapterError, PermanentAdapterError, TransientAdapterError
from workers.adapters.signing import KeyProblem, rs256

TOKEN_URI = "https://oauth2.googleapis.com/token"  # noqa: S105 - an address
JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
RATE_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded", "RATE_LIMIT_EXCEEDED"})
# A daily quota is given back at midnight, Pacific time.
QUOTA_REASONS = frozenset({"quotaExceeded", "dailyLimitExceeded"})
DEFAULT_RATE_WAIT = 60.0
PACIFIC = ZoneInfo("America/Los_Angeles")


def error_reasons(body: Any) -> tuple[set[str], str]:
    """The ``errors[].reason`` values (and the ``details[].reason``) and the message of a
    Google API error answer."""
    error = body.get("error") if isinstance(body, Mapping) else None
    if not isinstance(error, Mapping):
        return set(), ""
    reasons = {str(e.get("reason")) for e in error.get("errors") or [] if isinstance(e, Mapping) and e.get("reason")}
    reasons |= {str(d.get("reason")) for d in error.get("details") or [] if isinstance(d, Mapping) and d.get("reason")}
    if isinstance(error.get("status"), str):
        reasons.add(error["status"])
    return reasons, text(error.get("message"))


def seconds_to_pacific_midnight(now: datetime) -> float:
    local = now.astimezone(PACIFIC)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), tzinfo=PACIFIC)
    return max(60.0, (midnight - local).total_seconds())


def google_error(client: ApiClient, answer: Answer, *, where: str, reconnect: str) -> AdapterError:
    """What a Google API's refusal means for the source."""
    reasons, message = error_reasons(answer.body)
    said = f"{where}: {message or f'HTTP {answer.status} {answer.reason}'.strip()}"
    if reasons & QUOTA_REASONS:
        wait = seconds_to_pacific_midnight(client.clock())
        return TransientAdapterError(f"{said}: the daily quota is spent, waiting until it is renewed "
                                     f"(midnight Pacific time, {wait:.0f} s)", retry_after=wait)
    if answer.status == 429 or reasons & RATE_REASONS:
        wait = client.retry_after(answer) or DEFAULT_RATE_WAIT
        return TransientAdapterError(f"{said}: Google's rate limit, waiting {wait:g} s", retry_after=wait)
    if answer.status == 401:
        return CredentialsRejected(f"{said}: Google no longer accepts this source's credentials (expired or "
                                   f"revoked). {reconnect}")
    if answer.status >= 500:
        return TransientAdapterError(said, retry_after=client.retry_after(answer))
    if answer.status == 403:
        return PermanentAdapterError(f"{said}: the credentials lack a permission this source needs")
    if answer.status == 404:
        return PermanentAdapterError(f"{said}: not found, or these credentials cannot see it")
    if answer.ok:
        return TransientAdapterError(f"{where}: the answer is not the JSON object expected")
    return PermanentAdapterError(said)


def service_account_problem(value: str) -> str | None:
    """Why a pasted service-account key (the JSON file Google Cloud gives) cannot be used."""
    try:
        info = json.loads(value)
    except ValueError:
        return "Must be the service account's JSON key file, pasted whole."
    if not isinstance(info, Mapping) or info.get("type") != "service_account":
        return "Must be a service account's JSON key (its \"type\" is \"service_account\")."
    if not all(isinstance(info.get(k), str) and info.get(k) for k in ("client_email", "private_key")):
        return "The JSON key has no client_email or private_key."
    return None


def service_account_token(client: ApiClient, *, key_json: str, scope: str, reconnect: str) -> str:
    """An access token for the service account, from Google's token endpoint (never the one a
    pasted file names: a key file decides whose key it is, not where Dengar sends it)."""
    info = json.loads(key_json)
    now = client.clock()
    claims = {"iss": info["client_email"], "scope": scope, "aud": TOKEN_URI,
              "iat": int(now.timestamp()), "exp": int(now.timestamp()) + 3600}
    try:
        assertion = rs256(info["private_key"], claims=claims, key_id=str(info.get("private_key_id") or ""))
    except KeyProblem as exc:
        raise PermanentAdapterError(f"the service account's key cannot sign: {exc}. {reconnect}") from None
    where = "Google token endpoint"
    answer = client.call("POST", TOKEN_URI, form={"grant_type": JWT_BEARER, "assertion": assertion}, where=where)
    body = answer.body if isinstance(answer.body, Mapping) else {}
    token = body.get("access_token")
    if answer.ok and isinstance(token, str) and token:
        return token
    if answer.status in (400, 401) and body.get("error") in ("invalid_grant", "invalid_client", "unauthorized_client"):
        _refused(where, body, reconnect)
    if answer.status == 429 or answer.status >= 500:
        raise TransientAdapterError(f"{where}: HTTP {answer.status}", retry_after=client.retry_after(answer))
    said = text(body.get("error_description") or body.get("error"))
    raise PermanentAdapterError(f"{where}: HTTP {answer.status} {said}")


def _refused(where: str, body: Mapping[str, Any], reconnect: str) -> NoReturn:
    said = text(body.get("error_description") or body.get("error"))
    raise CredentialsRejected(f"{where}: Google refused the service account's key ({said}): it was deleted, "
                              f"disabled or has no access. {reconnect}")


def google_time(value: Any) -> Any:
    """An RFC 3339 time as a datetime, or the value itself for validation to refuse."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
    return value


def epoch_time(value: Any) -> Any:
    """Android Publisher's ``{"seconds": "1453978803", "nanos": 796000000}``."""
    if isinstance(value, Mapping):
        try:
            return datetime.fromtimestamp(int(value.get("seconds")), tz=UTC)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError, OSError):
            return None
    return None

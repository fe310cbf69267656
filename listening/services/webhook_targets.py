"""Where an alert webhook may go.

Unless DENGAR["WEBHOOK_ALLOW_PRIVATE"], a webhook may reach only public addresses: an admin of
one tenant must not make Dengar's servers call its internal services or a cloud metadata
endpoint. The API refuses targets that are such an address literally; delivery resolves the
host, refuses it if ANY address is not public, and then connects to the addresses it vetted,
never resolving the name a second time (so a name that answers a public address to the check
and a private one to the connection, "DNS rebinding", gets nowhere).
"""

from __future__ import annotations

import logging
import urllib.parse
import urllib.request

from django.conf import settings

from workers.adapters.netguard import (
    ForbiddenAddress,
    NoRedirects,
    PinnedHTTPHandler,
    PinnedHTTPSHandler,
    address_forbidden,
    literal_address,
    public_addresses,
)

logger = logging.getLogger("dengar.alerts")


class WebhookTargetRefused(ValueError):
    """The webhook's host is, or resolves to, an address webhooks may not reach."""


def webhooks_may_reach_private() -> bool:
    return bool(settings.DENGAR.get("WEBHOOK_ALLOW_PRIVATE", False))


def webhook_host_refusal(host: str) -> str | None:
    """Why a webhook may not target ``host`` as written (a literal address or localhost), if so.
    A name is judged at delivery, once resolved."""
    if webhooks_may_reach_private():
        return None
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return f"{host} is this server: webhooks may only reach public addresses."
    ip = literal_address(name)
    if ip is not None and address_forbidden(ip):
        return f"{ip} is not a public address: webhooks may only reach public addresses."
    return None


def webhook_addresses(host: str, port: int) -> list[str]:
    """The vetted addresses of ``host``; WebhookTargetRefused if any is not public."""
    try:
        return public_addresses(host, port)
    except ForbiddenAddress as exc:
        logger.warning("webhook refused: %s resolves to %s, not a public address", exc.host, exc.ip)
        raise WebhookTargetRefused(
            f"{exc}; webhooks may only reach public addresses "
            "(DENGAR_WEBHOOK_ALLOW_PRIVATE=1 allows private ones)") from None


def webhook_opener(url: urllib.parse.SplitResult, *, deadline: float | None = None
                   ) -> urllib.request.OpenerDirector:
    """The opener to POST to ``url`` with; never follows redirects, and its connections give up
    at ``deadline`` (a ``time.monotonic()`` instant; see workers.adapters.netguard), so that a
    receiver trickling its answer cannot hold a worker.

    Unless private addresses are allowed, the host is resolved now (WebhookTargetRefused if any
    address is not public, OSError if it does not resolve) and the opener connects only to those
    addresses. Environment proxies are then not used: a proxy would resolve the name again, and
    the check would mean nothing."""
    if webhooks_may_reach_private():
        return urllib.request.build_opener(
            NoRedirects, PinnedHTTPHandler(None, deadline=deadline), PinnedHTTPSHandler(None, deadline=deadline))
    host = url.hostname or ""
    port = url.port or (443 if url.scheme == "https" else 80)
    addresses = webhook_addresses(host, port)
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), NoRedirects,
        PinnedHTTPHandler(addresses, deadline=deadline), PinnedHTTPSHandler(addresses, deadline=deadline),
    )

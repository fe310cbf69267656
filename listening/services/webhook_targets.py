"""Where an alert webhook may go.

Unless DENGAR["WEBHOOK_ALLOW_PRIVATE"], a webhook may reach only public addresses: an admin of
one tenant must not make Dengar's servers call its internal services or a cloud metadata
endpoint. The API refuses targets that are such an address literally; delivery (through
``workers.adapters.httpclient``) resolves the host, refuses it if ANY address is not public, and
then connects to the addresses it vetted, never resolving the name a second time (so a name that
answers a public address to the check and a private one to the connection, "DNS rebinding", gets
nowhere).
"""

from __future__ import annotations

from django.conf import settings

from workers.adapters.netguard import address_forbidden, literal_address


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

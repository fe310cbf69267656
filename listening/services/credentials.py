"""Sources' secrets, encrypted at rest.

A source keeps its adapter's secret settings (those its config schema marks ``secret``) apart
from its config, in ``Source.secrets``: the setting's name, and its value as a Fernet token under
the deployment's keys (settings.DENGAR["CREDENTIAL_KEYS"], from DENGAR_CREDENTIAL_KEYS). The
first key encrypts, every key decrypts (MultiFernet), so keys are rotated by putting a new one
first, running ``manage.py rotate_credential_keys``, then dropping the old one. The names may be
shown (a masked value says a secret is set); the values are only ever handed to the adapter.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from listening.models import Source
from workers.adapters import registry


class CredentialError(Exception):
    """Secrets cannot be stored or read on this deployment; the message says why, in words a
    tenant's admin can pass on to the operator (never a key nor a value)."""


def _fernet() -> MultiFernet:
    keys = cast(list[str], settings.DENGAR.get("CREDENTIAL_KEYS") or [])
    if not keys:
        raise CredentialError(_(
            "This Dengar has no credential key (DENGAR_CREDENTIAL_KEYS), so it cannot keep a "
            "source's tokens: ask its operator to set one."))
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError):
        raise CredentialError(_(
            "A credential key in DENGAR_CREDENTIAL_KEYS is not a Fernet key (32 bytes, url-safe "
            "base64): ask the operator to correct it.")) from None


def secret_names(kind: str) -> set[str]:
    """The settings of ``kind`` that are secret; for an unknown kind, none can be told apart."""
    try:
        fields = registry.adapter_class(kind).config_schema.fields
    except registry.UnknownAdapter:
        return set()
    return {name for name, spec in fields.items() if spec.secret}


def secrets_split(*, kind: str, config: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A validated config as (what is stored in the clear, the secrets encrypted). An empty
    secret is no secret: it is left out."""
    names = secret_names(kind)
    public = {k: v for k, v in config.items() if k not in names}
    plain = {k: v for k, v in config.items() if k in names and v not in (None, "")}
    if not plain:
        return public, {}
    fernet = _fernet()
    return public, {k: fernet.encrypt(str(v).encode()).decode() for k, v in plain.items()}


def secrets_read(*, source: Source) -> dict[str, str]:
    """The source's secrets in the clear: for its adapter only."""
    if not source.secrets:
        return {}
    fernet = _fernet()
    try:
        return {k: fernet.decrypt(v.encode()).decode() for k, v in source.secrets.items()}
    except (InvalidToken, AttributeError):
        raise CredentialError(_(
            "This source's credentials were encrypted with a key this Dengar no longer has: "
            "enter them again.")) from None


def source_adapter_config(*, source: Source) -> dict[str, Any]:
    """What the source's adapter is built with: its config and its secrets."""
    return {**source.config, **secrets_read(source=source)}


def credential_keys_rotate() -> int:
    """Re-encrypt every source's secrets under the first key, across tenants on purpose (the
    operator's key rotation), and encrypt any secret setting still kept in the clear in a config
    (a source saved before secrets were encrypted); return how many sources changed. Each source
    is rewritten under a row lock, so a change made meanwhile is not overwritten."""
    fernet = _fernet()
    changed = 0
    for pk in list(Source.all_tenants.order_by("pk").values_list("pk", flat=True)):
        with transaction.atomic():
            source = Source.all_tenants.select_for_update().only("pk", "kind", "config", "secrets").get(pk=pk)
            names = secret_names(source.kind)
            config = source.config if isinstance(source.config, dict) else {}
            plain = {k: v for k, v in config.items() if k in names}
            if not source.secrets and not plain:
                continue
            try:
                rotated = {k: fernet.rotate(v.encode()).decode() for k, v in source.secrets.items()}
            except InvalidToken:
                raise CredentialError(
                    f"source {pk}: its secrets were encrypted with none of the keys in "
                    "DENGAR_CREDENTIAL_KEYS; nothing after it was re-encrypted") from None
            rotated.update({k: fernet.encrypt(str(v).encode()).decode() for k, v in plain.items()
                            if v not in (None, "")})
            Source.all_tenants.filter(pk=pk).update(
                secrets=rotated, config={k: v for k, v in config.items() if k not in names})
            changed += 1
    return changed

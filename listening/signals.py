"""Receivers that keep credentials honest: a user's API tokens die with their password.

Connected in ListeningConfig.ready. The token check at authentication also compares a
fingerprint of the password, so a password changed without ``save()`` (a queryset update)
still kills the tokens; this receiver makes them show as revoked too.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models.signals import post_save, pre_save

from listening.login_lockout import register as register_login_lockout
from listening.services.tokens import api_tokens_revoke_for_user

_CHANGED = "_dengar_credentials_changed"


def _remember_credential_change(sender: Any, instance: Any, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.pk is None or (update_fields is not None and not {"password", "is_active"} & set(update_fields)):
        return
    before = sender._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    changed = before["password"] != instance.password or (before["is_active"] and not instance.is_active)
    setattr(instance, _CHANGED, changed)


def _revoke_tokens_after_credential_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    if getattr(instance, _CHANGED, False):
        setattr(instance, _CHANGED, False)
        api_tokens_revoke_for_user(user=instance)


def connect() -> None:
    user_model = get_user_model()
    pre_save.connect(_remember_credential_change, sender=user_model, dispatch_uid="dengar-token-cred-pre")
    post_save.connect(
        _revoke_tokens_after_credential_change, sender=user_model, dispatch_uid="dengar-token-cred-post"
    )
    register_login_lockout()

"""Re-encrypt every source's secrets under the first key of DENGAR_CREDENTIAL_KEYS.

    python manage.py rotate_credential_keys

It also encrypts any secret setting a source saved before secrets were encrypted still keeps in the
clear in its config. To rotate: put the new key first in DENGAR_CREDENTIAL_KEYS (the old one after it), restart,
run this, then drop the old key. Safe to run again: a secret already under the first key is
simply encrypted afresh.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from listening.services.credentials import CredentialError, credential_keys_rotate


class Command(BaseCommand):
    help = "Re-encrypt every source's secrets under the first key of DENGAR_CREDENTIAL_KEYS."

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            changed = credential_keys_rotate()
        except CredentialError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Encrypted the secrets of {changed} source(s) under the first key.")

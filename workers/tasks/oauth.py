"""OAuth tasks: thin; the work is in listening.services.oauth."""

from __future__ import annotations

from celery import shared_task

from listening.services.oauth import oauth_tokens_refresh_due


@shared_task(name="workers.tasks.oauth.oauth_tokens_refresh", ignore_result=True)
def oauth_tokens_refresh() -> int:
    """Beat's tick: renew the access tokens of connected sources before they expire."""
    return oauth_tokens_refresh_due()

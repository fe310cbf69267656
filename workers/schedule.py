"""The one beat schedule."""

from __future__ import annotations

import os

POLL_TICK_SECONDS = float(os.environ.get("DENGAR_POLL_TICK_SECONDS", "10"))
ALERT_SWEEP_SECONDS = float(os.environ.get("DENGAR_ALERT_SWEEP_SECONDS", "300"))
# Well within listening.services.oauth.REFRESH_MARGIN (15 minutes before a token expires).
OAUTH_REFRESH_SECONDS = 300.0

BEAT_SCHEDULE = {
    "poll-due-sources": {
        "task": "workers.tasks.polling.sources_poll_due",
        "schedule": POLL_TICK_SECONDS,
        # A tick that waited longer than its own period is superseded by the next one.
        "options": {"expires": POLL_TICK_SECONDS},
    },
    "sweep-alerts": {
        "task": "workers.tasks.alerts.alerts_sweep",
        "schedule": ALERT_SWEEP_SECONDS,
        # Sweeps are idempotent; a late one is superseded by the next.
        "options": {"expires": ALERT_SWEEP_SECONDS},
    },
    "refresh-oauth-tokens": {
        "task": "workers.tasks.oauth.oauth_tokens_refresh",
        "schedule": OAUTH_REFRESH_SECONDS,
        "options": {"expires": OAUTH_REFRESH_SECONDS},
    },
}

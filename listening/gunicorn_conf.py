"""gunicorn's configuration: ``gunicorn -c python:listening.gunicorn_conf listening.wsgi``.

Why gunicorn with gthread workers: Dengar's views are synchronous Django that block on PostgreSQL
(and the ORM is sync), so an async server would only run them in threads anyway. Processes give
isolation and use every core; a few threads per process overlap the waits on the database and on
slow clients. Every setting comes from the environment, with production defaults.
"""

from __future__ import annotations

import os

from listening.serving.logs import logging_config


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT') or 8000}"
# Two processes per core is plenty for threads blocking on I/O; at least two, so one busy or
# recycled process never leaves the site without a server.
workers = _int("GUNICORN_WORKERS", max(2, min(2 * (os.cpu_count() or 1), 8)))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "gthread"
threads = _int("GUNICORN_THREADS", 4)
# A request that takes longer is cut (the worker is restarted) rather than holding a thread for ever.
# Longer than the web's database statement timeout (DENGAR_DB_STATEMENT_TIMEOUT_WEB_MS, 30 s), so a
# slow query ends first, as a logged error with its request id, before gunicorn has to kill anything.
timeout = _int("GUNICORN_TIMEOUT", 40)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle processes now and then (jittered, so not all at once): bounds any slow leak.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Bounds on what a client can send before Django sees it.
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Which peers may say, with X-Forwarded-Proto / X-Forwarded-For, that the client used HTTPS: the
# TLS proxy in front (gunicorn's own variable; "*" only when nothing else can reach the port).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1,::1"
proxy_allow_ips = forwarded_allow_ips
# The temporary heartbeat files in memory, not on a container's overlay disk.
_SHM = "/dev/shm"  # noqa: S108 - gunicorn's documented place for its per-worker heartbeat files
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR") or (_SHM if os.path.isdir(_SHM) else None)

# One log line per request is written by Dengar's RequestLogMiddleware (with request id, user and
# tenant), so gunicorn's own access log is off; its error log is in Dengar's format (JSON lines in
# production), redacted like every other record.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL") or "info"
_production = (os.environ.get("DENGAR_ENV") or "production") == "production"
logconfig_dict = logging_config(
    fmt=os.environ.get("DENGAR_LOG_FORMAT") or ("json" if _production else "plain"),
    level=os.environ.get("DENGAR_LOG_LEVEL") or "INFO",
)
# gunicorn's own handlers write the same format.
logconfig_dict["loggers"]["gunicorn.error"] = {"handlers": ["console"], "level": "INFO", "propagate": False}
# A logging config turns gunicorn's access log on whatever ``accesslog`` says: keep it silent.
logconfig_dict["loggers"]["gunicorn.access"] = {"handlers": [], "level": "CRITICAL", "propagate": False}
# No control socket (gunicorn 25+): nothing here uses it, and HOME may not be writable.
control_socket_disable = True

"""Serving Dengar in production: request ids and structured logs, secrets kept out of logs and
error pages, the Content-Security-Policy, health and readiness, the gunicorn configuration."""

"""gunicorn's configuration (listening/gunicorn_conf.py) is valid and takes its figures from the
environment; it is loaded the way the image loads it, in a fresh process."""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def printed_config(tmp_path: Path, **env: str) -> dict[str, str]:
    clean = {
        "PATH": os.environ["PATH"],
        "DENGAR_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        **env,
    }
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "--print-config",
         "--config", "python:listening.gunicorn_conf", "listening.wsgi:application"],
        env=clean, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return dict(re.findall(r"^(\w+)\s+= (.*)$", result.stdout, flags=re.MULTILINE))


def test_the_production_defaults_are_threaded_workers_with_timeouts_and_no_second_access_log(tmp_path):
    config = printed_config(tmp_path)
    assert config["worker_class"] == "gthread"
    assert int(config["workers"]) >= 2
    assert int(config["threads"]) >= 2
    assert 30 < int(config["timeout"]) <= 60  # outlasts the web's 30 s statement timeout
    assert int(config["max_requests"]) > 0
    assert int(config["max_requests_jitter"]) > 0
    assert config["accesslog"] == "None"  # RequestLogMiddleware writes the one line per request
    assert config["forwarded_allow_ips"] == "['127.0.0.1', '::1']"
    assert config["bind"] == "['0.0.0.0:8000']"


def test_workers_threads_timeout_and_the_trusted_proxy_come_from_the_environment(tmp_path):
    config = printed_config(
        tmp_path, GUNICORN_WORKERS="5", GUNICORN_THREADS="2", GUNICORN_TIMEOUT="45",
        FORWARDED_ALLOW_IPS="10.0.0.2", PORT="9000",
    )
    assert (config["workers"], config["threads"], config["timeout"]) == ("5", "2", "45")
    assert config["forwarded_allow_ips"] == "['10.0.0.2']"
    assert config["bind"] == "['0.0.0.0:9000']"


# --- The production server, for real --------------------------------------------------------------
class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - a local test server
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.e2e
def test_gunicorn_serves_production_https_only_with_hashed_static_files_and_json_logs(tmp_path):
    port = _free_port()
    env = {
        "PATH": os.environ["PATH"],
        "DENGAR_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_THREADS": "2",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    collect = subprocess.run(  # as the image build does
        [sys.executable, "manage.py", "collectstatic", "--noinput"], env=env, cwd=ROOT,
        capture_output=True, text=True, timeout=300,
    )
    assert collect.returncode == 0, collect.stderr
    log = (tmp_path / "gunicorn.log").open("w+")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "python:listening.gunicorn_conf", "listening.wsgi:application"],
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("gunicorn did not answer /healthz")

        # Plain HTTP is sent to HTTPS, except the probes.
        status, headers, _ = _get(f"{base}/login/")
        assert status == 301
        assert headers["Location"] == f"https://127.0.0.1:{port}/login/"
        # Not migrated: not ready, and it says which check failed.
        status, _, body = _get(f"{base}/readyz")
        assert status == 503
        assert json.loads(body)["checks"]["migrations"] == "failing"

        # Through the TLS proxy (gunicorn trusts X-Forwarded-Proto from 127.0.0.1).
        status, headers, body = _get(f"{base}/login/", {"X-Forwarded-Proto": "https"})
        assert status == 200
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")
        assert headers["Set-Cookie"].startswith("csrftoken=")
        assert "Secure" in headers["Set-Cookie"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        stylesheet = re.search(rb'href="(/static/dashboard/dashboard\.[0-9a-f]{12}\.css)"', body)
        assert stylesheet, "the page links the hashed stylesheet"
        status, headers, _ = _get(base + stylesheet.group(1).decode(), {"X-Forwarded-Proto": "https"})
        assert status == 200
        assert "immutable" in headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=30)
    log.seek(0)
    lines = [json.loads(line) for line in log.read().splitlines() if line.startswith("{")]
    requests = [line for line in lines if line["logger"] == "dengar.request"]
    assert any(r["path"] == "/login/" and r["status"] == 200 and r.get("request_id") for r in requests)
    assert any(line["logger"] == "gunicorn.error" for line in lines)

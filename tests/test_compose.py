"""docker-compose.yml cannot run here (no Docker engine), so check that it says what settings read."""

from __future__ import annotations

import os
import re
import runpy
import secrets
import shlex
from pathlib import Path
from typing import Any

import dj_database_url
import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
# What an operator exports before `docker compose up`: compose refuses to start without it.
OPERATOR_ENV = {"DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}

_VARIABLE = re.compile(r"\$\$|\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|\$(?P<bare>\w+)")


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's variable substitution: $$, ${VAR}, $VAR, ${VAR:-default}, ${VAR-default},
    ${VAR:?error}, ${VAR?error}."""

    def substitute(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match["name"] or match["bare"]
        op, arg, present = match["op"], match["arg"], name in env
        value = env.get(name, "")
        if op in (":-", ":?"):
            present = bool(value)
        if op and op.endswith("-") and not present:
            return arg
        if op and op.endswith("?") and not present:
            raise LookupError(f"compose refuses to start: {arg}")
        return value

    return _VARIABLE.sub(substitute, value)


def compose(env: dict[str, str] | None = None) -> dict:
    """The compose file as `docker compose config` gives it with ``env`` exported."""
    raw = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    env = OPERATOR_ENV if env is None else env

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return interpolate(node, env) if isinstance(node, str) else node

    return walk(raw)


def service_environment(name: str, env: dict[str, str] | None = None) -> dict[str, str]:
    return {k: str(v) for k, v in compose(env)["services"][name]["environment"].items()}


def test_it_describes_postgres_redis_web_worker_and_beat():
    assert set(compose()["services"]) >= {"postgres", "redis", "web", "worker", "beat"}


def test_the_app_services_point_at_the_composed_postgres_and_redis():
    services = compose()["services"]
    pg = services["postgres"]["environment"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        db = dj_database_url.parse(env["DATABASE_URL"])
        assert db["ENGINE"] == "django.db.backends.postgresql"
        assert (db["HOST"], db["USER"], db["PASSWORD"], db["NAME"]) == (
            "postgres", pg["POSTGRES_USER"], pg["POSTGRES_PASSWORD"], pg["POSTGRES_DB"]
        )
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert set(services[name]["depends_on"]) == {"postgres", "redis"}


def test_worker_and_beat_start_the_celery_app_that_exists():
    services = compose()["services"]
    worker, beat = (shlex.split(services[n]["command"]) for n in ("worker", "beat"))
    assert worker[:4] == ["celery", "-A", "workers", "worker"]
    assert beat[:4] == ["celery", "-A", "workers", "beat"]
    import workers

    assert workers.celery_app.main == "dengar"


class _RecordingEnviron(dict[str, str]):
    """An environment that remembers which variables were looked up."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(values)
        self.read: set[str] = set()

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        self.read.add(str(key))
        return super().__contains__(key)


def load_with(env: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> tuple[dict, dict, set[str]]:
    """Run the settings and gunicorn's configuration as a container would, with exactly ``env``:
    what each defines, and which variables they read."""
    recording = _RecordingEnviron(env)
    monkeypatch.setattr(os, "environ", recording)
    django_settings = runpy.run_path(str(ROOT / "listening" / "settings.py"))
    gunicorn = runpy.run_path(str(ROOT / "listening" / "gunicorn_conf.py"))
    return django_settings, gunicorn, recording.read


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_every_environment_variable_it_sets_is_read_and_taken(name, monkeypatch, tmp_path):
    # By the settings, or by gunicorn's configuration for the variables that are gunicorn's own.
    env = {**service_environment(name), "DENGAR_VAR_DIR": str(tmp_path)}
    django_settings, gunicorn, read = load_with(env, monkeypatch)
    assert set(service_environment(name)) <= read
    assert django_settings["DEBUG"] is False
    assert django_settings["DENGAR_ENV"] == "production"
    assert django_settings["SECRET_KEY"] == OPERATOR_ENV["DJANGO_SECRET_KEY"]
    assert django_settings["DATABASES"]["default"]["HOST"] == "postgres"
    assert django_settings["CELERY_BROKER_URL"] == env["REDIS_URL"]
    assert django_settings["ALLOWED_HOSTS"] == env["DJANGO_ALLOWED_HOSTS"].split(",")
    assert django_settings["CSRF_TRUSTED_ORIGINS"] == [env["DJANGO_CSRF_TRUSTED_ORIGINS"]]
    assert django_settings["DENGAR_LOG_FORMAT"] == "json"
    assert gunicorn["forwarded_allow_ips"] == env["FORWARDED_ALLOW_IPS"] == "*"


def test_the_image_build_copies_every_package_that_pip_installs():
    # Every top-level package pyproject's `packages.find` includes, and manage.py, is copied.
    import tomllib

    include = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    packages = {pattern.rstrip("*") for pattern in include["include"]}
    copied: set[str] = set()
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("COPY "):
            *sources, _destination = shlex.split(line)[1:]
            copied |= {source.rstrip("/") for source in sources}
    assert packages | {"manage.py", "pyproject.toml"} <= copied
    assert all((ROOT / package / "__init__.py").is_file() for package in packages)


def test_the_web_service_runs_gunicorn_with_our_configuration_and_never_runserver():
    web = compose()["services"]["web"]["command"]
    # `migrate && exec gunicorn …` under sh -c: the last command is the server.
    server = shlex.split(shlex.split(web)[-1].split("&&")[-1])
    assert server[:2] == ["exec", "gunicorn"]
    assert "python:listening.gunicorn_conf" in server
    assert server[-1] == "listening.wsgi:application"
    assert "runserver" not in shlex.split(web)[-1]


def test_the_image_runs_gunicorn_as_an_unprivileged_user_with_collected_static_files():
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    cmd = [line for line in lines if line.startswith("CMD ")][-1]  # not HEALTHCHECK's own CMD
    assert '"gunicorn"' in cmd
    assert '"python:listening.gunicorn_conf"' in cmd
    user = [line for line in lines if line.startswith("USER ")]
    assert user
    assert user[-1] not in ("USER root", "USER 0")
    assert lines.index(user[-1]) < lines.index(cmd)
    assert any("manage.py collectstatic --noinput" in line for line in lines)
    assert any(line.startswith("HEALTHCHECK ") for line in lines)
    assert "DENGAR_ENV=production" in (ROOT / "Dockerfile").read_text()


def test_every_long_running_service_has_a_health_check_and_web_waits_on_readiness():
    services = compose()["services"]
    for name in ("postgres", "redis", "web", "worker"):
        assert services[name]["healthcheck"]["test"], name
    assert "/readyz" in " ".join(services["web"]["healthcheck"]["test"])
    assert services["beat"]["healthcheck"] == {"disable": True}  # no HTTP, no ping: compose restarts it


def test_compose_ships_no_secret_key_and_refuses_to_start_without_one():
    raw = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert raw["x-dengar"]["environment"]["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
    with pytest.raises(LookupError, match="DJANGO_SECRET_KEY"):
        compose(env={})
    assert service_environment("web")["DJANGO_SECRET_KEY"] == OPERATOR_ENV["DJANGO_SECRET_KEY"]


def test_compose_runs_in_production_mode():
    for name in ("web", "worker", "beat"):
        env = service_environment(name)
        assert env["DENGAR_ENV"] == "production"
        assert env["DJANGO_DEBUG"] == "0"


def test_an_unreachable_database_fails_readiness_in_seconds_not_minutes():
    for name in ("web", "worker", "beat"):
        options = dj_database_url.parse(service_environment(name)["DATABASE_URL"])["OPTIONS"]
        assert 0 < int(options["connect_timeout"]) <= 10


def test_gunicorn_is_published_on_the_hosts_loopback_only():
    # Whoever reaches it may claim HTTPS with X-Forwarded-Proto (FORWARDED_ALLOW_IPS="*").
    assert compose()["services"]["web"]["ports"] == ["127.0.0.1:8000:8000"]

"""docker-compose.yml cannot run here (no Docker engine), so check that it says what settings read."""

from __future__ import annotations

import shlex
from pathlib import Path

import dj_database_url
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


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


def test_every_environment_variable_it_sets_is_read_by_the_settings():
    source = (ROOT / "listening" / "settings.py").read_text()
    for name in ("web", "worker", "beat"):
        for variable in compose()["services"][name]["environment"]:
            assert f'"{variable}"' in source, variable


def test_the_image_build_copies_every_package():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for package in ("listening", "dashboard", "workers", "manage.py"):
        assert f"COPY {package}" in dockerfile

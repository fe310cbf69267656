"""A third-party package adds a source kind by installing itself: no change to Dengar."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from listening.models import Mention
from listening.scoping import tenant_scope
from listening.services.sources import source_create, source_poll_once
from workers.adapters import registry

PACKAGE = Path(__file__).resolve().parents[1] / "fixtures" / "dengar_example_adapter"


def install(target: Path, workdir: Path) -> None:
    """Install the fixture package into ``target`` the way a user would, with pip (offline, with
    the venv's own setuptools and wheel, which the dev extra pins)."""
    source = workdir / "src"
    shutil.copytree(PACKAGE, source)  # builds write into the tree: keep the fixture clean
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(target), str(source)],
        capture_output=True, text=True, timeout=120,
    )
    if pip.returncode != 0:
        pytest.fail(f"pip could not install the example adapter:\n{pip.stdout}\n{pip.stderr}")


@pytest.fixture
def example_installed(tmp_path, monkeypatch):
    target = tmp_path / "site"
    target.mkdir()
    install(target, tmp_path)
    monkeypatch.syspath_prepend(str(target))
    registry.refresh()
    yield
    registry.refresh()
    sys.modules.pop("dengar_example_adapter", None)


def test_it_does_not_know_the_example_kind_before_the_package_is_installed():
    registry.refresh()
    assert "example" not in registry.kinds()


def test_it_discovers_an_installed_adapter_and_polls_it(world, example_installed):
    assert "example" in registry.kinds()
    assert "mock" in registry.kinds()
    source = source_create(
        tenant=world.acme, name="Example feed", kind="example", config={"count": 4},
        brand=world.acme_brand,
    )
    with tenant_scope(world.acme):
        outcome = source_poll_once(source=source)
    assert outcome.error == ""
    assert outcome.report is not None
    assert outcome.report.stored == 4
    stored = Mention.all_tenants.filter(tenant=world.acme, source=source)
    assert sorted(stored.values_list("external_id", flat=True)) == [
        f"example-{n}" for n in range(4)
    ]
    assert set(stored.values_list("platform", flat=True)) == {"example"}
    source.refresh_from_db()
    assert source.cursor == 4
    assert not Mention.all_tenants.filter(tenant=world.globex, source=source).exists()

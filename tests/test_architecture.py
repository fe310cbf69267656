"""The layers read top-down, and a checker keeps them so.

import-linter checks the contracts in pyproject.toml (``[tool.importlinter]``): api, dashboard and
tasks above services, services above selectors, selectors above models; analysis and source
adapters pure; no cycles. Each contract is shown able to fail on a small project of the same
shape with one violation put in on purpose. The dashboard's reads through selectors, which no
import contract can say (it needs the models for their types and choices), are checked by
scanning its code for manager access.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    # No cache: nothing written into the working tree.
    return subprocess.run([str(LINT_IMPORTS), "--no-cache"], cwd=cwd, capture_output=True, text=True,
                          timeout=120, check=False)


def test_the_imports_keep_every_contract():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout


# A project of Dengar's shape that keeps every contract: the same pyproject contracts apply to it.
CLEAN = {
    "django/__init__.py": "",
    "django/conf.py": "",
    "django/db/__init__.py": "",
    "listening/__init__.py": "",
    "listening/scoping.py": "import django.db\n",
    "listening/models/__init__.py": "from listening import scoping\n",
    "listening/analysis/__init__.py": "",
    "listening/analysis/base.py": "import django.conf\n",
    "listening/analysis/lexicon.py": "from listening.analysis.engine import lexicons\n",
    "listening/analysis/rules.py": "from listening.analysis.engine import lexicons\n",
    "listening/analysis/engine/__init__.py": "",
    "listening/analysis/engine/lexicons.py": "",
    "listening/selectors/__init__.py": "",
    "listening/selectors/overdue.py": "from listening.models import scoping\n",
    "listening/selectors/flags.py": "from listening.selectors import overdue\n",
    "listening/selectors/response.py": "from listening.selectors import overdue\n",
    "listening/services/__init__.py": "",
    "listening/services/alerts.py": "from listening.models import scoping\nfrom listening.analysis import rules\n",
    "listening/api/__init__.py": "from listening.services import alerts\nfrom listening.selectors import flags\n",
    "dashboard/__init__.py": "",
    "dashboard/views.py": "from listening.services import alerts\nfrom listening.selectors import flags\n",
    "workers/__init__.py": "",
    "workers/adapters/__init__.py": "import django.conf\n",
    "workers/tasks/__init__.py": "",
    "workers/tasks/alerts.py": "from listening.services import alerts\n",
}

# One violation of each contract, as a local import (a cycle or a layer patched that way still
# counts), with the contract that must then break.
VIOLATIONS = {
    "a service importing a task": (
        "listening/services/alerts.py", "def queue():\n    from workers.tasks import alerts\n", "Layers"),
    "a selector importing a service": (
        "listening/selectors/flags.py", "from listening.services import alerts\n", "Layers"),
    "a model importing a selector": (
        "listening/models/__init__.py", "def f():\n    from listening.selectors import flags\n", "Layers"),
    "analysis reading the database through the models": (
        "listening/analysis/rules.py", "def load():\n    from listening import models\n", "are pure"),
    "an adapter calling a service": (
        "workers/adapters/__init__.py", "from listening.services import alerts\n", "are pure"),
    "an adapter using the database": (
        "workers/adapters/__init__.py", "from django.db import connection\n", "never touch the database"),
    "two selectors importing each other": (
        "listening/selectors/overdue.py", "def f():\n    from listening.selectors import response\n", "No cycles"),
    "the rules taking words from the legacy classifier": (
        "listening/analysis/rules.py", "from listening.analysis import lexicon\n", "legacy word-list"),
}


def shaped_project(root: Path, *, extra: tuple[str, str] | None = None) -> Path:
    for name, text in CLEAN.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if extra is not None:
        name, text = extra
        with (root / name).open("a") as f:
            f.write(text)
    (root / "pyproject.toml").write_text((ROOT / "pyproject.toml").read_text())
    return root


def test_the_checker_passes_a_project_of_the_same_shape_that_keeps_the_contracts(tmp_path):
    result = lint_imports(shaped_project(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("violation", list(VIOLATIONS))
def test_the_checker_fails_on_a_violation(tmp_path, violation):
    module, code, contract = VIOLATIONS[violation]
    result = lint_imports(shaped_project(tmp_path, extra=(module, code)))
    assert result.returncode == 1, result.stdout + result.stderr
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    kept = result.stdout.count(" KEPT")
    assert broken, result.stdout
    assert kept, result.stdout
    # The contract named by the violation is the one that broke (its title may wrap a line).
    assert contract in result.stdout.split("Broken contracts", 1)[1], result.stdout


# --- the dashboard reads through selectors -------------------------------------------------------

MANAGERS = {"objects", "all_tenants"}


def manager_reads(source: str) -> list[int]:
    """Lines where ``source`` uses a model manager (``X.objects…``, ``X.all_tenants…``), but for
    an empty placeholder (``.none()``) that a form replaces with a selector's queryset."""
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            parent = parents.get(node)
            placeholder = (isinstance(parent, ast.Attribute) and parent.attr == "none"
                           and isinstance(parents.get(parent), ast.Call))
            if not placeholder:
                lines.append(node.lineno)
    return lines


def test_the_dashboard_reads_only_through_selectors():
    found = {
        str(path.relative_to(ROOT)): lines
        for path in sorted((ROOT / "dashboard").rglob("*.py"))
        if (lines := manager_reads(path.read_text()))
    }
    assert found == {}, f"model managers used in the dashboard (read through listening.selectors): {found}"


def test_the_dashboard_scan_finds_a_query_in_a_view():
    source = (
        "from listening.models import Alert, Mention\n"
        "def view(request):\n"
        "    placeholder = Mention.all_tenants.none()\n"
        "    alert = Alert.objects.get(pk=1)\n"
        "    return list(Mention.all_tenants.filter(tenant_id=1)[:10])\n"
    )
    assert manager_reads(source) == [4, 5]

"""The direction of imports (design.md): checked statically by import-linter with the contracts
in pyproject.toml, and at run time by importing each layer in a fresh interpreter and looking
at what came along."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import REPO, clean_env


def _contracts() -> list[str]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return [c["name"] for c in data["tool"]["importlinter"]["contracts"]]


def test_import_linter_contracts_hold() -> None:
    script = Path(sys.executable).parent / "lint-imports"
    command = ([str(script)] if script.exists() else
               [sys.executable, "-c", "import sys; from importlinter.cli import "
                                      "lint_imports_command as c; sys.exit(c())"])
    result = subprocess.run([*command, "--no-cache"], capture_output=True, text=True,
                            cwd=REPO, env=clean_env(), timeout=120)
    output = result.stdout + result.stderr
    names = _contracts()
    assert len(names) >= 5
    assert result.returncode == 0, output
    for name in names:
        assert f"{name} KEPT" in output, output
    assert f"Contracts: {len(names)} kept, 0 broken." in output


# package -> top-level names that must not be in sys.modules after importing all of it
LAYERS = {
    "counter_tui.core": ("textual", "peewee", "playhouse", "escpos", "counter_tui.db",
                         "counter_tui.services", "counter_tui.printing", "counter_tui.ui"),
    "counter_tui.printing": ("textual", "peewee", "playhouse", "counter_tui.db",
                             "counter_tui.services", "counter_tui.ui"),
    "counter_tui.voice": ("textual", "peewee", "playhouse", "counter_tui.db",
                          "counter_tui.services", "counter_tui.printing", "counter_tui.ui"),
    "counter_tui.services": ("textual", "counter_tui.ui"),
    "counter_tui.db": ("textual", "counter_tui.services", "counter_tui.printing", "counter_tui.ui"),
}

PROBE = r"""
import importlib, json, pkgutil, sys
package = importlib.import_module(sys.argv[1])
names = [m.name for m in pkgutil.walk_packages(package.__path__, sys.argv[1] + ".")]
for name in names:
    importlib.import_module(name)
print(json.dumps({"modules": names, "loaded": sorted(sys.modules)}))
"""


@pytest.mark.parametrize("package", list(LAYERS))
def test_importing_a_layer_brings_nothing_it_must_not(package: str) -> None:
    result = subprocess.run([sys.executable, "-c", PROBE, package], capture_output=True,
                            text=True, cwd=REPO, env=clean_env(), timeout=120)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["modules"], f"no modules found under {package}"
    forbidden = LAYERS[package]
    leaked = [m for m in found["loaded"]
              if any(m == f or m.startswith(f + ".") for f in forbidden)]
    assert leaked == [], f"importing {package} loaded {leaked}"


def test_core_is_all_there() -> None:
    """The probe really imported every core module (a typo in PROBE would pass vacuously)."""
    result = subprocess.run([sys.executable, "-c", PROBE, "counter_tui.core"],
                            capture_output=True, text=True, cwd=REPO, env=clean_env(),
                            timeout=120)
    modules = set(json.loads(result.stdout.strip().splitlines()[-1])["modules"])
    on_disk = {f"counter_tui.core.{p.stem}" for p in (REPO / "counter_tui" / "core").glob("*.py")
               if p.stem != "__init__"}
    assert on_disk <= modules
    assert {"counter_tui.core.queue_rules", "counter_tui.core.codes",
            "counter_tui.core.calendar", "counter_tui.core.slips"} <= modules


def test_the_store_is_imported_by_its_installed_name() -> None:
    """The wheel installs the store as `counter_tui.db` only; a bare `db` import works in the
    checkout (its folder is on the path) and fails in every installed copy."""
    import re

    bare = re.compile(r"^\s*(from db(\.| import)|import db(\.|\s*$))", re.M)
    found = [str(p.relative_to(REPO)) for top in ("counter_tui", "db", "tests")
             for p in (REPO / top).rglob("*.py")
             if "migrations" not in p.parts and bare.search(p.read_text(encoding="utf-8"))]
    assert found == []

"""The app as a technician installs it: the wheel, built from this checkout, in a fresh venv,
set up with `init` and used from a folder that has nothing to do with the checkout.

One test, a minute or two (the dependencies come from the package index, through pip's
cache after the first run). It runs in CI like every other test (marker `wheel` to select
or skip it locally: `pytest -m "not wheel"`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, clean_env, staff_key

PROBE = r"""
import importlib.util, json, sys
from importlib.resources import files
import counter_tui, counter_tui.db
shipped = ["config.template.toml", "ui/app.tcss", "locale/vi/LC_MESSAGES/counter_tui.mo",
           "locale/en/LC_MESSAGES/counter_tui.po", "db/seed/procedures.csv",
           "db/migrations/0001_initial.py"]
print(json.dumps({
    "app": counter_tui.__file__, "store": counter_tui.db.__file__,
    "bare_db": importlib.util.find_spec("db") is not None,
    "missing": [p for p in shipped if not files("counter_tui").joinpath(p).is_file()],
    "path": sys.path,
}))
"""


def _run(command: list[str | Path], cwd: Path, env: dict[str, str],
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True, cwd=cwd,
                            env=env, timeout=timeout, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result


@pytest.mark.wheel
def test_the_wheel_installs_and_runs_from_anywhere(tmp_path: Path) -> None:
    build_env = clean_env()
    build_env.pop("PYTHONPATH", None)
    dist = tmp_path / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", dist, REPO],
         cwd=tmp_path, env=build_env, timeout=300)
    wheel = next(dist.glob("counter_tui-*.whl"))
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", venv], cwd=tmp_path, env=build_env)
    _run([venv / "bin" / "pip", "install", "-q", wheel], cwd=tmp_path, env=build_env,
         timeout=600)

    home = tmp_path / "home"
    env = {k: v for k, v in build_env.items() if k not in ("VIRTUAL_ENV", "PYTHONHOME")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local" / "share"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    app = venv / "bin" / "counter-tui"

    made = _run([app, "init", "--defaults", "--office-name", "UBND xã Cài Đặt", "--lang", "en"],
                cwd=elsewhere, env=env)
    config = home / ".config" / "counter-tui" / "config.toml"
    data = home / ".local" / "share" / "counter-tui"
    assert made.stdout.splitlines() == [f"Wrote the configuration: {config}",
                                        f"Created a new store: sqlite:///{data / 'counter.db'}"]
    issued = _run([app, "ticket", "issue", "A", "--json"], cwd=elsewhere,
                  env={**env, "COUNTER_TUI_KEY": staff_key(config, home=env)})
    assert json.loads(issued.stdout)["number"] == "A001"
    check = _run([app, "config", "check", config], cwd=elsewhere, env=env)
    assert check.stdout == f"The configuration is valid: {config}\n"

    found = json.loads(_run([venv / "bin" / "python", "-c", PROBE], cwd=elsewhere,
                            env=env).stdout)
    site = str(venv / "lib")
    assert found["app"].startswith(site) and found["store"].startswith(site), found
    assert found["bare_db"] is False  # the store is counter_tui.db, not a top-level `db`
    assert found["missing"] == []
    assert not any(p and Path(p).resolve() == REPO for p in found["path"])
    assert not any(str(REPO) in p for p in found["path"] if p)
    assert os.listdir(data)  # the store, the log, the printer's file: all in the data folder
    assert {"counter.db", "counter-tui.log", "printer.out"} <= set(os.listdir(data))

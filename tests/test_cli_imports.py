"""The command line loads what its subcommand needs and nothing else: a kiosk issuing a ticket
on an SQLite store does not import the PostgreSQL driver or the other subjects' commands, and
the table that says which module registers which subcommand agrees with the modules."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from counter_tui.commands import COMMANDS
from tests.conftest import clean_env, staff_key

LOADED = """
import json, sys
from counter_tui.cli import main
code = main(sys.argv[1:])
# a None entry is a module kept from being imported (db.without_server_drivers)
print(json.dumps({"code": code, "modules": sorted(k for k, v in sys.modules.items() if v)}))
"""


def test_the_table_names_each_modules_subcommands() -> None:
    for module in set(COMMANDS.values()):
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers()
        importlib.import_module(f"counter_tui.commands.{module}").register(sub)
        assert {name for name, owner in COMMANDS.items() if owner == module} == set(sub.choices)


def _loaded(config: Path, *args: str) -> set[str]:
    result = subprocess.run([sys.executable, "-c", LOADED, "--config", str(config), *args],
                            capture_output=True, text=True,
                            env=clean_env(COUNTER_TUI_KEY=staff_key(config)),
                            cwd=config.parent, timeout=120)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["code"] == 0
    return set(out["modules"])


def test_a_ticket_loads_only_its_own_command(tmp_path: Path,
                                             write_config: Callable[..., Path]) -> None:
    config = write_config(tmp_path)
    modules = _loaded(config, "ticket", "issue", "A", "--json")
    assert "counter_tui.commands.queue" in modules
    others = {f"counter_tui.commands.{m}" for m in COMMANDS.values()} - {
        "counter_tui.commands.queue"}
    assert not others & modules
    assert not {m for m in modules if m.split(".")[0] in ("psycopg2", "textual")}
    # a text ticket is written without python-escpos and its image libraries, on a store
    # that is up to date without the migration runner, and without the forms or the
    # catalogue's import, which a ticket has no use for
    assert not {m for m in modules if m.split(".")[0] in ("escpos", "PIL", "qrcode", "yaml",
                                                          "barcode")}
    assert not modules & {"playhouse.migrations", "playhouse.migrate",
                          "counter_tui.services.legal_forms", "counter_tui.services.catalogue",
                          "importlib.resources"}
    # a later ticket of the day (the first took the day's backup) loads nothing that only a
    # failing store, a backup, argparse's own look at the terminal, a PIN or a new secret needs
    again = _loaded(config, "ticket", "issue", "A", "--json")
    assert not again & {"shutil", "bz2", "lzma", "secrets", "random"}


def test_help_still_lists_every_subcommand(tmp_path: Path,
                                           write_config: Callable[..., Path]) -> None:
    result = subprocess.run([sys.executable, "-m", "counter_tui", "--help"],
                            capture_output=True, text=True, env=clean_env(), timeout=120)
    assert result.returncode == 0
    for name in COMMANDS:
        assert name in result.stdout

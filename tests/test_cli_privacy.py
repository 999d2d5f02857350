"""Personal data through the real `counter-tui` (child processes): what the app creates is its
owner's alone whatever the umask; no ID number or phone reaches the log files or the audit log;
`audit verify` exits 1 naming an edited entry; `audit show`, `privacy purge` and
`dossier show --show-id` for the roles allowed to.

The commands that need a signed-in actor run through ACTING: the real `counter_tui.cli.main`,
with the actor the test names set on the store the command opens (what a session token or a
service key gives the command line).
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import clean_env, staff_key
from tests.test_cli_queue import CLI

NAME, CCCD, PHONE = "Nguyễn Văn An", "001090012345", "0912345678"
OTHER_ID, OTHER_PHONE = "079190000123", "0987654321"

ACTING = r"""
import os, sys
from counter_tui import cli, commands
from counter_tui.core.roles import Actor, Role

opened = commands.Context.store.fget

def store(self):
    s = opened(self)
    s.actor = Actor(os.environ["ACTING_AS"], "Người thử",
                    frozenset(Role(r) for r in os.environ["ACTING_ROLES"].split(",")))
    return s

commands.Context.store = property(store)
sys.exit(cli.main(sys.argv[1:]))
"""


def acting(config: Path, username: str, roles: str, *args: str
           ) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-c", ACTING, "--config", str(config), *args],
                            capture_output=True, text=True, timeout=120, cwd=config.parent,
                            env=clean_env(ACTING_AS=username, ACTING_ROLES=roles))
    assert "Traceback" not in result.stderr, result.stderr
    return result


def add(cli: CLI, name: str = NAME, id_number: str = CCCD, phone: str = PHONE) -> str:
    return str(cli.json("dossier", "add", "--procedure", "HT-KS", "--name", name, "--id",
                        id_number, "--phone", phone, "--address", "12 Lê Lợi, Huế")["code"])


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_everything_the_app_creates_is_its_owners_alone(tmp_path: Path) -> None:
    """Run from a shell whose umask lets everyone read (022): the config `init` writes, the data
    folder, the store and its WAL, the log, the printer file, backups and exports are 0600 files
    in 0700 folders."""
    home = tmp_path / "home"
    env = clean_env(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
                    XDG_DATA_HOME=str(home / ".local" / "share"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        result = subprocess.run([sys.executable, "-m", "counter_tui", *args],
                                capture_output=True, text=True, env=env, cwd=tmp_path,
                                timeout=120, stdin=subprocess.DEVNULL,
                                preexec_fn=lambda: os.umask(0o022))
        assert result.returncode == 0, result.stderr
        return result

    run("init", "--defaults", "--lang", "en")
    env["COUNTER_TUI_KEY"] = staff_key(home / ".config" / "counter-tui" / "config.toml",
                                       home=env)
    run("dossier", "add", "--procedure", "HT-KS", "--name", NAME, "--phone", PHONE)
    run("db", "backup")
    exports = tmp_path / "exports"
    exports.mkdir(mode=0o755)
    run("report", "register", "--from", "2020-01-01", "--to", "2030-12-31", "--format", "csv",
        "--output", str(exports / "register.csv"))
    config = home / ".config" / "counter-tui" / "config.toml"
    data = home / ".local" / "share" / "counter-tui"
    files = [config, data / "counter.db", data / "counter-tui.log", data / "printer.out",
             exports / "register.csv", *sorted((data / "backups").glob("*.db"))]
    files += [p for p in (data / "counter.db-wal", data / "counter.db-shm") if p.exists()]
    assert len(files) >= 6
    assert {str(p): oct(mode(p)) for p in files} == {str(p): "0o600" for p in files}
    assert {oct(mode(p)) for p in (data, data / "backups")} == {"0o700"}


def _scan(text: str) -> list[str]:
    return [s for s in (CCCD, OTHER_ID, PHONE, OTHER_PHONE, "912345678", "Nguyễn", "nguyen van")
            if s in text]


def test_no_id_number_or_phone_in_the_logs_or_the_audit_log(
        tmp_path: Path, write_config: Callable[..., Path], database_url: str) -> None:
    """Every command an officer runs with a citizen's numbers, at --debug, then a failing one:
    the log files and every column of the audit log are scanned for the numbers and the name."""
    cli = CLI(write_config(tmp_path, database={"url": database_url}))
    code = add(cli)
    for text in (CCCD, PHONE, "+84 912 345 678", "nguyen van an", code):
        assert cli("--debug", "dossier", "find", text).returncode == 0
    assert cli("--debug", "dossier", "show", code).returncode == 0
    assert cli("dossier", "status", code, "--to", "ready").returncode == 0
    assert cli("dossier", "status", code, "--to", "returned", "--collected-by", NAME,
               "--id", OTHER_ID).returncode == 0
    bad = cli("dossier", "add", "--procedure", "HT-KS", "--name", NAME, "--id", "00109001234X",
              "--phone", OTHER_PHONE)
    assert bad.returncode == 1
    assert cli("dossier", "find", OTHER_PHONE).returncode == 0
    logs = sorted(cli.log.parent.glob("counter-tui.log*"))
    assert logs and "dossier find" in logs[0].read_text(encoding="utf-8")
    assert _scan("".join(p.read_text(encoding="utf-8") for p in logs)) == []
    shown = acting(cli.config, "giamsat", "supervisor", "audit", "show", "--json")
    assert shown.returncode == 0, shown.stderr
    entries = json.loads(shown.stdout)
    assert {e["action"] for e in entries} >= {"receive", "find:id", "find:phone", "find:name",
                                              "find:code", "view", "step:return_result"}
    assert _scan(shown.stdout) == []
    if database_url.startswith("sqlite"):  # and the table itself, every column
        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            rows = db.execute("SELECT * FROM audit_log").fetchall()
        assert _scan(json.dumps(rows, ensure_ascii=False)) == []


def test_audit_verify_names_the_edited_entry(tmp_path: Path,
                                             write_config: Callable[..., Path]) -> None:
    cli = CLI(write_config(tmp_path, ui={"language": "en"}))
    code = add(cli)
    cli("dossier", "show", code)
    verified = acting(cli.config, "giamsat", "supervisor", "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("The audit log is intact: ")
    store = tmp_path / "data" / "counter.db"
    with sqlite3.connect(store) as db:
        (entry,) = db.execute("SELECT id FROM audit_log WHERE action = 'view'").fetchone()
        db.execute("UPDATE audit_log SET officer = 'ai_khac' WHERE id = ?", (entry,))
    broken = acting(cli.config, "giamsat", "supervisor", "audit", "verify", "--json")
    assert broken.returncode == 1
    assert json.loads(broken.stdout)["first_bad"]["id"] == entry
    said = acting(cli.config, "giamsat", "supervisor", "audit", "verify")
    assert said.returncode == 1 and f"entry #{entry} " in said.stdout
    officer = acting(cli.config, "canbo1", "officer", "audit", "verify")
    assert officer.returncode == 2 and officer.stdout == ""
    assert "canbo1" in officer.stderr


def test_audit_show_answers_who_looked_at_a_dossier_and_who_searched_a_number(
        tmp_path: Path, write_config: Callable[..., Path]) -> None:
    cli = CLI(write_config(tmp_path))
    code = add(cli)
    cli("dossier", "find", CCCD)
    shown = acting(cli.config, "canbo2", "officer", "dossier", "show", code)
    assert shown.returncode == 0
    by_dossier = acting(cli.config, "giamsat", "supervisor", "audit", "show", "--dossier", code,
                        "--json")
    assert [(e["action"], e["officer"]) for e in json.loads(by_dossier.stdout)] == [
        ("view", "canbo2"), ("find:id", "canbo1"), ("receive", "canbo1")]
    searched = acting(cli.config, "giamsat", "supervisor", "audit", "show", "--searched",
                      "001 090 012 345", "--json")
    assert [e["dossiers"] for e in json.loads(searched.stdout)] == [[code]]
    text = acting(cli.config, "giamsat", "supervisor", "audit", "show", "--officer", "canbo2")
    assert text.returncode == 0 and "view" in text.stdout and code in text.stdout


def test_the_id_number_in_full_on_the_command_line(tmp_path: Path,
                                                   write_config: Callable[..., Path]) -> None:
    cli = CLI(write_config(tmp_path))
    code = add(cli)
    plain = cli.json("dossier", "show", code)
    assert CCCD not in json.dumps(plain) and plain["id_number_masked"]
    full = acting(cli.config, "canbo1", "officer", "dossier", "show", code, "--show-id",
                  "--json")
    assert full.returncode == 0 and json.loads(full.stdout)["id_number"] == CCCD
    technician = acting(cli.config, "kythuat", "technician", "dossier", "show", code,
                        "--show-id")
    assert technician.returncode == 2 and CCCD not in technician.stdout + technician.stderr
    log = acting(cli.config, "giamsat", "supervisor", "audit", "show", "--json")
    assert [e["officer"] for e in json.loads(log.stdout) if e["action"] == "show_id"] == [
        "canbo1"]


def test_privacy_purge_on_the_command_line(tmp_path: Path,
                                           write_config: Callable[..., Path]) -> None:
    cli = CLI(write_config(tmp_path, privacy={"retention": [["2023-07-01", 1]]}))
    add(cli)
    refused = acting(cli.config, "giamsat", "supervisor", "privacy", "purge", "--before",
                     "2026-01-01")
    assert refused.returncode == 2
    done = acting(cli.config, "quantri", "administrator", "privacy", "purge", "--before",
                  "2026-01-01", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["anonymised"] == 0  # nothing closed that long ago
    future = acting(cli.config, "quantri", "administrator", "privacy", "purge", "--before",
                    "2999-01-01")
    assert future.returncode == 1 and "2999" in future.stderr


def test_config_show_lists_the_retention(tmp_path: Path, write_config: Callable[..., Path]
                                         ) -> None:
    shown: Any = CLI(write_config(tmp_path))("config", "show")
    assert shown.returncode == 0 and "privacy.retention" in shown.stdout

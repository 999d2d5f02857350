"""`counter-tui db backup | restore | check` on a store that terminals are writing to.

Four processes issue tickets with the real command while backups are taken: every backup must
open, pass its check and hold a consistent prefix of the tickets (numbers 1..k, none missing);
a restore brings that state back; a damaged backup is refused and changes nothing. The same on
PostgreSQL, through pg_dump / pg_restore.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from counter_tui.config import Config
from tests.conftest import clean_env, staff_key

WORKERS, TICKETS_EACH = 4, 6


class CLI:
    def __init__(self, config: Path) -> None:
        self.config = config
        self.key = ""

    def env(self, command: str = "") -> dict[str, str]:
        """As the counter's officer (a staff key, tests/conftest.py), but for the setting up
        (`init`), which needs nobody and must find no store made before it."""
        if command == "init":
            return clean_env()
        if not self.key:
            self.key = staff_key(self.config)
        return clean_env(**({"COUNTER_TUI_KEY": self.key} if self.key else {}))

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "counter_tui", "--config", str(self.config), *args]

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(self.command(*args), capture_output=True, text=True,
                              env=self.env(args[0] if args else ""), cwd=self.config.parent,
                              timeout=180)
        assert "Traceback" not in done.stderr + done.stdout, done.stderr
        return done


def ticket_numbers(url: str) -> list[int]:
    """The A tickets of a store, by number, read without the app."""
    if url.startswith("sqlite:///"):
        con = sqlite3.connect(url[len("sqlite:///"):])
        try:
            return [r[0] for r in con.execute(
                "SELECT number FROM ticket WHERE series = 'A' ORDER BY number")]
        finally:
            con.close()
    import psycopg2

    con = psycopg2.connect(url)
    try:
        cur = con.cursor()
        cur.execute("SELECT number FROM ticket WHERE series = 'A' ORDER BY number")
        return [r[0] for r in cur.fetchall()]
    finally:
        con.close()


def restored_numbers(backup: Path, url: str, make_config: Callable[..., Config],
                     tmp_path: Path) -> list[int]:
    """What a backup holds: restored into the empty store `url`, then read."""
    from counter_tui.services.restore import restore

    restore(make_config(tmp_path / "scratch", database={"url": url}), backup)
    return ticket_numbers(url)


@pytest.fixture
def other_store(engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """A second, empty store on the same engine, to restore a backup into and look at it."""
    if engine == "sqlite":
        (tmp_path / "other").mkdir()
        return f"sqlite:///{tmp_path / 'other' / 'counter.db'}"
    return str(request.getfixturevalue("pg_server").create_database())


def test_backup_while_four_terminals_issue_tickets(
        tmp_path: Path, write_config: Callable[..., Path], make_config: Callable[..., Config],
        database_url: str, other_store: str) -> None:
    cli = CLI(write_config(tmp_path, database={"url": database_url}))
    assert cli("init").returncode == 0
    loop = " && ".join([" ".join(f"'{a}'" for a in cli.command("ticket", "issue", "A"))]
                       * TICKETS_EACH)
    workers = [subprocess.Popen(["sh", "-c", loop], env=cli.env(), cwd=tmp_path,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
               for _ in range(WORKERS)]
    backups: list[Path] = []
    try:
        while not ticket_numbers(database_url):
            time.sleep(0.05)
        while any(w.poll() is None for w in workers) or not backups:
            done = cli("db", "backup", "--to", str(tmp_path / "copies"), "--json")
            assert done.returncode == 0, done.stderr
            backups.append(Path(json.loads(done.stdout)["path"]))
    finally:
        errors = [w.communicate(timeout=300)[1] for w in workers]
    assert [w.returncode for w in workers] == [0] * WORKERS, errors
    total = WORKERS * TICKETS_EACH
    assert ticket_numbers(database_url) == list(range(1, total + 1))

    folder = tmp_path / "copies"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    first = backups[0]
    for path in backups:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    held = restored_numbers(first, other_store, make_config, tmp_path)
    assert held == list(range(1, len(held) + 1)) and 1 <= len(held) <= total
    print(f"{len(backups)} backups taken while issuing; the first holds {len(held)} tickets")

    # The store goes back to the first backup; the next ticket follows what it held.
    done = cli("db", "restore", str(first))
    assert done.returncode == 0, done.stderr
    assert ticket_numbers(database_url) == held
    assert cli("ticket", "issue", "A").returncode == 0
    assert ticket_numbers(database_url) == [*held, len(held) + 1]
    check = cli("db", "check", "--json")
    assert check.returncode == 0, check.stderr
    report = json.loads(check.stdout)
    assert report["integrity"] == "ok" and report["pending"] == []
    assert report["counts"]["ticket"] == len(held) + 1


def _damaged(path: Path, target: Path) -> Path:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 4096] = b"\xa5" * 4096
    target.write_bytes(bytes(data))
    return target


def test_a_damaged_backup_is_refused_and_changes_nothing(
        tmp_path: Path, write_config: Callable[..., Path], database_url: str) -> None:
    cli = CLI(write_config(tmp_path, database={"url": database_url}))
    assert cli("init").returncode == 0
    assert cli("ticket", "issue", "A").returncode == 0
    made = json.loads(cli("db", "backup", "--json").stdout)
    backup = Path(made["path"])
    assert backup.parent == tmp_path / "data" / "backups"
    bad = _damaged(backup, tmp_path / f"damaged{backup.suffix}")
    assert cli("ticket", "issue", "A").returncode == 0
    done = cli("db", "restore", str(bad))
    assert done.returncode == 1 and done.stdout == ""
    assert "không phải bản sao lưu dùng được" in done.stderr
    not_a_backup = tmp_path / f"notes{backup.suffix}"
    not_a_backup.write_text("ghi chú", encoding="utf-8")
    assert cli("db", "restore", str(not_a_backup)).returncode == 1
    assert ticket_numbers(database_url) == [1, 2]


def test_restore_is_refused_while_a_terminal_is_connected(
        tmp_path: Path, write_config: Callable[..., Path], database_url: str) -> None:
    cli = CLI(write_config(tmp_path, database={"url": database_url}))
    assert cli("init").returncode == 0
    backup = json.loads(cli("db", "backup", "--json").stdout)["path"]
    assert cli("ticket", "issue", "A").returncode == 0
    terminal: Any
    if database_url.startswith("sqlite:///"):
        terminal = sqlite3.connect(database_url[len("sqlite:///"):])
        terminal.execute("SELECT count(*) FROM ticket").fetchone()
    else:
        import psycopg2

        terminal = psycopg2.connect(database_url)
    try:
        done = cli("db", "restore", backup)
        assert done.returncode == 1, done.stdout
        assert "--force" in done.stderr
        assert ticket_numbers(database_url) == [1]
        forced = cli("db", "restore", backup, "--force")
        assert forced.returncode == 0, forced.stderr
    finally:
        terminal.close()  # on PostgreSQL --force ended its session; closing it still works
    assert ticket_numbers(database_url) == []


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_migrations_take_a_backup_first_and_retention_keeps_days_and_months(
        tmp_path: Path, make_config: Callable[..., Config], database_url: str) -> None:
    import datetime as dt

    from playhouse.migrations import Runner

    from counter_tui.db import connection
    from counter_tui.services import backup
    from counter_tui.services.store import open_store

    cfg = make_config(tmp_path, database={"url": database_url})
    db = connection.connect(database_url)
    Runner(db, str(connection.MIGRATIONS)).up(target="0005_worklist_indexes")
    connection.close(db)
    open_store(cfg).close()
    made = backup.listed(Path(cfg.backup.folder))
    assert [b.reason for b in made] == ["before-migration"]
    backup.check_copy(made[0].path)

    folder = tmp_path / "retention"
    folder.mkdir()
    start = dt.datetime(2026, 1, 1, 7, 0)
    for day in range(120):
        for hour in (0, 9):
            taken = start + dt.timedelta(days=day, hours=hour)
            (folder / f"counter-{taken:%Y%m%d-%H%M%S}-daily.db").write_bytes(b"")
    (folder / "notes.txt").write_text("x")
    backup.prune(folder, keep_daily=7, keep_monthly=3)
    kept = backup.listed(folder)
    last = start + dt.timedelta(days=119, hours=9)
    days = {b.taken.date() for b in kept}
    assert {last.date() - dt.timedelta(days=n) for n in range(7)} <= days
    assert {(b.taken.year, b.taken.month) for b in kept} == {(2026, 2), (2026, 3), (2026, 4)}
    assert len(days) == 7 + 2  # 7 days, and the newest of February and March
    assert len(kept) == 7 + 2 + 1  # and the day before the newest copy's, kept whole
    assert (folder / "notes.txt").exists()
    assert not os.path.exists(folder / f"counter-{start:%Y%m%d-%H%M%S}-daily.db")

"""The README's least-privilege PostgreSQL setup, run as written against a real server: the
owner creates the schema with `counter-tui init`; the application's role then works a counter
(tickets, intake, look-ups, the audit chain) but cannot change or delete an audit entry or the
schema; the waiting-room display's role reads the queue and nothing else."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from counter_tui.core.roles import Role
from tests.conftest import REPO, clean_env
from tests.test_cli_privacy import ACTING

pytestmark = pytest.mark.postgres

ROLES = ("counter_app", "counter_display", "counter_owner")
PASSWORDS = {"counter_owner": "change-me-owner", "counter_app": "change-me-app",
             "counter_display": "change-me-display"}


def readme_sql() -> list[str]:
    """The ```sql blocks of the README's "PostgreSQL roles" section, in order."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### PostgreSQL roles", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, re.S)


def _execute(conn: Any, sql: str) -> None:
    with conn.cursor() as cur:
        for statement in (s.strip() for s in sql.split(";")):
            if statement:
                cur.execute(statement)


def _drop(server: Any) -> None:
    conn = server.connect()
    try:
        _execute(conn, "DROP DATABASE IF EXISTS counter WITH (FORCE);"
                 + "".join(f"DROP ROLE IF EXISTS {r};" for r in ROLES))
    finally:
        conn.close()


def _as(server: Any, role: str) -> Any:
    import psycopg2

    conn = psycopg2.connect(host=server.host, port=server.port, user=role,
                            password=PASSWORDS[role], dbname="counter", connect_timeout=5)
    conn.autocommit = True
    return conn


def _url(server: Any, role: str) -> str:
    return f"postgresql://{role}:{PASSWORDS[role]}@{server.host}:{server.port}/counter"


def _cli(config: Path, url: str, *args: str, acting: tuple[str, str] | None = None
         ) -> subprocess.CompletedProcess[str]:
    command = ([sys.executable, "-c", ACTING] if acting else [sys.executable, "-m", "counter_tui"])
    env = clean_env(COUNTER_TUI_DATABASE__URL=url)
    if acting:
        env.update(ACTING_AS=acting[0], ACTING_ROLES=acting[1])
    result = subprocess.run([*command, "--config", str(config), *args], capture_output=True,
                            text=True, env=env, cwd=config.parent, timeout=120,
                            stdin=subprocess.DEVNULL)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_the_readme_roles_hold_each_to_its_work(
        pg_server: Any, tmp_path: Path, write_config: Callable[..., Path]) -> None:
    import psycopg2
    from psycopg2 import errors

    server_wide, in_database, as_owner = readme_sql()
    _drop(pg_server)
    try:
        conn = pg_server.connect()
        _execute(conn, server_wide)
        conn.close()
        conn = pg_server.connect("counter")
        _execute(conn, in_database)
        conn.close()
        config = write_config(tmp_path)
        made = _cli(config, _url(pg_server, "counter_owner"), "init")
        assert made.returncode == 0, made.stderr
        owner = _as(pg_server, "counter_owner")
        _execute(owner, as_owner)
        owner.close()

        app_url = _url(pg_server, "counter_app")
        officer = ("canbo1", "officer")
        assert _cli(config, app_url, "ticket", "issue", "A", acting=officer).returncode == 0
        added = _cli(config, app_url, "dossier", "add", "--procedure", "HT-KS", "--name",
                     "Nguyễn Văn An", "--phone", "0912345678", acting=officer)
        assert added.returncode == 0, added.stderr
        found = _cli(config, app_url, "dossier", "find", "0912345678", acting=officer)
        assert found.returncode == 0, found.stderr
        verified = _cli(config, app_url, "audit", "verify", acting=("giamsat", "supervisor"))
        assert verified.returncode == 0, verified.stderr

        app = _as(pg_server, "counter_app")
        for statement in ("UPDATE audit_log SET officer = 'x'", "DELETE FROM audit_log",
                          "TRUNCATE audit_log", "DELETE FROM audit_head",
                          "CREATE TABLE extra (id int)", "DROP TABLE dossier"):
            with pytest.raises(psycopg2.Error) as denied, app.cursor() as cur:
                cur.execute(statement)
            assert isinstance(denied.value, errors.InsufficientPrivilege | errors.
                              InvalidSchemaName) or "must be owner" in str(denied.value), \
                statement
        app.close()

        # the waiting-room display opens the store and reads its board as its own role
        from counter_tui.commands.office import own_identity
        from counter_tui.config import load
        from counter_tui.services import display as display_service
        from counter_tui.services.store import open_store

        cfg = load(str(config), environ={"COUNTER_TUI_DATABASE__URL":
                                         _url(pg_server, "counter_display")})
        screen = replace(open_store(cfg), actor=own_identity(cfg, Role.DISPLAY))
        try:
            board = display_service.board(screen, 6)
        finally:
            screen.close()
        assert [w[2] for w in board.waiting if w[0] == "A"] == [1]

        display = _as(pg_server, "counter_display")
        with display.cursor() as cur:
            cur.execute("SELECT series, number, state FROM ticket")
            assert cur.fetchall() == [("A", 1, "waiting")]
        for table in ("dossier", "audit_log", "store_secret", "print_job"):
            with pytest.raises(errors.InsufficientPrivilege), display.cursor() as cur:
                cur.execute(f"SELECT * FROM {table}")
        display.close()
    finally:
        _drop(pg_server)

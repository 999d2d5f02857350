"""`counter-tui sync status | now | verify` as a technician runs them: one line or a table,
exit 0 when done and clean, 1 with the reason when the link is down or the copies differ."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.sync.common import centre_rows, make_centre
from tests.test_cli_queue import CLI, refused


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_office_that_does_not_sync_says_so(tmp_path: Path,
                                              write_config: Callable[..., Path]) -> None:
    cli = CLI(write_config(tmp_path))
    status = cli("sync", "status")
    assert status.returncode == 0
    assert "không đồng bộ" in status.stdout
    assert "[sync] url" in refused(cli("sync", "now"))
    assert "Không có bản ghi nào" in cli("sync", "conflicts").stdout
    assert cli.json("sync", "conflicts") == {"total": 0, "conflicts": []}


def test_a_link_that_is_down_is_said_and_shown(tmp_path: Path,
                                               write_config: Callable[..., Path]) -> None:
    pytest.importorskip("psycopg2")
    url = f"postgresql://counter@127.0.0.1:{_unused_port()}/centre"
    cli = CLI(write_config(tmp_path, sync={"url": url}))
    cli("ticket", "issue", "A")
    line = refused(cli("sync", "now"))
    assert line.startswith("Không nối được tới kho trung tâm") and "sync run" in line
    status = json.loads(cli("sync", "status", "--json").stdout)
    assert status["down_since"] is not None and status["centre"] == url
    assert status["configured"] and not status["enabled"]


@pytest.mark.postgres
def test_now_then_verify_clean_then_a_difference_named(tmp_path: Path,
                                                       write_config: Callable[..., Path],
                                                       pg_server: Any) -> None:
    centre_url = make_centre(pg_server)
    cli = CLI(write_config(tmp_path, sync={"url": centre_url}))
    for _ in range(3):
        cli("ticket", "issue", "B")
    done = json.loads(cli("sync", "now", "--json").stdout)
    assert done["sent"] > 0 and done["waiting"] == 0 and done["procedures"] == 0
    import sqlite3  # a failure noted earlier (another URL, a cut): verify reaching the centre
    with sqlite3.connect(tmp_path / "data" / "counter.db") as office:  # clears it
        office.execute("UPDATE sync_state SET down_since = '2026-12-01 08:00:00', "
                       "error = 'connection refused' WHERE id = 1")
    clean = cli("sync", "verify")
    assert clean.returncode == 0, clean.stdout
    assert "ticket: đơn vị 3, trung tâm 3 (1 ngày)" in clean.stdout
    centre_rows(pg_server, centre_url, "DELETE FROM ticket WHERE number = 2")
    different = cli("sync", "verify")
    assert different.returncode == 1
    assert "KHÁC ticket ngày" in different.stdout
    assert "thiếu ở trung tâm (id của dòng tại đơn vị): 2" in different.stdout
    status = json.loads(cli("sync", "status", "--json").stdout)
    assert status["waiting"] == 0 and status["down_since"] is None and status["error"] == ""


def test_the_districts_days_off_come_down_and_move_appointments(
        tmp_path: Path, write_config: Callable[..., Path], pg_server: Any) -> None:
    """A day off declared at the centre reaches the office with the next pass and its
    appointments skip it; the office cannot change the district's list (its own days are in
    config.toml), and taking the day off the list at the centre brings the dates back."""
    centre_url = make_centre(pg_server)
    (tmp_path / "centre").mkdir()
    (tmp_path / "office").mkdir()
    centre = CLI(write_config(tmp_path / "centre", database={"url": centre_url}))
    office = CLI(write_config(tmp_path / "office", sync={"url": centre_url}))

    def due() -> str:
        return str(office.json("calendar", "due", "--procedure", "HT-XNHN",
                               "--received", "2026-12-23 08:00")["due"])

    before = due()
    set_off = centre("calendar", "off", "2026-12-24", "--note", "Lễ hội làng")
    assert set_off.returncode == 0, set_off.stderr
    assert "24/12/2026 là ngày nghỉ" in set_off.stdout
    done = office("sync", "now")
    assert "nay có 1 ngày" in done.stdout, done.stdout
    assert office.json("calendar", "list") == [
        {"day": "2026-12-24", "working": False, "note": "Lễ hội làng"}]
    moved = due()
    assert moved > before and not moved.startswith("2026-12-24")
    assert "config.toml" in refused(office("calendar", "work", "2026-12-24"))
    assert centre("calendar", "clear", "2026-12-24").returncode == 0
    office("sync", "now")
    assert office.json("calendar", "list") == [] and due() == before

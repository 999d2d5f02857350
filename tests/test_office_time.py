"""Every stored, shown and printed time is the office's (`office.timezone`), whatever zone the
machine is set to: the real `counter-tui` in a child process whose machine zone is UTC (or
another one) and whose Python has no system zone data, so only the shipped `tzdata` can tell it
what Asia/Ho_Chi_Minh is."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from counter_tui.config import ConfigError
from counter_tui.core.clock import DEFAULT_TIMEZONE, OfficeClock, load_zone
from counter_tui.db.models import Dossier, Procedure, Ticket
from counter_tui.printing.decode import decode
from counter_tui.services.calendar import calendar_for
from tests.conftest import clean_env, staff_key

UTC = dt.UTC


def run(config: Path, *args: str, machine_tz: str = "UTC") -> Any:
    """`counter-tui --config config ARGS --json` on a machine set to `machine_tz`, with no
    system zone data (PYTHONTZPATH empty)."""
    result = subprocess.run(
        [sys.executable, "-m", "counter_tui", "--config", str(config), *args, "--json"],
        capture_output=True, text=True, timeout=120, cwd=config.parent,
        env=clean_env(TZ=machine_tz, PYTHONTZPATH="", COUNTER_TUI_KEY=staff_key(config)))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def office_window(zone: str) -> Callable[[], dt.datetime]:
    """The office's time now, to the second, as the store keeps it."""
    clock = OfficeClock(zone)
    return lambda: clock().replace(microsecond=0)


def minute(moment: dt.datetime) -> dt.datetime:
    """What the CLI's JSON shows of a time (to the minute)."""
    return moment.replace(second=0)


def printed_text(tmp_path: Path) -> str:
    return " ".join(decode((tmp_path / "data" / "printer.out").read_bytes()).text)


@pytest.mark.parametrize(("zone", "machine_tz"), [
    pytest.param(DEFAULT_TIMEZONE, "UTC", id="vietnam-office-on-a-utc-machine"),
    pytest.param(DEFAULT_TIMEZONE, "America/New_York", id="vietnam-office-far-machine"),
    pytest.param("Asia/Tokyo", "UTC", id="another-office-zone"),
])
def test_ticket_is_stored_shown_and_printed_in_office_time(
        tmp_path: Path, write_config: Callable[..., Path], database_url: str,
        open_test_store: Callable[..., Any], zone: str, machine_tz: str) -> None:
    config = write_config(tmp_path, database={"url": database_url},
                          office={"timezone": zone})
    now = office_window(zone)
    before = now()
    ticket = run(config, "ticket", "issue", "A", machine_tz=machine_tz)
    after = now()
    store = open_test_store(office={"timezone": zone})
    with store.read():
        row = Ticket.get()  # the only one
    # stored naive, in office time, on both engines: the machine's clock is hours away
    assert before <= row.issued_at <= after
    assert row.day == row.issued_at.date()
    # shown and printed as the officer's wall clock reads it
    assert dt.datetime.fromisoformat(ticket["issued_at"]) == minute(row.issued_at)
    assert row.issued_at.strftime("%H:%M %d/%m/%Y") in printed_text(tmp_path)


def test_a_dossier_gets_office_times_and_its_appointment_from_them(
        tmp_path: Path, write_config: Callable[..., Path], database_url: str,
        open_test_store: Callable[..., Any]) -> None:
    config = write_config(tmp_path, database={"url": database_url})
    now = office_window(DEFAULT_TIMEZONE)
    before = now()
    added = run(config, "dossier", "add", "--procedure", "HT-XNHN", "--name", "Phạm Thị Mai",
                "--phone", "0912345678")
    after = now()
    store = open_test_store()
    with store.read():
        d = Dossier.get(Dossier.code == added["code"])
        proc = Procedure.get(Procedure.code == "HT-XNHN")
    received = d.received_at
    assert before <= received <= after
    assert dt.datetime.fromisoformat(added["received"]) == minute(received)
    assert d.code.split("-")[1] == received.strftime("%y%m%d")  # the office's day
    assert received.strftime("%H:%M %d/%m/%Y") in printed_text(tmp_path)
    cutoff = dt.time.fromisoformat(proc.same_day_cutoff) if proc.same_day_cutoff else None
    due = calendar_for(store.cfg, received.date()).due_at(received, proc.processing_days, cutoff)
    assert d.due_at == due
    assert dt.datetime.fromisoformat(added["due"]) == minute(due)


def test_the_office_clock_reads_an_instant_in_the_office_zone() -> None:
    clock = OfficeClock()
    assert clock.timezone == "Asia/Ho_Chi_Minh"
    # 02:24 UTC is 09:24 in Vietnam (UTC+7, no summer time)
    assert clock.local(dt.datetime(2026, 5, 12, 2, 24, tzinfo=UTC)) == dt.datetime(
        2026, 5, 12, 9, 24)
    # and the day can differ from the machine's: 20:00 UTC is tomorrow in Vietnam
    assert clock.local(dt.datetime(2026, 12, 31, 20, 0, tzinfo=UTC)).date() == dt.date(2027, 1, 1)
    now = clock()
    assert now.tzinfo is None
    reference = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).replace(tzinfo=None)
    assert abs((reference - now).total_seconds()) < 60


@pytest.mark.parametrize("name", ["Asia/Hanoi", "UTC+7", "", "../../etc/passwd"])
def test_an_unknown_zone_is_refused(name: str) -> None:
    with pytest.raises(ValueError):
        load_zone(name)


def test_office_timezone_in_config(tmp_path: Path, make_config: Callable[..., Any]) -> None:
    assert make_config(tmp_path).office.timezone == "Asia/Ho_Chi_Minh"  # config.toml's
    assert make_config(tmp_path, office={"timezone": None}).office.timezone == DEFAULT_TIMEZONE
    assert make_config(tmp_path, office={"timezone": "Asia/Bangkok"}).office.timezone == \
        "Asia/Bangkok"
    with pytest.raises(ConfigError) as info:
        make_config(tmp_path, office={"timezone": "Asia/Hanoi"})
    assert info.value.key == "office.timezone"
    assert "Asia/Ho_Chi_Minh" in str(info.value)


def test_a_bad_zone_stops_the_cli_with_the_key_named(
        tmp_path: Path, write_config: Callable[..., Path]) -> None:
    config = write_config(tmp_path, office={"timezone": "Asia/Saigon City"})
    result = subprocess.run(
        [sys.executable, "-m", "counter_tui", "--config", str(config), "ticket", "issue", "A"],
        capture_output=True, text=True, timeout=120, env=clean_env(TZ="UTC"))
    assert result.returncode == 2
    assert "office.timezone" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)  # the log is the engine's business
def test_the_log_speaks_office_time_on_a_utc_machine(
        tmp_path: Path, write_config: Callable[..., Path], database_url: str) -> None:
    """A technician matches a log line to a ticket by its time: both in the office's zone."""
    config = write_config(tmp_path, database={"url": database_url})
    now = office_window(DEFAULT_TIMEZONE)
    before = now()
    run(config, "ticket", "issue", "A", machine_tz="UTC")
    after = now()
    stamps = [dt.datetime.strptime(line[:19], "%Y-%m-%d %H:%M:%S") for line in
              (tmp_path / "data" / "counter-tui.log").read_text(encoding="utf-8").splitlines()
              if line[:4].isdigit()]
    assert stamps and all(before <= s <= after for s in stamps), (before, stamps, after)

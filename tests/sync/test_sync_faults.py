"""Property: whatever happens to the link, the sync process and the centre's server while an
office works (a seeded random interleaving), once the link is back the centre holds exactly the
office's rows, none twice, and `sync verify` says so. On SQLite and PostgreSQL offices.

The sync process is the real `counter-tui sync run`, reaching the centre through a proxy on
127.0.0.1 that the test cuts (connections reset and refused) or stalls (connections held open,
nothing forwarded), and that the test kills with SIGKILL and starts again; the centre is its own
throwaway PostgreSQL server, also killed (immediate stop: no shutdown checkpoint) and restarted.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from counter_tui.config import load
from counter_tui.db.models import Dossier, Ticket
from counter_tui.services.store import open_store
from counter_tui.services.sync import centre, outbox
from counter_tui.services.sync.verify import verify
from tests.conftest import Clock, clean_env, sign_in_as, staff_key, start_server
from tests.sync.common import centre_rows, make_centre, work
from tests.sync.proxy import Proxy

pytestmark = pytest.mark.postgres
SEEDS = (11, 23)
STEPS = 60  # office actions per run; with the faults between them, well under a minute


@pytest.fixture
def centre_server() -> Iterator[Any]:
    # a centre keeps what it acknowledged through a crash (synchronous_commit on): with the
    # suite's fast settings a killed centre forgot its last commits, and the office, told
    # they were stored, had already let them go
    server = start_server("counter-tui-centre-", durable=True)
    try:
        yield server
    finally:
        server.stop()


def _restart(server: Any) -> None:
    """The centre's server killed (no checkpoint, like a power cut) and started again."""
    server.run("pg_ctl", "-D", str(server.data), "-m", "immediate", "-w", "stop")
    server.run("pg_ctl", "-D", str(server.data), "-l", str(server.root / "server.log"),
               "-o", server.options(), "-w", "-t", "60", "start")


class SyncProcess:
    def __init__(self, config: Path, key: str, log: Path) -> None:
        self.config, self.key, self.log = config, key, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "counter_tui", "--config", str(self.config), "sync",
                 "run"], stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                env=clean_env(COUNTER_TUI_KEY=self.key))

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.mark.parametrize("seed", SEEDS)
def test_cuts_stalls_and_kills_leave_the_centre_exactly_the_offices(
        seed: int, database_url: str, centre_server: Any, tmp_path: Path,
        write_config: Any) -> None:
    rng = random.Random(seed)
    centre_url = make_centre(centre_server, "centre")
    proxy = Proxy(centre_server.port)
    through_proxy = f"postgresql://{centre_server.user}@127.0.0.1:{proxy.port}/centre"
    config = write_config(tmp_path, database={"url": database_url},
                          sync={"url": through_proxy, "interval": 0.1, "max_backoff": 1,
                                "batch": 25, "timeout": 2})
    key = staff_key(config)
    store = open_store(load(str(config), environ={}), clock=Clock())
    sign_in_as(store, store.cfg.terminal.officer)
    sync = SyncProcess(config, key, tmp_path / "sync.log")
    sync.start()
    events: list[str] = []
    try:
        for _ in range(STEPS):
            work(store, rng, 1)
            roll = rng.random()
            if roll < 0.06:
                proxy.set("drop")
                events.append("drop")
            elif roll < 0.11:
                proxy.set("stall")
                events.append("stall")
            elif roll < 0.2:
                proxy.set("pass")
                events.append("pass")
            elif roll < 0.25:
                sync.kill()
                sync.start()
                events.append("kill")
            elif roll < 0.27:
                _restart(centre_server)
                events.append("centre")
            time.sleep(rng.random() * 0.05)
        proxy.set("pass")
        deadline = time.monotonic() + 90
        while not (outbox.state(store).enabled and outbox.waiting(store) == 0) \
                and time.monotonic() < deadline:
            time.sleep(0.3)
        log = (tmp_path / "data" / "counter-tui.log").read_text()[-3000:]
        assert outbox.state(store).enabled and outbox.waiting(store) == 0, (events, log)
    finally:
        sync.stop()
        proxy.close()
    db = centre.open_centre(centre_url)
    centre.connect(db, 10)
    try:
        report = verify(store, db)
    finally:
        centre.drop(db)
    assert report.clean, (events, report.differences)
    with store.read():
        codes = sorted(d.code for d in Dossier.select())
        tickets = Ticket.select().count()
    agency = store.cfg.office.agency_code
    assert sorted(r[0] for r in centre_rows(centre_server, centre_url,
                                            "SELECT code FROM dossier")) == codes
    assert centre_rows(centre_server, centre_url, "SELECT count(*) FROM ticket WHERE origin = %s",
                       agency)[0][0] == tickets
    store.close()

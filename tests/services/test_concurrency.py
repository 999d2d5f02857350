"""Several terminals on one store at the same moment (both engines): ticket numbers and dossier
codes never repeat or skip, and two counters never call the same citizen.

Each terminal is a real OS process (`python -c`) with its own connection. They open the store,
say "ready", and wait on stdin; the test releases them all at once, so their transactions
really do collide.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from counter_tui.db.models import Dossier, PrintJob, Sequence, Ticket, TicketEvent
from tests.conftest import clean_env
from tests.services.test_queue import waiting
from tests.tickets import hand_out

TERMINAL = r"""
import datetime as dt, json, sys
from counter_tui.config import load
from counter_tui.services import queue
from counter_tui.core.roles import Actor, Role
from counter_tui.services.store import open_store

path, action, arg, count, now = sys.argv[1:6]
moment = dt.datetime.fromisoformat(now)
store = open_store(load(path, environ={}), clock=lambda: moment, seed=False)
store.sign_in(Actor("canbo1", "Cán bộ", frozenset({Role.OFFICER})))  # a terminal's officer
if action == "call":
    store = store.as_terminal(int(arg), f"canbo{arg}")
print("ready", flush=True)
sys.stdin.readline()
codes, errors = [], []
for _ in range(int(count)):
    try:
        if action == "issue":
            codes.append(queue.issue(store, arg).ticket.code)
        elif action == "dossier":
            from counter_tui.core.intake import DocumentLine, DossierDraft
            from counter_tui.services import intake
            draft = DossierDraft(procedure_code=arg, applicant_name="Nguyễn Văn An",
                                 phone="0912345678", documents=[DocumentLine("Tờ khai", 1, 0)])
            codes.append(intake.receive(store, draft).dossier.code)
        else:
            ticket = queue.call_next(store, int(arg))
            codes.append(ticket.code if ticket else None)
    except Exception as exc:
        errors.append(f"{type(exc).__name__}: {exc}")
print(json.dumps({"codes": codes, "errors": errors}), flush=True)
"""


def run_terminals(config: Path, now: Any, jobs: list[tuple[str, str, int]]) -> list[list[Any]]:
    """Start one process per (action, argument, count), release them together, return what
    each one got; fail on any error in any of them."""
    procs = [
        subprocess.Popen([sys.executable, "-c", TERMINAL, str(config), action, arg, str(count),
                          now.isoformat()],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, env=clean_env(), cwd=config.parent)
        for action, arg, count in jobs
    ]
    try:
        for proc in procs:
            assert proc.stdout is not None and proc.stdin is not None
            line = proc.stdout.readline()
            if line.strip() != "ready":
                proc.kill()
                raise AssertionError(f"terminal did not start: {line!r} {proc.stderr.read()}")
        for proc in procs:  # the start barrier: every terminal is waiting on this line
            proc.stdin.write("go\n")  # type: ignore[union-attr]
            proc.stdin.flush()  # type: ignore[union-attr]
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            assert "Traceback" not in err, err
            result = json.loads(out.strip().splitlines()[-1])
            assert result["errors"] == [], result["errors"]
            results.append(result["codes"])
        return results
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def test_four_terminals_issue_two_hundred_numbers(
        open_test_store: Callable[..., Any], write_config: Callable[..., Path],
        database_url: str, tmp_path: Path) -> None:
    store = open_test_store()  # migrated before the terminals start
    config = write_config(tmp_path, database={"url": database_url})
    results = run_terminals(config, store.clock.now, [("issue", "A", 50)] * 4)

    assert [len(r) for r in results] == [50, 50, 50, 50]
    codes = [code for r in results for code in r]
    assert sorted(codes) == [f"A{n:03d}" for n in range(1, 201)], "gaps or duplicates"
    for r in results:  # each terminal saw its own numbers rise
        assert r == sorted(r)
    with store.read():
        numbers = [t.number for t in Ticket.select().where(Ticket.series == "A")]
        assert sorted(numbers) == list(range(1, 201))
        assert Sequence.get(Sequence.scope == "ticket:A").value == 200
        assert PrintJob.select().count() == 200
        assert TicketEvent.select().where(TicketEvent.action == "issue").count() == 200
        assert Ticket.select().where(Ticket.state == "printing").count() == 200
    assert waiting(store, "A") == 0  # in the queue once their slips are out


def test_two_counters_never_call_the_same_ticket(
        open_test_store: Callable[..., Any], write_config: Callable[..., Path],
        database_url: str, tmp_path: Path) -> None:
    store = open_test_store()
    for _ in range(50):
        hand_out(store, "B")  # counters 1 and 2 both call group B
    config = write_config(tmp_path, database={"url": database_url})
    first, second = run_terminals(config, store.clock.now,
                                  [("call", "1", 25), ("call", "2", 25)])

    assert None not in first and None not in second
    assert len(set(first) | set(second)) == 50, set(first) & set(second)
    assert sorted(first + second) == [f"B{n:03d}" for n in range(1, 51)]
    with store.read():
        calls = [e.ticket_id for e in TicketEvent.select().where(TicketEvent.action == "call")]
        assert sorted(calls) == sorted(set(calls)) and len(calls) == 50
        states = {s: Ticket.select().where(Ticket.state == s).count()
                  for s in ("waiting", "called", "done")}
        assert states == {"waiting": 0, "called": 2, "done": 48}
        by_counter = {c: Ticket.select().where(Ticket.counter == c).count() for c in (1, 2)}
        assert by_counter == {1: 25, 2: 25}


def test_four_terminals_receive_a_hundred_dossiers(
        open_test_store: Callable[..., Any], write_config: Callable[..., Path],
        database_url: str, tmp_path: Path) -> None:
    store = open_test_store()
    config = write_config(tmp_path, database={"url": database_url})
    results = run_terminals(config, store.clock.now, [("dossier", "HT-KS", 25)] * 4)

    day = store.clock.now.strftime("%y%m%d")
    agency = store.cfg.office.agency_code
    codes = [code for r in results for code in r]
    assert sorted(codes) == [f"{agency}-{day}-{n:04d}" for n in range(1, 101)], \
        "gaps or duplicates"
    with store.read():
        assert Dossier.select().count() == 100
        assert PrintJob.select().where(PrintJob.kind == "receipt").count() == 100

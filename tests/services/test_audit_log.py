"""The audit log on both engines: a chain that `verify` proves intact and that shows any entry
edited, deleted, moved or cut off; one order when terminals append at once; no searched ID
number, phone or name in it; `entries` for a supervisor; the ID number in full only on purpose."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from counter_tui.core import audit_chain
from counter_tui.core.intake import DocumentLine, DossierDraft
from counter_tui.core.roles import Actor, Role
from counter_tui.db.models import AuditHead, AuditLog
from counter_tui.services import audit, dossiers, intake, lifecycle, lookup
from counter_tui.services.authority import NotAllowed
from tests.conftest import clean_env

CCCD, PHONE, NAME = "001090012345", "0912345678", "Nguyễn Văn An"


def actor(*roles: Role, username: str = "giamsat") -> Actor:
    return Actor(username, "Người kiểm tra", frozenset(roles))


def receive(store: Any, name: str = NAME, id_number: str = CCCD, phone: str = PHONE) -> str:
    draft = DossierDraft(procedure_code="HT-KS", applicant_name=name, id_number=id_number,
                         phone=phone, documents=[DocumentLine("Tờ khai", 1, 0)])
    return intake.receive(store, draft).dossier.code


@pytest.fixture
def logged(store: Any) -> Any:
    """A store with a few entries of every kind, and a supervisor acting on it."""
    code = receive(store)
    lookup.find(store, CCCD)
    lookup.find(store, PHONE)
    lookup.find(store, "nguyen van an")
    dossiers.show(store, code)
    lifecycle.handover(store, code, to_unit="Công chức Tư pháp - Hộ tịch",
                       received_by="Lê Văn Hùng", given_by="Trần Thị Lan")
    store.actor = actor(Role.SUPERVISOR)
    return store


def rows(store: Any) -> list[Any]:
    with store.read():
        return list(AuditLog.select().order_by(AuditLog.id))


def received(store: Any) -> str:
    return str(next(r.subject for r in rows(store) if r.action == "receive"))


def sql(store: Any, statement: str, *params: Any) -> None:
    with store.write():
        store.db.execute_sql(statement.replace("?", store.db.param), params)


def test_an_untouched_log_verifies(logged: Any) -> None:
    verdict = audit.verify(logged)
    entries = rows(logged)
    assert verdict.intact and verdict.first_break is None
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert verdict.count == len(entries) - 1  # the check itself is recorded after it
    assert entries[-1].action == "audit:verify" and entries[-1].subject == "ok"
    assert audit.verify(logged).intact  # and the chain goes on from it


@pytest.mark.parametrize("column,value", [("subject", "261201-0001"), ("officer", "ai_do"),
                                          ("action", "view"), ("at", "2026-05-12 07:59:00"),
                                          ("counter", 3), ("dossiers", "")])
def test_an_edited_entry_is_named(logged: Any, column: str, value: Any) -> None:
    target = rows(logged)[3]
    sql(logged, f"UPDATE audit_log SET {column} = ? WHERE id = ?", value, target.id)
    broken = audit.verify(logged).first_break
    assert broken is not None and (broken.id, broken.reason) == (target.id, "edited")


def test_an_entry_rewritten_with_its_own_hash_breaks_the_next_link(logged: Any) -> None:
    """Whoever edits an entry and recomputes its hash still breaks the link of the next."""
    target, after = rows(logged)[2:4]
    forged = audit_chain.entry_hash(target.prev_hash, target.seq, target.at, target.officer,
                                    target.counter, target.action, "khác", target.dossiers)
    sql(logged, "UPDATE audit_log SET subject = ?, hash = ? WHERE id = ?", "khác", forged,
        target.id)
    broken = audit.verify(logged).first_break
    assert broken is not None and (broken.id, broken.reason) == (after.id, "edited")


def test_a_deleted_entry_is_found(logged: Any) -> None:
    gone, after = rows(logged)[2:4]
    sql(logged, "DELETE FROM audit_log WHERE id = ?", gone.id)
    broken = audit.verify(logged).first_break
    assert broken is not None and (broken.id, broken.reason) == (after.id, "out_of_place")


def test_reordered_entries_are_found(logged: Any) -> None:
    """Two entries swapped in the table (every column but the row id): the first one out of
    its place is named."""
    a, b = rows(logged)[1:3]
    columns = ("at", "officer", "counter", "action", "subject", "seq", "prev_hash", "hash",
               "dossiers")
    sql(logged, "UPDATE audit_log SET seq = -seq WHERE id IN (?, ?)", a.id, b.id)
    for row, other in ((a, b), (b, a)):
        sets = ", ".join(f"{c} = ?" for c in columns)
        sql(logged, f"UPDATE audit_log SET {sets} WHERE id = ?",
            *(getattr(other, c) for c in columns), row.id)
    broken = audit.verify(logged).first_break
    assert broken is not None and (broken.id, broken.reason) == (a.id, "out_of_place")


def test_entries_cut_off_the_end_are_found(logged: Any) -> None:
    last = rows(logged)[-1]
    sql(logged, "DELETE FROM audit_log WHERE id = ?", last.id)
    broken = audit.verify(logged).first_break
    assert broken is not None and (broken.id, broken.seq, broken.reason) == (None, last.seq,
                                                                             "cut")


def test_verify_and_entries_are_for_a_supervisor(logged: Any) -> None:
    for roles in ((Role.OFFICER,), (Role.TECHNICIAN,)):
        logged.actor = actor(*roles, username="x")
        with pytest.raises(NotAllowed):
            audit.verify(logged)
        with pytest.raises(NotAllowed):
            audit.entries(logged)
    logged.actor = None
    with pytest.raises(NotAllowed):
        audit.verify(logged)


def test_no_search_or_step_puts_personal_data_in_the_log(logged: Any) -> None:
    code = received(logged)
    lifecycle.result_ready(logged, code, given_by="Lê Văn Hùng",
                           received_by="Trần Thị Lan")
    lifecycle.return_result(logged, code, collected_by="Trần Thị Bích", id_number="079190000123")
    lookup.find(logged, "079190000123")
    lookup.find(logged, "+84 912 345 678")
    text = json.dumps([[str(getattr(r, c)) for c in ("officer", "action", "subject", "dossiers")]
                       for r in rows(logged)], ensure_ascii=False).lower()
    for secret in (CCCD, PHONE, "912345678", "079190000123", "nguyen", "nguyễn", "van an",
                   "bích", "bich"):
        assert secret not in text
    finds = [r for r in rows(logged) if r.action.startswith("find:")]
    assert {r.action for r in finds} == {"find:id", "find:phone", "find:name"}
    assert all(len(r.subject) == 16 for r in finds)
    assert all(code in r.dossiers.split() for r in finds if r.subject != audit.searched(
        logged, "id", "079190000123"))


def test_every_look_and_change_is_recorded(logged: Any) -> None:
    code = received(logged)
    assert [(r.action, r.subject) for r in rows(logged) if r.subject == code] == [
        ("receive", code), ("view", code), ("step:handover", code)]


def test_entries_by_officer_dossier_day_and_searched_value(logged: Any) -> None:
    code = received(logged)
    second = replace(logged, counter=2, actor=actor(Role.OFFICER, username="canbo2"))
    other = receive(second, name="Lê Thị Hoa", id_number="",
                    phone="0987654321")
    about = audit.entries(logged, dossier=code)
    # viewed, changed, and returned by the three searches: newest first
    assert [e.action for e in about] == ["step:handover", "view", "find:name", "find:phone",
                                         "find:id", "receive"]
    assert {e.officer for e in audit.entries(logged, officer="canbo2")} == {"canbo2"}
    assert [e.subject for e in audit.entries(logged, officer="canbo2")] == [other]
    assert [e.action for e in audit.entries(logged, searched_for=("id", CCCD))] == ["find:id"]
    assert audit.entries(logged, searched_for=("phone", "0900000000")) == []
    day = logged.now().date()
    assert audit.entries(logged, start=day, end=day)
    logged.clock.advance(days=1)
    assert audit.entries(logged, start=logged.now().date()) == []
    # the look is recorded after it is answered: the next one finds it
    assert [(e.action, e.officer) for e in audit.entries(logged, start=logged.now().date())] \
        == [("audit:show", "giamsat")]


def test_the_id_number_in_full_is_asked_for_and_recorded(logged: Any) -> None:
    code = received(logged)
    assert dossiers.show(logged, code).id_number_masked != CCCD
    logged.actor = actor(Role.TECHNICIAN, username="kythuat")
    with pytest.raises(NotAllowed):
        dossiers.reveal_id(logged, code)
    logged.actor = actor(Role.OFFICER, username="canbo1")
    assert dossiers.reveal_id(logged, code) == CCCD
    last = rows(logged)[-1]
    assert (last.action, last.subject, last.officer) == ("show_id", code, "canbo1")
    assert CCCD not in last.dossiers


def test_the_migration_hashes_as_the_core_does() -> None:
    """0009 chained the entries written before it with its own frozen copy of the hash."""
    import importlib.util

    from counter_tui.db.connection import MIGRATIONS

    spec = importlib.util.spec_from_file_location("m0009", MIGRATIONS / "0009_audit_chain.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for args in (("0" * 64, 1, "2026-05-12 08:00:00", "canbo1", 1, "view", "H56-1", ""),
                 ("ab" * 32, 7, "2026-05-12T08:00:00.5", "cán bộ", None, "find:name", "x",
                  "A B")):
        assert module.entry_hash(*args) == audit_chain.entry_hash(*args)


def test_a_missing_head_is_made_again_from_the_last_entry(logged: Any) -> None:
    sql(logged, "DELETE FROM audit_head")
    lookup.find(logged, "mai")
    with logged.read():
        assert AuditHead.get_by_id(1).seq == AuditLog.select().count()
    assert audit.verify(logged).intact


APPENDER = r"""
import sys
from counter_tui.config import load
from counter_tui.core.roles import Actor, Role
from counter_tui.services import lookup
from counter_tui.services.store import open_store

path, count, counter = sys.argv[1:4]
store = open_store(load(path, environ={}), seed=False).as_terminal(int(counter), "canbo" + counter)
store.sign_in(Actor("canbo" + counter, "Cán bộ", frozenset({Role.OFFICER})))
print("ready", flush=True)
sys.stdin.readline()
for i in range(int(count)):
    lookup.find(store, "nguyen van an" if i % 2 else "0912345678")
print("done", flush=True)
"""


def test_terminals_appending_at_once_keep_one_chain(
        store: Any, tmp_path: Path, write_config: Callable[..., Path], database_url: str) -> None:
    """Three terminals (real processes) searching at the same moment: every entry has its own
    number, in commit order, and the chain verifies."""
    receive(store)
    config = write_config(tmp_path, database={"url": database_url})
    procs = [subprocess.Popen([sys.executable, "-c", APPENDER, str(config), "40", str(n)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=clean_env(),
                              cwd=tmp_path) for n in (1, 2, 3)]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", \
            proc.stderr.read() if proc.stderr else ""
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, err = proc.communicate(timeout=180)
        assert proc.returncode == 0 and "done" in out, err
    entries = rows(store)
    finds = [e for e in entries if e.action.startswith("find:")]
    assert len(finds) == 120
    assert {e.counter for e in finds} == {1, 2, 3}
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    store.actor = actor(Role.ADMINISTRATOR)
    assert audit.verify(store).intact


def test_entries_written_before_the_chain_are_chained_by_its_migration(
        empty_database_url: str) -> None:
    """A store upgraded from before 0009: its audit entries, oldest first, become the first
    links of the chain, and the next entry follows them."""
    from playhouse.migrations import Runner

    from counter_tui.db import connection

    db = connection.connect(empty_database_url)
    try:
        with db.connection_context():
            Runner(db, str(connection.MIGRATIONS)).up(target="0008_accounts")
            for n, (action, subject) in enumerate([("find:id", "x"), ("view", "H56-1"),
                                                   ("history", "H56-1")]):
                db.execute_sql("INSERT INTO audit_log (at, officer, counter, action, subject) "
                               "VALUES (?, ?, ?, ?, ?)".replace("?", db.param),
                               (f"2026-05-1{n} 08:00:00", "canbo1", n or None, action,
                                subject))
        names = sorted(p.stem for p in connection.MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))
        assert connection.migrate(db) == names[names.index("0008_accounts") + 1:]
        with db.connection_context():
            chain = list(audit._chain())
            head = AuditHead.get_by_id(1)
        verdict = audit_chain.verify(chain, head.seq, head.hash)
        assert verdict.intact and [e.seq for e in chain] == [1, 2, 3]
        assert [e.action for e in chain] == ["find:id", "view", "history"]
        assert chain[0].prev_hash == audit_chain.GENESIS and head.hash == chain[-1].hash
    finally:
        connection.close(db)
        connection.database.initialize(None)


def test_opening_a_worklist_is_recorded_its_refresh_is_not(logged: Any) -> None:
    from counter_tui.services import worklists

    code = received(logged)
    listed = worklists.worklist(logged, "due_today")  # received today, due today: HT-KS
    worklists.worklist(logged, "due_today", audited=False)
    entries = [r for r in rows(logged) if r.action.startswith("worklist:")]
    assert [(e.action, e.dossiers.split()) for e in entries] == [
        ("worklist:due_today", [i.code for i in listed.items])]
    assert code in entries[0].dossiers.split()

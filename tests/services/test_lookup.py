"""Finding dossiers, on both engines: a name by any of its words in any position (diacritics
ignored), part of a dossier code, and the engines' text indexes kept in step with every way a
dossier is written, including the rows a store held before the index existed."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from playhouse.migrations import Runner

from counter_tui.core.text import fold
from counter_tui.db import connection, search
from counter_tui.db.models import AuditLog, Dossier
from counter_tui.services import history, intake, lookup
from tests.conftest import sign_in_as
from tests.services.test_intake import AGENCY, draft

NAMES = ["Phạm Thị Mai", "Nguyễn Văn An", "Trần Văn Anh", "Lê Mai Hương",
         "Đặng Thị Hồng Nhung", "Vàng A Páo", "Phạm Văn An", "Hoàng Văn Nam"]


def receive_all(store: Any, names: list[str]) -> dict[str, str]:
    """Receive one dossier per name, a minute apart; name -> code."""
    codes = {}
    for name in names:
        store.clock.advance(minutes=1)
        d = intake.receive(store, draft(applicant_name=name, id_number="")).dossier
        codes[name] = d.code
    return codes


def names(store: Any, text: str, page: int = 0) -> list[str]:
    result = lookup.find(store, text, page=page)
    assert result.kind == "name"
    return [s.applicant_name for s in result.items]


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("mai", ["Lê Mai Hương", "Phạm Thị Mai"], id="given-name"),
    pytest.param("nhung", ["Đặng Thị Hồng Nhung"], id="last-of-four-words"),
    pytest.param("hong", ["Đặng Thị Hồng Nhung"], id="a-middle-word"),
    pytest.param("van an", ["Phạm Văn An", "Trần Văn Anh", "Nguyễn Văn An"], id="two-words"),
    # any order; only the last word may be cut short ("an" is not "Anh" here)
    pytest.param("an van", ["Phạm Văn An", "Nguyễn Văn An"], id="any-order"),
    pytest.param("mai pham", ["Phạm Thị Mai"], id="any-order-given-name-first"),
    pytest.param("pham an", ["Phạm Văn An"], id="words-apart"),
    pytest.param("nguyen van a", ["Nguyễn Văn An"], id="last-word-typed-in-part"),
    pytest.param("PHẠM THỊ MAI", ["Phạm Thị Mai"], id="capitals-and-marks"),
    pytest.param(unicodedata.normalize("NFD", "phạm thị mai"), ["Phạm Thị Mai"], id="nfd"),
    pytest.param("dang", ["Đặng Thị Hồng Nhung"], id="d-for-đ"),
    pytest.param("đặng", ["Đặng Thị Hồng Nhung"], id="đ"),
    pytest.param("  hoang   -  nam ", ["Hoàng Văn Nam"], id="spaces-and-dash"),
    pytest.param("a", ["Phạm Văn An", "Vàng A Páo", "Trần Văn Anh", "Nguyễn Văn An"],
                 id="one-letter-as-typed"),
    # a word is matched from its start, never from inside another word
    pytest.param("hung", [], id="not-inside-nhung"),
    pytest.param("ai", [], id="not-inside-mai"),
    # every word but the last is a whole word
    pytest.param("va an", [], id="first-word-whole"),
    pytest.param("mai tran", [], id="last-word-not-there"),
    pytest.param("le mai huong x", [], id="extra-word"),
    pytest.param("-", [], id="no-word"),
    pytest.param('"mai" OR pham*', [], id="query-syntax-is-text"),
])
def test_a_name_is_found_by_any_of_its_words(store: Any, text: str,
                                             expected: list[str]) -> None:
    receive_all(store, NAMES)
    assert names(store, text) == expected  # newest first


def test_each_search_is_audited_without_the_text_changed(store: Any) -> None:
    receive_all(store, NAMES[:2])
    lookup.find(store, "Phạm Thị MAI")
    with store.read():
        entry = AuditLog.select().order_by(AuditLog.id.desc()).get()
    assert (entry.action, entry.subject) == ("find:name", "pham thi mai")


def test_many_matches_page_newest_first(store: Any) -> None:
    receive_all(store, [f"Nguyễn Thị Mai {chr(65 + i % 26)}" for i in range(30)]
                + ["Trần Văn Bình"] * 3)
    pages = [lookup.find(store, "mai", page=n) for n in range(3)]
    assert [len(p.items) for p in pages] == [20, 10, 0]
    assert [p.has_more for p in pages] == [True, False, False]
    with store.read():
        expected = [d.code for d in Dossier.select(Dossier.code)
                    .where(Dossier.applicant_name.startswith("Nguyễn Thị Mai"))
                    .order_by(Dossier.id.desc())]
    assert [s.code for p in pages for s in p.items] == expected


@pytest.mark.parametrize("recent", [3, 50, 4000])
def test_pages_are_the_same_whichever_way_postgresql_reads_them(
        store: Any, monkeypatch: pytest.MonkeyPatch, recent: int) -> None:
    """On PostgreSQL a page is read from the newest dossiers when they hold it, else from the
    GIN index (lookup.RECENT); either way the same dossiers, newest first."""
    monkeypatch.setattr(lookup, "RECENT", recent)
    # with 50 in view, pages 1 and 2 come from the newest dossiers and page 3 from the index
    receive_all(store, ["Lê Văn Tám"] * 5
                + [f"Nguyễn Thị Mai {chr(65 + i % 26)}" for i in range(45)])
    with store.read():
        newest = [(d.code, d.applicant_name)
                  for d in Dossier.select().order_by(Dossier.id.desc())]
    mai = [code for code, name in newest if "Mai" in name]
    tam = [code for code, name in newest if "Tám" in name]
    pages = [lookup.find(store, "mai", page=n) for n in range(3)]
    assert [s.code for p in pages for s in p.items] == mai
    assert [p.has_more for p in pages] == [True, True, False]
    assert [s.code for s in lookup.find(store, "le tam").items] == tam
    assert lookup.find(store, "le mai").items == ()


def test_the_index_follows_a_changed_name_a_deleted_dossier_and_an_import(
        store: Any, tmp_path: Path) -> None:
    codes = receive_all(store, ["Phạm Thị Mai", "Lê Văn Tám"])
    with store.write():
        Dossier.update(applicant_name="Phạm Thị Mai Anh",
                       applicant_folded=fold("Phạm Thị Mai Anh")).where(
            Dossier.code == codes["Phạm Thị Mai"]).execute()
        Dossier.delete().where(Dossier.code == codes["Lê Văn Tám"]).execute()
    assert names(store, "mai anh") == ["Phạm Thị Mai Anh"]
    assert names(store, "tam") == []
    csv = tmp_path / "old.csv"
    csv.write_text(
        "code,office,procedure_code,channel,level,applicant_name,received_at,due_at,"
        "resolved_at,returned_at,status\n"
        f"{AGENCY}-250310-0001,{AGENCY},HT-KS,walk_in,,Đỗ Thị Mai,2025-03-10 08:30,"
        "2025-03-10 17:00,2025-03-10 10:00,2025-03-10 11:00,10\n", encoding="utf-8")
    assert history.import_csv(store, csv).added == 1
    assert names(store, "mai") == ["Đỗ Thị Mai", "Phạm Thị Mai Anh"]  # stored last: first
    if connection.is_sqlite(store.db):
        with store.read():  # the FTS5 index agrees with its content table, row for row
            store.db.execute_sql(
                f"INSERT INTO {search.NAME_SEARCH} ({search.NAME_SEARCH}, rank) "
                "VALUES ('integrity-check', 1)")


def test_rows_stored_before_the_index_are_found(empty_database_url: str, make_config: Any,
                                                tmp_path: Path, clock: Any) -> None:
    """Migration 0006 on a store that already holds dossiers (an office upgrading)."""
    from counter_tui.services.store import open_store

    db = connection.connect(empty_database_url)
    try:
        with db.connection_context():
            Runner(db, str(connection.MIGRATIONS)).up(target="0005_worklist_indexes")
            db.execute_sql("INSERT INTO office (code, name, address) VALUES "
                           f"('{AGENCY}', 'UBND', '')")
            for i, name in enumerate(["Phạm Thị Mai", "Nguyễn Văn An", "Lê Thị Hồng"], 1):
                db.execute_sql(
                    "INSERT INTO dossier (code, office_id, procedure_code, procedure_name, "
                    "field, channel, level, status, applicant_name, applicant_folded, "
                    "id_number, id_kind, phone, address, email, representative, "
                    "representative_id, sets, fee_vnd, received_at, return_method, waybill, "
                    "postal_charge_vnd, delivery_address, portal_code, vneid, paid_online, "
                    "officer, note, holder, collected_by, collected_id, return_waybill) "
                    "VALUES (%s, 1, 'HT-KS', 'x', 'x', 'walk_in', '', 2, %s, %s, '', '', '', "
                    "'', '', '', '', 1, 0, %s, 'counter', '', 0, '', '', %s, %s, 'canbo1', "
                    "'', '', '', '', '')".replace("%s", "?" if connection.is_sqlite(db)
                                                   else "%s"),
                    (f"{AGENCY}-260511-{i:04d}", name, fold(name), f"2026-05-11 0{i}:00:00",
                     False, False))
    finally:
        connection.close(db)
        connection.database.initialize(None)
    store = sign_in_as(open_store(make_config(tmp_path, database={"url": empty_database_url}),
                                  clock=clock, seed=False), "canbo1")
    try:
        assert names(store, "mai") == ["Phạm Thị Mai"]
        assert names(store, "thi") == ["Lê Thị Hồng", "Phạm Thị Mai"]
        assert [s.code for s in lookup.find(store, "260511-3").items] == [
            f"{AGENCY}-260511-0003"]
    finally:
        store.close()
        connection.database.initialize(None)


# -- part of a code -------------------------------------------------------------------------


@pytest.fixture
def two_offices(store: Any, tmp_path: Path) -> dict[str, str]:
    """Two dossiers received here on 1 Dec 2026 (0001, 0002), and one of another office with the
    same day and number (imported), received earlier that morning."""
    store.clock.now = dt.datetime(2026, 12, 1, 8, 30)
    here = [intake.receive(store, draft(applicant_name=n)).dossier.code
            for n in ("Phạm Thị Mai", "Nguyễn Văn An")]
    csv = tmp_path / "other.csv"
    other = "000.17.22.H99-261201-0002"
    csv.write_text(
        "code,office,procedure_code,channel,level,applicant_name,received_at,due_at,"
        "resolved_at,returned_at,status\n"
        f"{other},000.17.22.H99,HT-KS,walk_in,,Lê Văn Tám,2026-12-01 07:30,"
        "2026-12-01 17:00,,,2\n", encoding="utf-8")
    assert history.import_csv(store, csv).added == 1
    return {"0001": here[0], "0002": here[1], "other": other}


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("261201-0002", ["0002", "other"], id="day-and-number"),
    pytest.param(" 261201 - 0002\r\n", ["0002", "other"], id="spaces-and-enter"),
    pytest.param("261201-2", ["0002", "other"], id="number-without-zeros"),
    pytest.param("-261201-0002", ["0002", "other"], id="leading-dash"),
    pytest.param("H56-261201-0002", ["0002"], id="end-of-agency"),
    pytest.param("h56-261201-2", ["0002"], id="lower-case-no-zeros"),
    pytest.param("22.H99-261201-0002", ["other"], id="the-other-office"),
    pytest.param(".H99-261201-0002", ["other"], id="agency-part-from-a-dot"),
    pytest.param(f"{AGENCY}-261201-0002", ["0002"], id="whole-code"),
    pytest.param("261201-0001", ["0001"], id="first"),
    pytest.param("261201-0003", [], id="no-such-number"),
    pytest.param("261202-0001", [], id="another-day"),
])
def test_part_of_a_code_finds_its_dossiers(store: Any, two_offices: dict[str, str], text: str,
                                           expected: list[str]) -> None:
    result = lookup.find(store, text)
    assert result.kind == "code"
    assert [s.code for s in result.items] == [two_offices[k] for k in expected]


@pytest.mark.parametrize(("text", "kind", "key"), [
    pytest.param("261201-0002", "code_part", "-261201-0002", id="day-and-number"),
    pytest.param("H56-261201-0002", "code", "H56-261201-0002", id="shaped-like-a-code"),
    pytest.param("261301-0002", "phone", "2613010002", id="no-13th-month-so-a-phone"),
    pytest.param("261201-0000", "phone", "2612010000", id="number-0"),
    pytest.param("0912-345-678", "phone", "0912345678", id="phone-with-dashes"),
    pytest.param("0912 345 678", "phone", "0912345678", id="phone-with-spaces"),
    pytest.param("+84 912 345 678", "phone", "0912345678", id="international"),
    pytest.param("001203004567", "id", "001203004567", id="cccd"),
    pytest.param("261201", "name", "261201", id="a-day-alone-is-not-a-code"),
    pytest.param("Phạm Thị Mai", "name", "pham thi mai", id="name"),
])
def test_what_a_text_is_taken_for(text: str, kind: str, key: str) -> None:
    assert lookup.classify(text) == (kind, key)


def test_a_phone_typed_like_a_code_part_is_still_found(store: Any) -> None:
    """"091201-5678" could be the 5678th dossier of 1 Dec 2009; there is none, so it is the
    phone 0912015678."""
    d = intake.receive(store, draft(phone="0912015678")).dossier
    result = lookup.find(store, "091201-5678")
    assert (result.kind, [s.code for s in result.items]) == ("phone", [d.code])


def _plan(store: Any, query: Any) -> str:
    sql, params = query.sql()
    with store.read():
        if connection.is_sqlite(store.db):
            rows = store.db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
            return " | ".join(str(r[-1]) for r in rows)
        cursor = store.db.cursor()
        # a tiny table: ask whether the planner CAN read the index (a bitmap scan), not whether
        # it would rather read three rows
        cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
        try:
            cursor.execute("EXPLAIN " + sql, params)
            return " | ".join(r[0] for r in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_seqscan; RESET enable_indexscan")


@pytest.mark.parametrize(("kind", "key", "index"), [
    pytest.param("name", "pham thi mai", search.NAME_SEARCH, id="name"),
    pytest.param("code_part", "-261201-0002", search.CODE_TAIL, id="code-part"),
])
def test_lookups_read_the_engines_index(store: Any, kind: str, key: str, index: str) -> None:
    """The query's expression is the index's own, so the engine can use it (no table scan)."""
    receive_all(store, NAMES[:3])
    plan = _plan(store, lookup._query(store, kind, key, 0, 21))
    assert index in plan, plan
    assert not re.search(r"SCAN dossier(?!_)|Seq Scan", plan), plan


def test_an_empty_query_finds_nothing_and_reads_nothing(store: Any) -> None:
    receive_all(store, NAMES[:1])
    for text in ("", "   ", "\r\n", "- . -"):
        assert lookup.find(store, text).items == ()

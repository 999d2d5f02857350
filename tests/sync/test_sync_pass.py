"""A sync pass from an office (SQLite and PostgreSQL) to a real PostgreSQL centre: capture,
sending, idempotent apply, verify, and what comes down."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from counter_tui.core.errors import UserError
from counter_tui.db.models import Dossier, Officer, Procedure, SyncOutbox, Ticket
from counter_tui.services import queue
from counter_tui.services.sync import apply, centre, outbox, runner
from counter_tui.services.sync.verify import verify
from tests.sync.common import centre_rows, make_centre, receive, work

pytestmark = pytest.mark.postgres


@pytest.fixture
def centre_url(pg_server: Any) -> Iterator[str]:
    url = make_centre(pg_server)
    yield url
    pg_server.drop_database(url.rsplit("/", 1)[1])


@pytest.fixture
def office(open_test_store: Callable[..., Any], centre_url: str) -> Any:
    return open_test_store(sync={"url": centre_url})


def _pass(store: Any) -> runner.PassResult:
    link = runner.Link(store)
    try:
        return link.run_pass()
    finally:
        link.close()


def _verify(store: Any) -> Any:
    db = centre.open_centre(store.cfg.sync.url)
    centre.connect(db, 10)
    try:
        return verify(store, db)
    finally:
        centre.drop(db)


def test_nothing_is_noted_until_the_office_first_syncs(office: Any) -> None:
    queue.issue(office, "A")
    assert outbox.waiting(office) == 0
    noted = outbox.enable(office)
    assert noted >= 2  # the office's row and the ticket, at least: its history goes up too
    queue.issue(office, "A")
    with office.read():
        tables = [e.tbl for e in SyncOutbox.select().order_by(SyncOutbox.seq)]
    assert tables[0] == "office"
    assert {"ticket", "ticket_event", "print_job"} <= set(tables[noted:])  # the new ticket's


def test_an_offices_work_reaches_the_centre_once_and_verifies(office: Any, pg_server: Any,
                                                              centre_url: str) -> None:
    rng = random.Random(5)
    work(office, rng, 30)
    first = _pass(office)
    assert first.sent > 0 and first.waiting == 0
    work(office, rng, 20)
    second = _pass(office)
    assert second.waiting == 0
    assert _pass(office).sent == 0
    with office.read():
        dossiers = {d.code for d in Dossier.select()}
        tickets = Ticket.select().count()
    assert {r[0] for r in centre_rows(pg_server, centre_url, "SELECT code FROM dossier")} \
        == dossiers
    agency = office.cfg.office.agency_code
    assert centre_rows(pg_server, centre_url, "SELECT count(*) FROM ticket WHERE origin = %s",
                       agency)[0][0] == tickets
    report = _verify(office)
    assert report.clean, report.differences
    assert report.audit_entries > 0


def test_a_batch_applied_twice_changes_nothing(office: Any, pg_server: Any,
                                               centre_url: str) -> None:
    rng = random.Random(9)
    work(office, rng, 15)
    outbox.enable(office)
    changes = outbox.read_batch(office, 1000)
    db = centre.open_centre(centre_url)
    centre.connect(db, 10)
    try:
        agency = office.cfg.office.agency_code
        first = apply.apply(db, agency, changes, office.now())
        snapshot = centre_rows(pg_server, centre_url, "SELECT tbl, local_id, centre_id, seq "
                               "FROM sync_map ORDER BY 1, 2")
        again = apply.apply(db, agency, changes, office.now())
        assert first.count == again.count == len(changes)
        assert centre_rows(pg_server, centre_url, "SELECT tbl, local_id, centre_id, seq "
                           "FROM sync_map ORDER BY 1, 2") == snapshot
    finally:
        centre.drop(db)
    assert centre_rows(pg_server, centre_url, "SELECT count(*) FROM dossier")[0][0] == \
        sum(1 for c in changes if c.table == "dossier")


def test_verify_names_a_row_changed_or_removed_at_the_centre(office: Any, pg_server: Any,
                                                             centre_url: str) -> None:
    code = receive(office, random.Random(1))
    receive(office, random.Random(2))
    _pass(office)
    centre_rows(pg_server, centre_url, "UPDATE dossier SET applicant_name = 'X' WHERE code = %s",
                code)
    report = _verify(office)
    assert not report.clean
    [difference] = [d for d in report.differences if d.table == "dossier"]
    with office.read():
        local_id = Dossier.get(Dossier.code == code).id
    assert difference.different == (local_id,)
    # the office owns its row: its next change wins, and the centre's edit is kept aside
    with office.write():
        Dossier.update(note="gọi lại").where(Dossier.id == local_id).execute()
    _pass(office)
    assert _verify(office).clean
    assert centre_rows(pg_server, centre_url, "SELECT count(*) FROM sync_conflict")[0][0] == 1
    # the district's supervisor is told which office's row, and keeps the centre's version
    from counter_tui.db.models import database
    from counter_tui.services.store import open_store
    from counter_tui.services.sync.status import conflicts
    from tests.conftest import sign_in_as

    saved = database.obj
    at_centre = open_store(replace_database(office.cfg, centre_url), seed=False)
    try:
        sign_in_as(at_centre, at_centre.cfg.terminal.officer)
        [conflict], total = conflicts(at_centre)
    finally:
        at_centre.close()
        database.initialize(saved)
    assert total == 1 and (conflict.office, conflict.table, conflict.local_id) == (
        office.cfg.office.agency_code, "dossier", local_id)
    assert '"applicant_name": "X"' in conflict.centre_row


def test_procedures_and_accounts_come_down_and_the_office_keeps_its_own(
        office: Any, pg_server: Any, centre_url: str) -> None:
    centre_rows(pg_server, centre_url,
                "INSERT INTO procedure (code, national_code, name, name_folded, field, level, "
                "processing_days, fee_vnd, fee_online_vnd, fee_note, active, updated_at) VALUES "
                "('HT-KS', '', 'Đăng ký khai sinh (huyện)', 'dang ky khai sinh huyen', "
                "'Hộ tịch', 'Toàn trình', 0, 0, 0, '', true, now())")
    centre_rows(pg_server, centre_url,
                "INSERT INTO officer (code, name, role, roles, counters, active, pin_hash, "
                "must_change, failed_attempts, service, key_hash) VALUES ('huyen1', "
                "'Lê Thị Huyện', 'officer', 'officer', '', true, 'x', false, 0, false, '')")
    result = _pass(office)
    assert (result.procedures, result.accounts) == (1, 1)
    with office.read():
        assert Procedure.get(Procedure.code == "HT-KS").name == "Đăng ký khai sinh (huyện)"
        assert Officer.get(Officer.code == "huyen1").must_change
    # the office stops taking the procedure; the centre renames it: the name comes down, the
    # office's choice stays; an unchanged centre row is not taken again
    with office.write():
        Procedure.update(active=False).where(Procedure.code == "HT-KS").execute()
    assert _pass(office).procedures == 0
    centre_rows(pg_server, centre_url,
                "UPDATE procedure SET name = 'Đăng ký khai sinh' WHERE code = 'HT-KS'")
    assert _pass(office).procedures == 1
    with office.read():
        row = Procedure.get(Procedure.code == "HT-KS")
    assert (row.name, row.active) == ("Đăng ký khai sinh", False)


def test_a_store_restored_behind_the_centre_is_refused(office: Any, pg_server: Any,
                                                       centre_url: str) -> None:
    queue.issue(office, "A")
    _pass(office)
    centre_rows(pg_server, centre_url, "UPDATE sync_peer SET acked_seq = acked_seq + 1000")
    with pytest.raises(UserError) as refused:
        _pass(office)
    assert refused.value.key == "sync.store_went_back"


def test_a_digitised_documents_record_goes_up_and_its_pdf_stays(office: Any, pg_server: Any,
                                                                centre_url: str,
                                                                tmp_path: Any) -> None:
    from PIL import Image

    from counter_tui.db.models import DossierFile
    from counter_tui.services import documents

    code = receive(office, random.Random(3))
    page = tmp_path / "trang1.png"
    Image.new("L", (300, 420), 255).save(page)
    outbox.enable(office)
    kept = documents.attach(office, code, [page], "Tờ khai")
    assert _pass(office).waiting == 0
    with office.read():
        row = DossierFile.get_by_id(kept.id)
    held = centre_rows(pg_server, centre_url,
                       "SELECT d.code, f.document, f.sha256, f.pages FROM dossier_file f "
                       "JOIN dossier d ON d.id = f.dossier_id")
    assert held == [(code, "Tờ khai", row.sha256, 1)]
    assert _verify(office).clean


def replace_database(cfg: Any, url: str) -> Any:
    """`cfg` pointed at another store (the centre's)."""
    import dataclasses

    return dataclasses.replace(cfg, database=dataclasses.replace(cfg.database, url=url))

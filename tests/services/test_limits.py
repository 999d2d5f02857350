"""Every text a person gives that the store keeps, at its limit and one character over, on both
engines: at the limit it is stored exactly, one over it is refused by the check, with the field
named, before the store is asked (SQLite would keep it, PostgreSQL would fail with the wrong
message). The limits are core.limits', the table the models' columns are made from.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from peewee import CharField

from counter_tui.config import ConfigError
from counter_tui.core.errors import UserError
from counter_tui.core.intake import DocumentLine, DossierDraft
from counter_tui.core.limits import TEXT_LIMITS, limit
from counter_tui.db.models import (
    MODELS,
    Counter,
    Dossier,
    DossierDocument,
    Office,
    Procedure,
    ServiceGroup,
    Ticket,
)
from counter_tui.services import catalogue, history, intake, lifecycle, queue
from tests.tickets import hand_out

TAKER = "Lê Văn Hùng"  # who receives a hand-over (Mẫu 05)

# Columns the code fills, never a person: their sizes are the code's business.
MADE_BY_THE_CODE = {
    "service_group.letter", "counter.groups", "procedure.same_day_cutoff", "sequence.scope",
    "ticket.series", "ticket.group", "ticket.priority", "ticket.state", "ticket_event.action",
    "ticket_event.from_state", "ticket_event.to_state", "dossier.channel", "dossier.id_kind",
    "dossier.return_method", "dossier_event.action", "print_job.kind", "print_job.state",
    "audit_log.action", "officer.role", "officer.roles", "officer.counters", "officer.pin_hash",
    "officer.key_hash", "account_session.username", "audit_log.prev_hash", "audit_log.hash",
    "audit_head.hash", "store_secret.value",
    # sync (migration 0013): office codes, table names, hashes and copies of audit entries
    "ticket.origin", "sync_outbox.tbl", "sync_state.office", "sync_state.error", "sync_pulled.tbl",
    "sync_pulled.key", "sync_pulled.hash", "sync_map.office", "sync_map.tbl", "sync_map.hash",
    "sync_audit.office", "sync_audit.officer", "sync_audit.action", "sync_audit.subject",
    "sync_audit.prev_hash", "sync_audit.hash", "sync_conflict.office", "sync_conflict.tbl",
    # the reports' summary copies these from the dossier, sized by the dossier's own limits
    "dossier_tally.field", "dossier_tally.procedure_code", "dossier_tally.officer",
    # digitised documents (migration 0012): what the code writes
    "dossier_file.stage", "dossier_file.path", "dossier_file.sha256", "dossier_file.method",
}


def test_every_text_column_is_sized_from_the_one_table() -> None:
    sized: set[str] = set()
    for model in MODELS:
        for f in model._meta.sorted_fields:
            if (isinstance(f, CharField) and not f.primary_key) or (
                    isinstance(f, CharField) and f.name == "letter"):
                key = f"{model._meta.table_name}.{f.name}"
                sized.add(key)
                if key not in MADE_BY_THE_CODE:
                    assert key in TEXT_LIMITS, f"{key}: add it to core.limits"
                    assert f.max_length == TEXT_LIMITS[key], key
    assert set(TEXT_LIMITS) <= sized, set(TEXT_LIMITS) - sized


NAME = "Nguyễn Văn An"
PHONE = "0912345678"


def letters(n: int) -> str:
    """n characters of a Vietnamese name: letters and single spaces, starting with a letter."""
    word = "Nguyễn "
    return (word * (n // len(word) + 1))[:n - 1] + "A" if n > 1 else "A"


def text(n: int) -> str:
    return ("Số 1 đường Trần Hưng Đạo, " * (n // 10 + 1))[:n - 1] + "x"


@dataclass
class Case:
    """One stored text: how to give it `length` characters, and the field a refusal names."""

    name: str
    column: str
    give: Callable[[Any, int], Any]
    named: str
    stored: Callable[[Any], str] = field(default=lambda _: "")
    longest: int | None = None  # when the format allows less than the column holds


def _draft(**changes: Any) -> DossierDraft:
    values: dict[str, Any] = {"procedure_code": "HT-KS", "applicant_name": NAME,
                              "phone": PHONE, "documents": [DocumentLine("Tờ khai", 1, 0)]}
    values.update(changes)
    return DossierDraft(**values)


def _receive(store: Any, **changes: Any) -> Any:
    return intake.receive(store, _draft(**changes)).dossier.code


def _dossier(store: Any, code: str) -> Dossier:
    with store.read():
        return Dossier.get(Dossier.code == code)


INTAKE = [
    Case("applicant", "dossier.applicant_name", lambda s, n: _receive(s, applicant_name=letters(n)),
         "applicant_name", lambda d: d.applicant_name),
    Case("address", "dossier.address", lambda s, n: _receive(s, address=text(n)), "address",
         lambda d: d.address),
    Case("email", "dossier.email",
         lambda s, n: _receive(s, email="a" * (n - len("@hue.gov.vn")) + "@hue.gov.vn"),
         "email", lambda d: d.email),
    Case("representative", "dossier.representative",
         lambda s, n: _receive(s, representative=letters(n), representative_id="001090012345"),
         "representative", lambda d: d.representative),
    Case("id-number", "dossier.id_number",
         lambda s, n: _receive(s, id_number="001090012345" + "6" * (n - 12)), "id_number",
         lambda d: d.id_number),
    Case("phone", "dossier.phone",
         lambda s, n: _receive(s, phone="02" + "4" * (n - 2)), "phone", lambda d: d.phone,
         longest=11),
    Case("waybill", "dossier.waybill",
         lambda s, n: _receive(s, channel="post", post_option="1", waybill="EL" + "1" * (n - 2)),
         "waybill", lambda d: d.waybill),
    Case("delivery-address", "dossier.delivery_address",
         lambda s, n: _receive(s, channel="post", post_option="2", delivery_address=text(n)),
         "delivery_address", lambda d: d.delivery_address),
    Case("portal-code", "dossier.portal_code",
         lambda s, n: _receive(s, procedure_code="CT-BS", channel="online",
                               portal_code="G22" + "7" * (n - 3)),
         "portal_code", lambda d: d.portal_code),
    Case("document", "dossier_document.name",
         lambda s, n: _receive(s, documents=[DocumentLine(text(n), 1, 0)]), "documents.0.name"),
]


def _handed_over(store: Any, n: int) -> str:
    code = _receive(store)
    lifecycle.handover(store, code, to_unit=text(n), received_by=NAME)
    return code


def _returned(store: Any, **kwargs: Any) -> str:
    code = _receive(store)
    lifecycle.result_ready(store, code, given_by=TAKER)
    lifecycle.return_result(store, code, **kwargs)
    return code


LIFE = [
    Case("unit", "dossier.holder", _handed_over, "unit", lambda d: d.holder),
    Case("collected-by", "dossier.collected_by",
         lambda s, n: _returned(s, collected_by=letters(n), id_number="001090012345"),
         "collected_by", lambda d: d.collected_by),
    Case("collected-id", "dossier.collected_id",
         lambda s, n: _returned(s, collected_by=NAME, id_number="001090012345" + "6" * (n - 12)),
         "id_number", lambda d: d.collected_id),
    Case("return-waybill", "dossier.return_waybill",
         lambda s, n: _returned(s, method="post", waybill="EL" + "1" * (n - 2)), "waybill",
         lambda d: d.return_waybill),
]


@pytest.mark.parametrize("case", INTAKE + LIFE, ids=lambda c: c.name)
def test_a_dossier_field_at_its_limit_and_one_over(store: Any, case: Case) -> None:
    longest = case.longest or limit(case.column)
    code = case.give(store, longest)
    stored = case.stored(_dossier(store, code))
    if case.column == "dossier_document.name":
        with store.read():
            stored = DossierDocument.get(DossierDocument.dossier == _dossier(store, code).id).name
    assert len(stored) == longest
    with store.read():
        before = Dossier.select().count()
    with pytest.raises(UserError) as info:
        case.give(store, longest + 1)
    problems = getattr(info.value, "errors", [info.value])
    assert [p.field for p in problems] == [case.named], [str(p) for p in problems]
    with store.read():
        if case in INTAKE:
            assert Dossier.select().count() == before  # nothing half-stored
        else:  # the step was refused: the dossier it was tried on stayed where it was
            newest = Dossier.select().order_by(Dossier.id.desc()).get()
            assert (newest.holder, newest.collected_by, newest.return_waybill) == ("", "", "")


CONFIG = [
    ("office.name", "office", "name", "office.name", (Office, "name")),
    ("office.address", "office", "address", "office.address", (Office, "address")),
    ("office.agency_code", "office", "agency_code", "office.code", (Office, "code")),
    ("groups[0].name", "groups", "name", "service_group.name", (ServiceGroup, "name")),
    ("counters[0].name", "counters", "name", "counter.name", (Counter, "name")),
]


def _overrides(section: str, key: str, value: str, make_config: Any, tmp_path: Path) -> Any:
    if section not in ("groups", "counters"):
        return {section: {key: value}}
    base = make_config(tmp_path)
    items: list[dict[str, Any]] = (
        [{"letter": g.letter, "name": g.name} for g in base.groups] if section == "groups"
        else [{"number": c.number, "name": c.name, "groups": list(c.groups)}
              for c in base.counters])
    items[0][key] = value
    return {section: items}


@pytest.mark.parametrize(("setting", "section", "key", "column", "where"), CONFIG,
                         ids=[c[0] for c in CONFIG])
def test_a_config_text_at_its_limit_and_one_over(
        open_test_store: Callable[..., Any], make_config: Callable[..., Any], tmp_path: Path,
        setting: str, section: str, key: str, column: str, where: tuple[Any, str]) -> None:
    n = limit(column)
    value = "A" * n if key in ("officer", "agency_code") else letters(n)
    store = open_test_store(**_overrides(section, key, value, make_config, tmp_path))
    model, attribute = where
    with store.read():
        assert model.select().where(getattr(model, attribute) == value).count() == 1
    # the office's code is in every dossier code, the officer's on every ticket and dossier
    hand_out(store, "A")
    called = queue.call_next(store, 1)
    code = _receive(store)
    with store.read():
        assert Ticket.get_by_id(called.id).officer == store.officer
        assert Dossier.get(Dossier.code == code).officer == store.officer
    over = "A" * (n + 1) if key in ("officer", "agency_code") else letters(n + 1)
    with pytest.raises(ConfigError) as info:
        make_config(tmp_path, **_overrides(section, key, over, make_config, tmp_path))
    assert info.value.key == setting


CATALOGUE = [("local_code", "procedure.code"), ("national_code", "procedure.national_code"),
             ("name", "procedure.name"), ("field", "procedure.field"),
             ("documents", "procedure_document.name")]


@pytest.mark.parametrize(("column", "stored"), CATALOGUE, ids=[c[0] for c in CATALOGUE])
def test_a_catalogue_text_at_its_limit_and_one_over(store: Any, tmp_path: Path, column: str,
                                                    stored: str) -> None:
    n = limit(stored)
    rows = []
    for i, length in enumerate((n, n + 1)):
        row = {"local_code": f"T-{i}", "national_code": "", "name": "Thủ tục thử",
               "field": "Hộ tịch", "level": "một phần", "processing_days": "3",
               "documents": "Tờ khai"}
        row[column] = (f"T-{i}" + "X" * n)[:length] if column == "local_code" else text(length)
        rows.append(row)
    path = tmp_path / "procedures.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = catalogue.import_csv(store, path)
    assert report.added == 1
    [(line, _code, reason)] = report.rejected
    assert line == 3 and column in reason and str(n) in reason
    with store.read():
        assert Procedure.select().where(Procedure.code == rows[0]["local_code"]).count() == 1


HISTORY = [("code", "dossier.code"), ("office", "office.name"),
           ("procedure_code", "dossier.procedure_code"),
           ("applicant_name", "dossier.applicant_name")]


@pytest.mark.parametrize(("column", "stored"), HISTORY, ids=[c[0] for c in HISTORY])
def test_an_imported_text_at_its_limit_and_one_over(store: Any, tmp_path: Path, column: str,
                                                    stored: str) -> None:
    n = limit(stored)
    rows = []
    for i, length in enumerate((n, n + 1)):
        row = {"code": f"IMPORTED-{i}", "office": "000.17.22.H56", "procedure_code": "HT-KS",
               "channel": "walk_in", "level": "", "applicant_name": NAME,
               "received_at": "2025-03-02 08:30", "due_at": "2025-03-04 17:00",
               "resolved_at": "2025-03-03 10:00", "returned_at": "", "status": "9"}
        row[column] = (f"IMPORTED-{i}-" + "X" * n)[:length] if column in (
            "code", "procedure_code") else letters(length)
        rows.append(row)
    path = tmp_path / "history.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    report = history.import_csv(store, path)
    assert report.added == 1
    [(line, _code, reason)] = report.rejected
    assert line == 3 and column in reason and str(n) in reason

"""The procedures catalogue: loaded from CSV (the shipped commune list or the province's own),
updated by code, searched by name without diacritics.

A province publishes its list as a spreadsheet; importing it again must update what changed
and touch nothing else, and say exactly which rows it refused and why.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import time
from importlib.resources import files
from pathlib import Path

from counter_tui.core.i18n import t
from counter_tui.core.limits import limit
from counter_tui.core.roles import Action
from counter_tui.core.text import clean, fold
from counter_tui.core.validation import FEE_MAX
from counter_tui.core.views import DocumentView, ProcedureView
from counter_tui.db.models import Procedure, ProcedureDocument
from counter_tui.services.authority import gated
from counter_tui.services.store import Store

# Read through the package, not the checkout, so an installed wheel finds its own copy.
SHIPPED = Path(str(files("counter_tui.db") / "seed" / "procedures.csv"))
LEVELS = {"toàn trình": "toàn trình", "4": "toàn trình", "một phần": "một phần", "3": "một phần",
          "không trực tuyến": "không trực tuyến", "2": "không trực tuyến", "1": "không trực tuyến"}
REQUIRED = ("local_code", "name", "field", "level", "processing_days")
# The file's text columns and the store's columns they fill (core.limits): checked here, so a
# row too long for PostgreSQL is refused on SQLite too, with its reason.
STORED = {"local_code": "procedure.code", "national_code": "procedure.national_code",
          "name": "procedure.name", "field": "procedure.field"}


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (f"added {self.added}, updated {self.updated}, unchanged {self.unchanged}, "
                f"rejected {len(self.rejected)}")


def _fee(raw: str) -> int:
    digits = re.sub(r"[.,\sđ]|vnd", "", raw.strip().lower())
    if not digits:
        return 0
    if not digits.isdigit():
        raise ValueError(raw)
    return int(digits)


def _document(raw: str) -> DocumentView:
    name = clean(raw)
    if re.search(r"bản sao", name, re.IGNORECASE) and not re.search(r"bản chính", name, re.I):
        return DocumentView(name, 0, 1)
    return DocumentView(name, 1, 0)


def _fits(value: str, column: str, stored: str) -> None:
    if len(value) > limit(stored):
        raise ValueError(t("catalogue.row.too_long", column=column, length=len(value),
                           max=limit(stored)))


def _parse_row(row: dict[str, str]) -> tuple[dict[str, object], list[DocumentView]]:
    values = {k: clean(v or "") for k, v in row.items() if k}
    for column in REQUIRED:
        if not values.get(column):
            raise ValueError(t("catalogue.row.empty", column=column))
    for column, stored in STORED.items():
        _fits(values.get(column, ""), column, stored)
    level = LEVELS.get(values["level"].lower())
    if level is None:
        raise ValueError(t("catalogue.row.level", value=values["level"]))
    days_raw = values["processing_days"]
    if not days_raw.isdigit() or int(days_raw) > 365:
        raise ValueError(t("catalogue.row.days", value=days_raw))
    cutoff = values.get("same_day_cutoff", "")
    if cutoff:
        try:
            cutoff = time.fromisoformat(cutoff).strftime("%H:%M")
        except ValueError:
            raise ValueError(t("catalogue.row.cutoff", value=cutoff)) from None
    fees = {}
    for column in ("fee_vnd", "fee_online_vnd"):
        try:
            fees[column] = _fee(values.get(column, ""))
        except ValueError:
            raise ValueError(t("catalogue.row.fee", value=values.get(column))) from None
        if fees[column] > FEE_MAX:
            raise ValueError(t("catalogue.row.fee_too_high", value=values.get(column),
                               max=FEE_MAX))
    docs = [_document(d) for d in (row.get("documents") or "").split("|") if clean(d)]
    for doc in docs:
        _fits(doc.name, "documents", "procedure_document.name")
    return {
        "code": values["local_code"],
        "national_code": values.get("national_code", ""),
        "name": values["name"],
        "name_folded": fold(values["name"]),
        "field": values["field"],
        "level": level,
        "processing_days": int(days_raw),
        "same_day_cutoff": cutoff or None,
        "fee_vnd": fees["fee_vnd"],
        "fee_online_vnd": fees["fee_online_vnd"],
        "fee_note": values.get("fee_note", ""),
    }, docs


@gated(Action.CATALOGUE_MANAGE)
def import_csv(store: Store, source: Path | str) -> ImportReport:
    """Add new procedures and update changed ones by code; one transaction for the file."""
    from counter_tui.core.errors import UserError
    from counter_tui.services.csvfile import read_text

    text = read_text(Path(source), REQUIRED)  # any encoding Excel saves; refused whole else
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise UserError("catalogue.missing_columns", columns=", ".join(missing),
                        expected=", ".join(REQUIRED))
    report = ImportReport()
    seen: set[str] = set()
    with store.write():
        existing = {p.code: p for p in Procedure.select()}
        for line, row in enumerate(reader, start=2):
            try:
                values, docs = _parse_row(row)
                if values["code"] in seen:
                    raise ValueError(t("catalogue.row.duplicate"))
            except ValueError as exc:
                report.rejected.append((line, clean(row.get("local_code") or ""), str(exc)))
                continue
            seen.add(str(values["code"]))
            old = existing.get(str(values["code"]))
            if old is None:
                proc = Procedure.create(**values, updated_at=store.now())
                report.added += 1
            else:
                old_docs = [DocumentView(d.name, d.originals, d.copies)
                            for d in _documents(old.id)]
                same = all(getattr(old, k) == v for k, v in values.items()) and old_docs == docs
                if same and old.active:
                    report.unchanged += 1
                    continue
                Procedure.update(**values, active=True, updated_at=store.now()).where(
                    Procedure.id == old.id).execute()
                ProcedureDocument.delete().where(ProcedureDocument.procedure == old.id).execute()
                proc = old
                report.updated += 1
            ProcedureDocument.insert_many([
                {"procedure": proc.id, "position": i, "name": d.name, "originals": d.originals,
                 "copies": d.copies} for i, d in enumerate(docs)
            ]).execute() if docs else None
    return report


def seed_if_empty(store: Store) -> ImportReport | None:
    with store.read():
        if Procedure.select().exists():
            return None
    # the store's own first load (open_store), before anyone can sign in: not a person's act
    return import_csv.__wrapped__(store, store.cfg.catalogue or SHIPPED)  # type: ignore[attr-defined]


def _documents(procedure_id: int) -> list[ProcedureDocument]:
    return list(ProcedureDocument.select().where(ProcedureDocument.procedure == procedure_id)
                .order_by(ProcedureDocument.position))


def _view(p: Procedure, with_documents: bool = False) -> ProcedureView:
    docs: tuple[DocumentView, ...] = ()
    if with_documents:
        docs = tuple(DocumentView(d.name, d.originals, d.copies)
                     for d in _documents(p.id))
    return ProcedureView(
        id=p.id, code=p.code, national_code=p.national_code, name=p.name, field=p.field,
        level=p.level, processing_days=p.processing_days,
        same_day_cutoff=time.fromisoformat(p.same_day_cutoff) if p.same_day_cutoff else None,
        fee_vnd=p.fee_vnd, fee_online_vnd=p.fee_online_vnd, fee_note=p.fee_note, documents=docs,
    )


def search(store: Store, text: str = "", limit: int = 50) -> list[ProcedureView]:
    """Procedures whose code or name (without diacritics, any word order) matches `text`."""
    words = fold(text).split()
    with store.read():
        query = Procedure.select().where(Procedure.active == True)  # noqa: E712
        for word in words:
            query = query.where(Procedure.name_folded.contains(word)
                                | Procedure.code.contains(word.upper()))
        return [_view(p) for p in query.order_by(Procedure.field, Procedure.name).limit(limit)]


def get(store: Store, code: str) -> ProcedureView | None:
    with store.read():
        p = Procedure.get_or_none(Procedure.code == clean(code).upper())
        return _view(p, with_documents=True) if p else None

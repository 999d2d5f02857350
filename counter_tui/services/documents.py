"""A dossier's digitised documents (Thông tư 01/2023/TT-VPCP): scanned or attached at the
counter, one PDF per document, recorded with its SHA-256, pages, size, who and when.

The file is written whole first (services.document_files), then its row is committed; a row
that cannot be committed takes its new file away again. Pages added to a document already
digitised make a new PDF (the old pages first, then the new), the row moves to it, and the old
file goes once the row no longer names it: nothing scanned is lost, and a crash at any point
leaves at most an unrecorded file, which `verify` lists.

Only the roles that may see the dossier scan, attach and open its documents (core.roles:
dossier.digitise), and each is recorded in the audit log with the dossier's code.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peewee import SQL, IntegrityError, fn

from counter_tui.core import scanning
from counter_tui.core.errors import UserError, os_reason
from counter_tui.core.limits import limit
from counter_tui.core.records import frozen
from counter_tui.core.roles import Action
from counter_tui.core.scanning import Page, Scanned
from counter_tui.core.text import clean
from counter_tui.core.views import DigitiseProgress, DossierFileView
from counter_tui.db.models import Dossier, DossierDocument, DossierFile
from counter_tui.services import audit, authority, document_files
from counter_tui.services.dossiers import _canonical, by_code, file_view
from counter_tui.services.store import Store

PAPER_CHANNELS = ("walk_in", "post")  # online dossiers are electronic already
ACCEPTED = (2, 4, 5, 6, 7, 8, 9, 10)  # not an online submission waiting, not refused


def folder(store: Store) -> Path:
    return Path(store.cfg.documents_folder)


def _stage(stage: str) -> str:
    if stage not in scanning.STAGES:
        raise UserError("documents.bad_stage", stage=stage, stages=", ".join(scanning.STAGES))
    return stage


def _document(document: str, stage: str) -> str:
    name = clean(document or "").strip()
    if not name:
        if stage == "result":
            return scanning.RESULT_DOCUMENT
        raise UserError("documents.no_document")
    return name[:limit("dossier_file.document")]


def checklist(store: Store, code: str) -> list[str]:
    """The documents received with a dossier, in the order of its checklist: what the
    officer picks from when scanning."""
    authority.require(store, Action.DOSSIER_DIGITISE)
    with store.read():
        d = by_code(_canonical(code))
        return [x.name for x in DossierDocument.select(DossierDocument.name)
                .where(DossierDocument.dossier == d.id).order_by(DossierDocument.position)]


def progress(store: Store, code: str) -> DigitiseProgress:
    """The dossier's checklist and its files: what the scanning dialog shows."""
    authority.require(store, Action.DOSSIER_DIGITISE)
    with store.read():
        d = by_code(_canonical(code))
        names = tuple(x.name for x in DossierDocument.select(DossierDocument.name)
                      .where(DossierDocument.dossier == d.id).order_by(DossierDocument.position))
        files = tuple(file_view(f) for f in DossierFile.select()
                      .where(DossierFile.dossier == d.id).order_by(DossierFile.id))
    return DigitiseProgress(d.code, d.status, names, files)


def keep(store: Store, code: str, document: str, pdf: bytes, *, stage: str = "received",
         method: str = "scan") -> DossierFileView:
    """`pdf`'s pages become the document's (after the pages it already has)."""
    authority.require(store, Action.DOSSIER_DIGITISE)
    stage = _stage(stage)
    document = _document(document, stage)
    root = folder(store)
    with store.read():
        d = by_code(_canonical(code))
        if d.anonymised_at is not None:
            raise UserError("documents.purged", code=d.code)
        before = DossierFile.get_or_none(DossierFile.dossier == d.id,
                                         DossierFile.stage == stage,
                                         DossierFile.document == document)
    old = root / before.path if before is not None and before.purged_at is None else None
    if old is not None and old.is_file():
        pdf = document_files.combined([old.read_bytes(), pdf])
    month, name = scanning.folder_parts(d.code, d.received_at.strftime("%Y-%m"))
    digest = hashlib.sha256(pdf).hexdigest()
    written = document_files.write_atomic(root / month / name,
                                          scanning.file_name(stage, document, digest), pdf)
    relative = written.path.relative_to(root).as_posix()
    try:
        with store.write():
            values = {DossierFile.path: relative, DossierFile.sha256: written.sha256,
                      DossierFile.pages: written.pages, DossierFile.bytes: written.bytes,
                      DossierFile.method: method, DossierFile.officer: audit.who(store),
                      DossierFile.at: store.now(), DossierFile.purged_at: None}
            if before is None:
                DossierFile.insert({DossierFile.dossier: d.id, DossierFile.stage: stage,
                                    DossierFile.document: document, **values}).execute()
            else:
                DossierFile.update(values).where(DossierFile.id == before.id).execute()
            audit.record(store, f"document:{method}", f"{stage}: {document}",
                         dossiers=[d.code])
            row = DossierFile.get(DossierFile.dossier == d.id, DossierFile.stage == stage,
                                  DossierFile.document == document)
    except IntegrityError as exc:  # another terminal recorded this document at that moment
        _remove_unless_recorded(store, written.path, relative)
        raise UserError("documents.busy", code=d.code, document=document) from exc
    except BaseException:
        _remove_unless_recorded(store, written.path, relative)
        raise
    if old is not None and old != written.path:
        document_files.remove(old)
    return file_view(row)


def _remove_unless_recorded(store: Store, path: Path, relative: str) -> None:
    """A file whose row was not committed goes, unless a row names it (the same pages, kept
    under the same name by another terminal or an earlier attempt)."""
    try:
        with store.read():
            recorded = DossierFile.select().where(DossierFile.path == relative).exists()
    except Exception:  # the store is what failed: keep the file, verify-files lists it
        return
    if not recorded:
        document_files.remove(path)


def keep_pages(store: Store, code: str, document: str, pages: Sequence[Page], *,
               stage: str = "received") -> DossierFileView:
    """Scanned pages (previewed and kept by the officer) as the document's PDF."""
    if not pages:
        raise UserError("documents.no_pages")
    pdf = document_files.pdf_of_images([p.data for p in pages])
    return keep(store, code, document, pdf, stage=stage, method="scan")


def scan(store: Store, code: str, document: str, *, stage: str = "received",
         device: str | None = None) -> tuple[DossierFileView, Scanned]:
    """Scan the document on the counter's scanner (the feeder's every sheet, if configured)
    straight into the dossier: the command line's `dossier scan`."""
    from counter_tui.services import scanner

    authority.require(store, Action.DOSSIER_DIGITISE)
    checklist(store, code)  # the dossier exists, before the paper goes through
    scanned = scanner.scan(store.cfg.scanner, device)
    return keep_pages(store, code, document, scanned.pages, stage=stage), scanned


def attach(store: Store, code: str, files: Sequence[Path], document: str, *,
           stage: str = "received") -> DossierFileView:
    """Files scanned elsewhere (PDF, JPEG, PNG, TIFF), their pages in the order given."""
    authority.require(store, Action.DOSSIER_DIGITISE)
    if not files:
        raise UserError("documents.no_pages")
    parts = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UserError("documents.cannot_read", file=path.name,
                            reason=os_reason(exc)) from exc
        parts.append(document_files.as_pdf(data, path.name))
    pdf = parts[0] if len(parts) == 1 else document_files.combined(parts)
    return keep(store, code, document, pdf, stage=stage, method="attach")


def open_file(store: Store, file_id: int) -> tuple[DossierFileView, bytes]:
    """A document's PDF, read back and checked against its hash; recorded in the audit log."""
    authority.require(store, Action.DOSSIER_DIGITISE)
    with store.write():
        row = DossierFile.get_or_none(DossierFile.id == file_id)
        if row is None:
            raise UserError("documents.not_found", file=file_id)
        code = Dossier.get_by_id(row.dossier_id).code
        audit.record(store, "document:open", f"{row.stage}: {row.document}", dossiers=[code])
    if row.purged_at is not None:
        raise UserError("documents.purged", code=code)
    path = folder(store) / row.path
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError("documents.missing", code=code, document=row.document) from None
    except OSError as exc:
        raise document_files.failure(exc, path.parent) from exc
    if hashlib.sha256(data).hexdigest() != row.sha256:
        raise UserError("documents.altered", code=code, document=row.document)
    return file_view(row), data


def find_file(store: Store, code: str, document: str = "", stage: str = "") -> int:
    """The id of a dossier's document by name (the only one, when no name is given)."""
    authority.require(store, Action.DOSSIER_DIGITISE)
    with store.read():
        d = by_code(_canonical(code))
        rows = list(DossierFile.select().where(DossierFile.dossier == d.id))
    chosen = [r for r in rows if (not document or r.document == clean(document).strip())
              and (not stage or r.stage == stage)]
    if len(chosen) != 1:
        raise UserError("documents.pick", code=d.code,
                        documents="; ".join(r.document for r in rows) or "-")
    return int(chosen[0].id)


# --- what is still to digitise ------------------------------------------------------------


def undigitised() -> list[Any]:
    """Conditions on Dossier: received on paper, accepted, and some component (or, with no
    checklist, anything) not digitised yet; the digitisation figures' rule
    (core/report/digitised.py), for the worklist."""
    received = DossierFile.select(SQL("1")).where(DossierFile.dossier == Dossier.id,
                                                  DossierFile.stage == "received")
    missing = DossierDocument.select(SQL("1")).where(
        DossierDocument.dossier == Dossier.id,
        ~fn.EXISTS(received.where(DossierFile.document == DossierDocument.name)))
    return [Dossier.channel.in_(PAPER_CHANNELS), Dossier.status.in_(ACCEPTED),
            fn.EXISTS(missing) | ~fn.EXISTS(received)]


# --- integrity ---------------------------------------------------------------------------


@frozen
class Problem:
    code: str
    document: str
    stage: str
    kind: str  # missing | altered


@dataclass
class Verified:
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    unrecorded: list[str] = field(default_factory=list)  # files no row names (relative paths)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(store: Store) -> Verified:
    """Every recorded file against its hash: missing and altered ones; and the files in the
    folder no row names (left by a crash between a file and its row, or put there by hand)."""
    authority.require(store, Action.FILES_VERIFY)
    root = folder(store)
    result = Verified()
    known: set[str] = set()
    with store.read():
        rows = list(DossierFile.select(DossierFile, Dossier.code).join(Dossier)
                    .where(DossierFile.purged_at.is_null()).order_by(DossierFile.id))
    for row in rows:
        known.add(row.path)
        result.checked += 1
        path = root / row.path
        try:
            same = document_files.digest(path) == row.sha256
        except FileNotFoundError:
            result.problems.append(Problem(row.dossier.code, row.document, row.stage, "missing"))
            continue
        except OSError as exc:
            raise document_files.failure(exc, path.parent) from exc
        if not same:
            result.problems.append(Problem(row.dossier.code, row.document, row.stage, "altered"))
    if root.is_dir():
        for path in sorted(root.rglob("*.pdf")):
            relative = path.relative_to(root).as_posix()
            if relative not in known and not path.name.startswith(document_files.PART_PREFIX):
                result.unrecorded.append(relative)
    with store.write():
        audit.record(store, "documents:verify", f"{result.checked} checked, "
                     f"{len(result.problems)} problems, {len(result.unrecorded)} unrecorded",
                     dossiers=[p.code for p in result.problems])
    return result


# --- purge -------------------------------------------------------------------------------


def mark_purged(store: Store, dossier_ids: Sequence[int]) -> list[str]:
    """Inside the privacy purge's transaction: the dossiers' files are no longer theirs; the
    caller removes the returned files (`remove_purged`) once it has committed."""
    rows = list(DossierFile.select(DossierFile.id, DossierFile.path).where(
        DossierFile.dossier.in_(list(dossier_ids)) & DossierFile.purged_at.is_null()))
    if rows:
        DossierFile.update(purged_at=store.now()).where(
            DossierFile.id.in_([r.id for r in rows])).execute()
    return [r.path for r in rows]


def remove_purged(store: Store, relatives: Sequence[str]) -> int:
    """The purged files, from the documents folder and from the backups' copy of it."""
    from counter_tui.services.backup_documents import mirror_of

    gone = 0
    for root in (folder(store), mirror_of(store.cfg)):
        for relative in relatives:
            path = root / relative
            if path.exists():
                document_files.remove(path)
                gone += 1
    return gone


def sweep_purged(store: Store) -> int:
    """Remove what an interrupted purge left of its files; returns how many went."""
    with store.read():
        relatives = [r.path for r in DossierFile.select(DossierFile.path)
                     .where(DossierFile.purged_at.is_null(False))]
    return remove_purged(store, relatives)

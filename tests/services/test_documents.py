"""Digitising a dossier's documents: scanned from SANE's own simulated scanner (`scanimage -d
test`, sane-utils) or attached, kept as one PDF per document that an independent reader
(poppler's pdfinfo, pypdf) reads back, with the hash stored; `verify` finds a missing and an
altered file; a write that fails leaves neither a row without its file nor a half file; the
roles that may not see a dossier may not digitise it; the purge takes the files away.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import shutil
import stat
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from counter_tui.core.errors import UserError
from counter_tui.db.models import AuditLog, Dossier, DossierFile
from counter_tui.services import audit, documents, intake, scanner
from counter_tui.services.authority import NotAllowed
from counter_tui.services.document_files import DocumentsUnavailable
from counter_tui.services.scanner import ScanFailed
from tests.conftest import sign_in_as
from tests.services.test_intake import draft

needs_sane = pytest.mark.skipif(shutil.which("scanimage") is None and not os.environ.get("CI"),
                                reason="scanimage (sane-utils) is not installed")

FORM, JUDGEMENT = "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân", "Bản án ly hôn"
# SANE's test device: a grid picture, small pages (a quick test), its feeder of 10 sheets
TEST_SCANNER = {"device": "test", "resolution": 100, "width_mm": 100, "height_mm": 140,
                "options": ["--test-picture", "Grid"], "timeout_seconds": 5}


@pytest.fixture
def office(open_test_store: Any) -> Any:
    return open_test_store(scanner=TEST_SCANNER)


def received(store: Any) -> str:
    return str(intake.receive(store, draft()).dossier.code)


def pdfinfo_pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(line.split()[-1] for line in out.stdout.splitlines()
                    if line.startswith("Pages:")))


def stored(store: Any, code: str) -> list[Any]:
    with store.read():
        return list(DossierFile.select().join(Dossier).where(Dossier.code == code)
                    .order_by(DossierFile.id))


@needs_sane
def test_a_scan_from_sanes_test_scanner_becomes_one_readable_pdf_with_its_hash(
        office: Any) -> None:
    store = office
    code = received(store)
    view, scanned = documents.scan(store, code, FORM)
    assert len(scanned.pages) == 1 and view.pages == 1
    store.cfg = replace(store.cfg, scanner=replace(store.cfg.scanner, feeder=True, max_pages=3))
    view, scanned = documents.scan(store, code, FORM)  # three more sheets, from the feeder
    assert len(scanned.pages) == 3 and view.pages == 4
    row, = stored(store, code)
    path = Path(store.cfg.documents_folder) / row.path
    data = path.read_bytes()
    assert row.sha256 == hashlib.sha256(data).hexdigest() and row.bytes == len(data)
    assert row.pages == 4 and row.stage == "received" and row.document == FORM
    assert row.method == "scan" and row.officer == store.actor.username
    assert pdfinfo_pages(path) == 4 and len(PdfReader(io.BytesIO(data)).pages) == 4
    assert code.split("-")[-1] in row.path and row.path.endswith(".pdf")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert not any(p.name.startswith(".part") for p in path.parent.iterdir())
    assert len(list(path.parent.iterdir())) == 1  # the earlier 1-page version is gone
    with store.read():
        actions = [a.action for a in AuditLog.select().where(AuditLog.dossiers == code)]
    assert actions.count("document:scan") == 2


def test_attached_files_are_combined_and_verify_finds_missing_and_altered(
        office: Any, tmp_path: Path) -> None:
    from PIL import Image

    store = office
    code = received(store)
    picture = tmp_path / "trang1.png"
    Image.new("L", (400, 560), 255).save(picture)
    other = tmp_path / "trang2.jpg"
    Image.new("L", (400, 560), 200).save(other)
    view = documents.attach(store, code, [picture, other], FORM)
    assert view.pages == 2 and view.method == "attach"
    pdf = tmp_path / "ban-an.pdf"
    pdf.write_bytes(Path(Path(store.cfg.documents_folder) / stored(store, code)[0].path)
                    .read_bytes())
    assert documents.attach(store, code, [pdf], JUDGEMENT).pages == 2
    result = documents.verify(store)
    assert result.checked == 2 and result.ok and not result.unrecorded

    form, judgement = stored(store, code)
    root = Path(store.cfg.documents_folder)
    (root / form.path).unlink()
    with (root / judgement.path).open("r+b") as f:
        f.seek(200)
        f.write(b"X")
    (root / form.path).parent.joinpath("stray.pdf").write_bytes(b"%PDF-1.4")
    result = documents.verify(store)
    assert sorted((p.document, p.kind) for p in result.problems) == [
        (JUDGEMENT, "altered"), (FORM, "missing")]
    assert len(result.unrecorded) == 1 and result.unrecorded[0].endswith("stray.pdf")
    with pytest.raises(UserError) as altered:
        documents.open_file(store, judgement.id)
    assert altered.value.key == "documents.altered"


def test_opening_a_document_is_audited_and_returns_the_stored_bytes(office: Any,
                                                                    tmp_path: Path) -> None:
    from PIL import Image

    store = office
    code = received(store)
    picture = tmp_path / "p.png"
    Image.new("L", (100, 140), 0).save(picture)
    kept = documents.attach(store, code, [picture], FORM)
    view, data = documents.open_file(store, documents.find_file(store, code, FORM))
    assert view.id == kept.id and hashlib.sha256(data).hexdigest() == kept.sha256
    with store.read():
        assert AuditLog.select().where(AuditLog.action == "document:open",
                                       AuditLog.dossiers == code).count() == 1


def test_a_failed_commit_leaves_no_file_and_a_full_disk_says_so(
        office: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    store = office
    code = received(store)
    picture = tmp_path / "p.png"
    Image.new("L", (100, 140), 0).save(picture)
    root = Path(store.cfg.documents_folder)

    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("the store went away")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        documents.attach(store, code, [picture], FORM)
    monkeypatch.undo()
    assert stored(store, code) == []
    assert not [p for p in root.rglob("*") if p.is_file()]

    real_write = os.write

    def full(fd: int, data: Any) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").startswith(str(root)):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(DocumentsUnavailable) as exc:
        documents.attach(store, code, [picture], FORM)
    monkeypatch.undo()
    assert exc.value.key == "documents.disk_full" and str(root) in str(exc.value)
    assert stored(store, code) == []
    assert not [p for p in root.rglob("*") if p.is_file()]  # no half file either


@needs_sane
@pytest.mark.parametrize(("changes", "key"), [
    ({"command": "no-such-scanimage"}, "scan.no_scanimage"),
    ({"device": "test:nothere"}, "scan.no_device"),
    ({"device": ""}, "scan.none_found"),  # none set and SANE lists none (its test is unlisted)
    ({"options": ["--read-return-value", "SANE_STATUS_DEVICE_BUSY"]}, "scan.busy"),
    ({"options": ["--read-return-value", "SANE_STATUS_JAMMED"]}, "scan.jammed"),
])
def test_scanner_faults_are_one_message_saying_what_to_do(
        open_test_store: Any, changes: dict[str, Any], key: str) -> None:
    store = open_test_store(scanner={**TEST_SCANNER, **changes})
    code = received(store)
    with pytest.raises(ScanFailed) as exc:
        documents.scan(store, code, FORM)
    assert exc.value.key == key
    assert stored(store, code) == []


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_only_roles_that_see_the_dossier_digitise_it(office: Any, tmp_path: Path) -> None:
    from PIL import Image

    store = office
    code = received(store)
    picture = tmp_path / "p.png"
    Image.new("L", (100, 140), 0).save(picture)
    kept = documents.attach(store, code, [picture], FORM)
    for role in ("technician", "administrator", "kiosk"):
        sign_in_as(store, f"as_{role}", roles=(role,))
        with pytest.raises(NotAllowed):
            documents.attach(store, code, [picture], JUDGEMENT)
        with pytest.raises(NotAllowed):
            documents.open_file(store, kept.id)
    sign_in_as(store, "as_officer", roles=("officer",))
    with pytest.raises(NotAllowed):
        documents.verify(store)
    with pytest.raises(NotAllowed):
        scanner.devices(store)
    assert documents.attach(store, code, [picture], JUDGEMENT).officer == "as_officer"
    sign_in_as(store, "as_technician", roles=("technician",))
    assert documents.verify(store).checked == 2


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_the_purge_removes_the_files_and_the_backup_copies_them(
        office: Any, tmp_path: Path) -> None:
    import datetime as dt

    from PIL import Image

    from counter_tui.services import backup, privacy
    from counter_tui.services.backup_documents import mirror_of

    store = office
    code = received(store)
    picture = tmp_path / "p.png"
    Image.new("L", (100, 140), 0).save(picture)
    kept = documents.attach(store, code, [picture], FORM)
    row, = stored(store, code)
    backup.make_backup(store.cfg)
    copy = mirror_of(store.cfg) / row.path
    assert copy.read_bytes() == (Path(store.cfg.documents_folder) / row.path).read_bytes()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    long_ago = store.now() - dt.timedelta(days=3650)
    with store.write():
        Dossier.update(status=10, returned_at=long_ago, resolved_at=long_ago).where(
            Dossier.code == code).execute()
    sign_in_as(store, "admin", roles=("administrator",))
    assert privacy.purge(store, store.now().date()).anonymised == 1
    row, = stored(store, code)
    assert row.purged_at is not None and row.sha256 == kept.sha256  # the figures keep it
    assert not (Path(store.cfg.documents_folder) / row.path).exists() and not copy.exists()
    sign_in_as(store, "tech", roles=("technician",))
    assert documents.verify(store).checked == 0


def test_a_grey_a4_text_page_is_kept_under_150_kb_and_a_photo_as_jpeg() -> None:
    from PIL import Image

    from counter_tui.services.scanner import encode_page
    from tests.perf.bench_scan import paper_page

    page = encode_page(paper_page(), 200, "gray", 60)
    assert (page.width, page.height) == (1654, 2339)
    assert page.kind == "png" and len(page.data) <= 150 * 1024
    # a photo: shades and detail everywhere, no paper
    photo = Image.blend(Image.radial_gradient("L").resize((800, 800)),
                        Image.effect_noise((800, 800), 40), 0.5)
    raw = io.BytesIO()
    photo.save(raw, "PPM")
    assert encode_page(raw.getvalue(), 200, "gray", 60).kind == "jpeg"
    lineart = io.BytesIO()
    Image.new("1", (400, 400), 1).save(lineart, "PPM")
    assert encode_page(lineart.getvalue(), 200, "lineart", 60).kind == "g4"


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_two_terminals_keeping_one_document_at_once_lose_nothing_silently(
        office: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    from counter_tui.services import document_files

    store = office
    code = received(store)
    picture = tmp_path / "p.png"
    Image.new("L", (100, 140), 0).save(picture)
    write = document_files.write_atomic

    def and_the_other_terminal(*args: Any) -> Any:
        done = write(*args)
        monkeypatch.setattr(document_files, "write_atomic", write)
        documents.attach(store, code, [picture], FORM)  # the other one, in between
        return done

    monkeypatch.setattr(document_files, "write_atomic", and_the_other_terminal)
    with pytest.raises(UserError) as exc:
        documents.attach(store, code, [picture], FORM)
    assert exc.value.key == "documents.busy"
    row, = stored(store, code)
    assert row.pages == 1
    root = Path(store.cfg.documents_folder)
    assert [p.relative_to(root).as_posix() for p in root.rglob("*.pdf")] == [row.path]


@needs_sane
def test_a_scanner_that_hangs_once_on_the_glass_is_asked_once_more(
        open_test_store: Any, tmp_path: Path) -> None:
    hangs_once = tmp_path / "scanimage"
    hangs_once.write_text(
        "#!/bin/sh\n"
        "case \"$*\" in *--all-options*) exec scanimage \"$@\";; esac\n"
        f"if [ ! -e {tmp_path}/hung ]; then touch {tmp_path}/hung; exec sleep 30; fi\n"
        "exec scanimage \"$@\"\n")
    hangs_once.chmod(0o755)
    store = open_test_store(scanner={**TEST_SCANNER, "command": str(hangs_once),
                                     "timeout_seconds": 2})
    code = received(store)
    view, _ = documents.scan(store, code, FORM)
    assert view.pages == 1 and (tmp_path / "hung").exists()

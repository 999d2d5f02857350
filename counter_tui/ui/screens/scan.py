"""S on a dossier (and F9 on the intake form, once saved): digitise its documents.

The dossier's checklist is listed with what is digitised of each; the first document not yet
digitised is highlighted. Enter (or S) scans a sheet (every sheet, with a feeder) into the pages
waiting to be kept; the preview says how many pages, how large and how long they took, so the
officer sees a missed or doubled sheet before anything is stored. F10 keeps them as the
document's PDF (after the pages it already has) and moves on to the next document; Del drops
them. The result handed back is the last line, scanned the same way.

Scanning runs in a worker: the screen never waits on the scanner, and a scanner that fails says
what to do in a notice, the pages already scanned kept waiting.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.core.i18n import t
from counter_tui.core.scanning import RESULT_DOCUMENT, Page, Scanned
from counter_tui.core.views import DigitiseProgress, DossierFileView
from counter_tui.ui import services
from counter_tui.ui.base import BaseModal, bind
from counter_tui.ui.widgets.text import Msg

RESULT = "result"


def size_text(n: int) -> str:
    return f"{max(1, round(n / 1024))} KB"


def _state(f: DossierFileView | None) -> str:
    if f is None:
        return t("scan.state.none")
    return t("scan.state.done", pages=f.pages, size=size_text(f.bytes))


class ScanDialog(BaseModal[bool]):
    """Dismissed with whether anything was kept."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("s", "scan", "scan.key.scan", "scan_sheet", display="Enter/S"),
        bind("f10", "keep", "scan.key.keep", "scan_keep", display="F10", priority=True),
        bind("delete", "discard", "scan.key.discard", "scan_discard", display="Del"),
        bind("escape", "close", "scan.key.close", "scan_close", display="Esc"),
    ]

    def __init__(self, code: str) -> None:
        super().__init__(id="scan")
        self.code = code
        self.progress: DigitiseProgress | None = None
        self.pending: list[Page] = []
        self.pending_for: tuple[str, str] | None = None  # (document, stage) of the pages
        self.seconds = 0.0
        self.busy = False
        self.kept = False
        self.closing = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Msg("scan.title", {"code": self.code}, classes="box-title")
            yield OptionList(id="scan-documents")
            yield Static(t("scan.loading"), id="scan-preview")
            yield Msg("scan.hint", classes="hint")

    def on_mount(self) -> None:
        self.reload(first=True)

    def reload(self, *, first: bool = False) -> None:
        code = self.code
        self.ask(lambda store: services.documents.progress(store, code),
                 on_done=lambda p: self.show(p, first=first), hold_keys=first,
                 on_refused=self._refused_open if first else None)

    def _refused_open(self, error: object) -> None:
        self.notify(str(error), severity="error", timeout=8)
        self.dismiss(False)

    def show(self, progress: DigitiseProgress, *, first: bool = False) -> None:
        self.progress = progress
        box = self.query_one("#scan-documents", OptionList)
        chosen = self.chosen()
        box.clear_options()
        for i, name in enumerate(progress.checklist):
            box.add_option(Option(f"{name} · {_state(progress.file_of(name))}", id=f"d{i}"))
        box.add_option(Option(t("scan.result", state=_state(progress.file_of(
            RESULT_DOCUMENT, RESULT))), id=RESULT))
        following = progress.next_to_scan()
        if first or chosen is None or chosen[0] not in progress.checklist:
            index = (progress.checklist.index(following) if following is not None
                     else len(progress.checklist))
        else:
            index = progress.checklist.index(following) if following is not None else \
                progress.checklist.index(chosen[0])
        box.highlighted = index
        box.focus()
        self.show_preview()

    def chosen(self) -> tuple[str, str] | None:
        """(document, stage) highlighted."""
        if self.progress is None:
            return None
        box = self.query_one("#scan-documents", OptionList)
        index = box.highlighted
        if index is None:
            return None
        if index >= len(self.progress.checklist):
            return RESULT_DOCUMENT, RESULT
        return self.progress.checklist[index], "received"

    def show_preview(self, text: str | None = None) -> None:
        if text is None:
            if self.pending and self.pending_for:
                last = self.pending[-1]
                text = t("scan.preview", document=self.pending_for[0], pages=len(self.pending),
                         size=size_text(sum(len(p.data) for p in self.pending)),
                         width=round(last.width / last.dpi * 25.4),
                         height=round(last.height / last.dpi * 25.4), dpi=last.dpi,
                         seconds=f"{self.seconds:.1f}")
            else:
                text = t("scan.nothing_pending")
        self.query_one("#scan-preview", Static).update(text)

    @on(OptionList.OptionSelected, "#scan-documents")
    def _selected(self, _: OptionList.OptionSelected) -> None:
        self.action_scan()

    def action_scan(self) -> None:
        target = self.chosen()
        if target is None or self.busy:
            return
        if self.pending and self.pending_for != target:
            self.notify(t("scan.keep_first", document=self.pending_for[0]
                          if self.pending_for else ""), severity="warning")
            return
        self.busy, self.closing = True, False
        self.show_preview(t("scan.scanning", document=target[0]))

        def scanned(result: Scanned) -> None:
            self.busy = False
            self.pending.extend(result.pages)
            self.pending_for = target
            self.seconds += result.seconds
            self.show_preview()

        def failed(error: object) -> None:
            self.busy = False
            self.show_preview()
            self.notify(str(error), severity="error", timeout=10)

        self.ask(lambda store: services.scanner.scan(store.cfg.scanner), on_done=scanned,
                 on_refused=failed, on_failed=lambda: failed(t("scan.failed_unexpected")))

    def action_keep(self) -> None:
        if self.busy:
            return
        if not self.pending or self.pending_for is None:
            self.notify(t("scan.nothing_pending"), severity="warning")
            return
        pages, (document, stage), code = list(self.pending), self.pending_for, self.code
        self.busy = True

        def kept(view: DossierFileView) -> None:
            self.busy, self.kept = False, True
            self.pending, self.pending_for, self.seconds = [], None, 0.0
            self.notify(t("scan.kept", document=view.document, pages=view.pages,
                          size=size_text(view.bytes)))
            self.reload()

        def refused(error: object) -> None:
            self.busy = False
            self.notify(str(error), severity="error", timeout=10)

        self.ask(lambda store: services.documents.keep_pages(store, code, document, pages,
                                                            stage=stage),
                 on_done=kept, on_refused=refused, on_failed=lambda: setattr(self, "busy", False),
                 hold_keys=True)

    def action_discard(self) -> None:
        if self.pending:
            self.notify(t("scan.discarded", pages=len(self.pending)))
        self.pending, self.pending_for, self.seconds = [], None, 0.0
        self.show_preview()

    def action_close(self) -> None:
        if self.pending and not self.closing:
            self.closing = True
            self.notify(t("scan.close_pending", pages=len(self.pending)), severity="warning")
            return
        self.dismiss(self.kept)

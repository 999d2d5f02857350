"""N on the technician's screen: the counter's scanner.

How it is configured ([scanner], [documents]), the devices SANE finds (the list takes a few
seconds: SANE asks the network for scanners too, so it is read in a worker and on request),
and a test page: one sheet scanned and kept nowhere, with what a page costs (size, encoding,
seconds), so the technician sees the scanner works before an officer needs it.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import DataTable, Static

from counter_tui.core.i18n import t
from counter_tui.core.roles import Action
from counter_tui.core.scanning import Device, Scanned
from counter_tui.ui import services
from counter_tui.ui.base import BaseScreen, bind
from counter_tui.ui.screens.scan import size_text
from counter_tui.ui.widgets.keybar import KeyBar
from counter_tui.ui.widgets.text import Msg


class ScannerScreen(BaseScreen[None]):
    NEEDS: ClassVar[dict[str, Action]] = {"test_scan": Action.SCANNER_MANAGE,
                                          "list_devices": Action.SCANNER_MANAGE}
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("escape", "back", "scanner.back", "scanner_back", display="Esc"),
        bind("t", "test_scan", "scanner.test", "scanner_test", display="T"),
        bind("l", "list_devices", "scanner.list", "scanner_list", display="L"),
    ]

    def __init__(self) -> None:
        super().__init__(id="scanner")

    def compose(self) -> ComposeResult:
        yield Msg("scanner.title", id="scanner-title")
        yield Static(id="scanner-config")
        yield Msg("scanner.devices", classes="section")
        yield DataTable(id="scanner-devices", cursor_type="row", zebra_stripes=True)
        yield Static(t("scanner.no_test"), id="scanner-test")
        yield KeyBar()

    def on_mount(self) -> None:
        self.columns(self.query_one("#scanner-devices", DataTable),
                     *(f"scanner.col.{c}" for c in ("name", "vendor", "model", "kind")))
        self.show_config()
        self.action_list_devices()

    def relabel_data(self) -> None:
        self.show_config()

    def show_config(self) -> None:
        s = self.capp.cfg.scanner
        self.query_one("#scanner-config", Static).update(t(
            "scanner.config", device=s.device or t("scanner.first_found"),
            resolution=s.resolution, mode=s.mode, feeder=t("tech.yes") if s.feeder
            else t("tech.no"), duplex=t("tech.yes") if s.duplex else t("tech.no"),
            quality=s.quality, folder=self.capp.cfg.documents_folder))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_list_devices(self) -> None:
        table = self.query_one("#scanner-devices", DataTable)
        table.loading = True

        def listed(found: list[Device]) -> None:
            table.loading = False
            table.clear()
            for d in found:
                table.add_row(d.name, d.vendor, d.model, d.kind)
            if not found:
                self.notify(t("scanner.none_found"), severity="warning")

        def refused(error: object) -> None:
            table.loading = False
            self.notify(str(error), severity="error", timeout=10)

        self.ask(services.scanner.devices, on_done=listed, on_refused=refused,
                 on_failed=lambda: setattr(table, "loading", False), group="devices")

    def selected_device(self) -> str | None:
        table = self.query_one("#scanner-devices", DataTable)
        if not table.row_count:
            return None
        return str(table.get_row_at(table.cursor_row)[0])

    def action_test_scan(self) -> None:
        device = self.selected_device()
        line = self.query_one("#scanner-test", Static)
        line.update(t("scanner.testing", device=device or "-"))

        def done(scanned: Scanned) -> None:
            page = scanned.pages[0]
            line.update(t("scanner.tested", device=scanned.device, pages=len(scanned.pages),
                          size=size_text(scanned.bytes), kind=page.kind.upper(),
                          width=page.width, height=page.height, dpi=page.dpi,
                          seconds=f"{scanned.seconds:.1f}"))

        def refused(error: object) -> None:
            line.update(str(error))

        self.ask(lambda store: services.scanner.test_scan(store, device), on_done=done,
                 on_refused=refused, group="test")

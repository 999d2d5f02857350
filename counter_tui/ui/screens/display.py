"""The waiting-room display (`counter-tui display`): a TV's full screen, read from across a room.

For each counter the number it serves now, in the largest digits a terminal draws; the last
calls with their counters, the newest highlighted for a few seconds; how many wait in each
group; the office's name, the date and time (the office's), and a line of notices from config.
It only reads (Role.DISPLAY), reloads when a terminal commits (the app's change feed), and
announces every new call aloud (voice/) in the order the calls were made.

The store may go away (a server restarted, a network cable pulled): the display then keeps the
last numbers on screen under "mất kết nối", tries again by itself every few seconds, and
carries on as soon as the store answers. Voice that cannot work here (no espeak-ng, no such
voice) is said once; the display keeps showing.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Grid, Horizontal, Vertical
from textual.renderables.digits import DIGITS
from textual.widgets import Digits, Static

from counter_tui.core.announce import call_text
from counter_tui.core.errors import UserError
from counter_tui.core.i18n import language, t
from counter_tui.ui import services
from counter_tui.ui.base import BaseScreen
from counter_tui.ui.messages import Refresh, StoreStatus
from counter_tui.ui.widgets.text import Msg

if TYPE_CHECKING:
    from counter_tui.core.views import CallView, DisplayBoard
    from counter_tui.voice.announcer import Announcer
    from counter_tui.voice.speaker import VoiceUnavailable

log = logging.getLogger(__name__)

RETRY_SECONDS = 3.0  # how often a display without its store tries again


class CounterPanel(Vertical):
    """One counter: its name and the number it serves, in big digits (or big text for a code
    Digits cannot draw)."""

    def __init__(self, number: int, name: str) -> None:
        super().__init__(classes="dsp-counter", id=f"dsp-counter-{number}")
        self.number, self.label = number, name

    def compose(self) -> ComposeResult:
        yield Static(self.label, classes="dsp-counter-name")
        yield Digits("----", classes="dsp-digits")
        code = Static("", classes="dsp-code")
        code.display = False
        yield code

    def show(self, code: str | None) -> None:
        digits, text = self.query_one(Digits), self.query_one(".dsp-code", Static)
        shown = code or "----"
        drawable = all(ch in DIGITS for ch in shown)
        digits.update(shown if drawable else "----")
        digits.display = drawable
        text.update(shown)
        text.display = not drawable
        self.set_class(code is None, "-free")


class DisplayScreen(BaseScreen[None]):
    # nothing to press: the TV only shows (F1 help comes from BaseScreen)

    def __init__(self) -> None:
        super().__init__(id="display")
        self.board: DisplayBoard | None = None
        self.connected = True
        self._last_event: int | None = None  # the newest call already announced
        self._highlight_until = 0.0
        self._voice_said = False
        self._announcer: Announcer | None = None
        self._reading = False
        self._again = False

    def compose(self) -> ComposeResult:
        cfg = self.capp.cfg
        with Horizontal(id="dsp-top"):
            yield Static(cfg.office.name, id="dsp-office")
            yield Static("", id="dsp-clock")
        yield Msg("display.lost", id="dsp-lost")
        with Grid(id="dsp-counters"):
            for c in cfg.counters:
                yield CounterPanel(c.number, c.name)
        with Horizontal(id="dsp-bottom"):
            with Vertical(id="dsp-calls"):
                yield Msg("display.calls", classes="box-title")
                for i in range(cfg.display.calls):
                    yield Static("", classes="dsp-call", id=f"dsp-call-{i}")
            with Vertical(id="dsp-waiting-box"):
                yield Msg("display.waiting", classes="box-title")
                yield Static("", id="dsp-waiting")
        yield Static(cfg.display.notices, id="dsp-notices")

    def on_mount(self) -> None:
        self.query_one("#dsp-lost").display = False
        self.query_one("#dsp-notices").display = bool(self.capp.cfg.display.notices)
        grid = self.query_one("#dsp-counters", Grid)
        grid.styles.grid_size_columns = min(4, max(1, len(self.capp.cfg.counters)))
        self._tick()
        self.set_interval(1.0, self._tick)
        self.set_interval(RETRY_SECONDS, self._retry)
        self._start_voice()
        self.reload()

    def on_unmount(self) -> None:
        super().on_unmount()
        if self._announcer is not None:
            self._announcer.stop()

    # --- reading the board --------------------------------------------------------------------

    @on(Refresh)
    def _changed(self, _: Refresh) -> None:
        self.reload()

    @on(StoreStatus)
    def _status(self, event: StoreStatus) -> None:
        if event.live:
            self.reload()
        else:
            self._set_connected(False)

    def _retry(self) -> None:
        if not self.connected:
            self.reload()

    def reload(self) -> None:
        """Read the board in a thread; a change during a read means one more read after it."""
        if self._reading:
            self._again = True
            return
        self._reading, self._again = True, False
        store, app = self.capp.store, self.app
        calls = self.capp.cfg.display.calls

        def read() -> None:
            try:
                board = services.display.board(store, calls)
            except UserError as exc:  # refused (this account may not view): said, retried
                app.call_from_thread(self._read_failed, str(exc))
                return
            except Exception as exc:  # the store went away: shown, retried, never raised
                log.warning("display: store unavailable (%s)", type(exc).__name__)
                app.call_from_thread(self._read_failed, None)
                return
            app.call_from_thread(self.show, board)

        self.run_worker(read, thread=True, group="display", exit_on_error=False)

    def _done_reading(self) -> None:
        self._reading = False
        if self._again:
            self.reload()

    def _read_failed(self, refusal: str | None) -> None:
        self._set_connected(False)
        lost = self.query_one("#dsp-lost", Msg)
        if refusal is None:
            lost.relabel()
        else:
            lost.update(refusal)
        self._done_reading()

    def _set_connected(self, connected: bool) -> None:
        if connected == self.connected:
            return
        self.connected = connected
        lost = self.query_one("#dsp-lost", Msg)
        lost.relabel()
        lost.display = not connected
        self.set_class(not connected, "-lost")

    def show(self, board: DisplayBoard) -> None:
        self._set_connected(True)
        self.board = board
        for c in board.counters:
            for panel in self.query(f"#dsp-counter-{c.number}").results(CounterPanel):
                panel.show(c.code)
        self._announce(board.calls)
        self._show_calls()
        self.query_one("#dsp-waiting", Static).update("\n".join(
            t("display.waiting_line", letter=letter, group=name, n=n)
            for letter, name, n in board.waiting))
        self._done_reading()

    def _show_calls(self) -> None:
        calls = self.board.calls if self.board else ()
        fresh = time.monotonic() < self._highlight_until
        for i, row in enumerate(self.query(".dsp-call").results(Static)):
            if i < len(calls):
                call = calls[i]
                row.update(t("display.call_line", code=call.code, counter=call.counter_name,
                             time=call.at.strftime("%H:%M")))
            else:
                row.update("")
            row.set_class(i == 0 and fresh and bool(calls), "-latest")

    def _tick(self) -> None:
        now = self.capp.store.now()
        self.query_one("#dsp-clock", Static).update(now.strftime("%H:%M:%S  %d/%m/%Y"))
        if self._highlight_until and time.monotonic() >= self._highlight_until:
            self._highlight_until = 0.0
            self._show_calls()

    def relabel_data(self) -> None:
        if self.board is not None:
            self._show_calls()

    # --- voice ----------------------------------------------------------------------------------

    def _announce(self, calls: tuple[CallView, ...]) -> None:
        """The calls newer than the last seen, oldest first, to the announcer; the calls
        already on the board when the display starts are not spoken again."""
        newest = max((c.event_id for c in calls), default=0)
        if self._last_event is None:
            self._last_event = newest
            return
        new = sorted((c for c in calls if c.event_id > self._last_event),
                     key=lambda c: c.event_id)
        if not new:
            return
        self._last_event = newest
        self._highlight_until = time.monotonic() + self.capp.cfg.display.highlight_seconds
        if self._announcer is not None:
            max_age = self.capp.cfg.voice.max_age_seconds
            now = self.capp.store.now()
            for call in new:
                if (now - call.at).total_seconds() > max_age:
                    continue  # made while the store was away: too late to send anyone
                self._announcer.say(self._words(call), call.code, call.at)

    def _words(self, call: CallView) -> str:
        cfg = self.capp.cfg
        template = cfg.voice.template(cfg.group(call.code.rstrip("0123456789")), call.recall)
        return call_text(call.code, call.counter, recall=call.recall,
                         reading="number" if cfg.voice.numbers == "number" else "digits",
                         template=template, southern=cfg.voice.southern)

    def _start_voice(self) -> None:
        from counter_tui.voice.announcer import Announcer
        from counter_tui.voice.speaker import VoiceUnavailable, find_speaker

        cfg = self.capp.cfg.voice
        if cfg.output == "off":
            return
        voice = cfg.voice or ("vi" if language() == "vi" else "en")
        try:
            speaker = find_speaker(cfg.output, voice, cfg.speed, cfg.chime, clips=cfg.clips,
                                   on_missing=self._clip_missing)
        except (VoiceUnavailable, OSError) as exc:
            self._voice_problem(exc if isinstance(exc, VoiceUnavailable)
                                else VoiceUnavailable(t("voice.engine_failed", reason=exc)))
            return

        def problem(exc: VoiceUnavailable) -> None:
            with contextlib.suppress(RuntimeError):
                self.app.call_from_thread(self._voice_problem, exc)

        self._announcer = Announcer(speaker, repeat=cfg.repeat, max_age=cfg.max_age_seconds,
                                    on_problem=problem).start()

    def _clip_missing(self, name: str) -> None:
        """From the announcer's thread: a word had no recorded clip (said once per word)."""
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(self.notify, t("voice.clip_missing", name=name),
                                      severity="warning", timeout=10)

    def _voice_problem(self, exc: VoiceUnavailable) -> None:
        if self._voice_said:
            return  # said once: the room needs the numbers, not the same warning again
        self._voice_said = True
        self.notify(t("voice.off", reason=str(exc)), severity="warning", timeout=15)

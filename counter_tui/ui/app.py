"""The Textual application: wiring only.

It pushes the screen of its mode (the counter's sign-in, the waiting-room display or the
ticket kiosk). An officer's terminal draws its sign-in first and opens the store just after
(keys typed meanwhile wait for it: ui.keys), so the first frame does not wait for the store
and its models; a store that cannot be opened ends the app with the same message and exit
code as before it drew anything (`start_failure`). Once the first frame is drawn it starts
the print spooler, shows the printer's health and listens for other terminals' commits
(services.changes: every open screen is told to reload, none polls). Screens ask the
services themselves (ui.base): an officer sees a `UserError`'s message, or a short apology
with the log's path for anything else, never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, SystemCommand
from textual.screen import Screen

from counter_tui.config import Config
from counter_tui.core.i18n import language, set_language, t
from counter_tui.core.roles import Action, Actor, may
from counter_tui.ui import ahead
from counter_tui.ui.base import BaseScreen, bind
from counter_tui.ui.keys import KeyQueue
from counter_tui.ui.messages import Refresh, StoreStatus

if TYPE_CHECKING:
    from textual.command import Provider

    from counter_tui.core.views import SignedIn
    from counter_tui.printing.spooler import PrinterHealth, Spooler
    from counter_tui.services.changes import ChangeFeed
    from counter_tui.services.store import Store

log = logging.getLogger(__name__)

MODES = ("counter", "display", "kiosk")
_OPENING = "the store is opening"  # the key queue's hold while it does
KIOSK_STATUS_EVERY = 5.0  # seconds between a kiosk's readings of its printer while it is up


def _palette_commands() -> type[Provider]:
    """The palette's commands, imported when it first opens (not before the first frame)."""
    from counter_tui.ui.palette import FoldedCommands

    return FoldedCommands


def open_terminal_store(cfg: Config) -> Store:
    """The store as this terminal starts with it: migrated, in step with config, and with any
    slip a crash left half-sent marked failed. Opened before the first frame, so the counter
    screen shows real figures from the start; failing here is a message and an exit code."""
    from counter_tui.services import printjobs
    from counter_tui.services.store import open_store

    store = open_store(cfg, daily_backup=True)
    printjobs.recover_interrupted(store)
    return store


def _warm(cfg: Config) -> None:
    """Import the counter screen (signing in opens it) and render a slip (python-escpos and
    fonts for a raster printer, the code tables for a text one), so neither the first
    sign-in nor the first F2 pays for them. Nothing is printed; a failure here is only
    logged: the real slip reports its own."""
    try:
        from counter_tui.core.layout import Cut, Slip, Text
        from counter_tui.printing.render import render
        from counter_tui.ui.screens import counter  # noqa: F401

        render(Slip("warm-up", (Text("A001", scale=2), Cut())), cfg.printer)
    except Exception:
        log.debug("warming up the counter screen and the slip renderer", exc_info=True)


class CounterApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "counter-tui"
    BINDINGS = [
        bind("ctrl+q", "quit", "app.quit", "quit", help="app.quit_help", priority=True),
        bind("f11,ctrl+t", "technician", "app.technician", "technician",
             help="app.technician_help", display="F11"),
        bind("f10", "accounts", "app.accounts", "accounts", help="app.accounts_help",
             display="F10"),
        bind("ctrl+l", "lock", "app.lock", "lock", help="app.lock_help", display="Ctrl+L",
             priority=True),
        bind("ctrl+p", "command_palette", "app.palette", "command_palette",
             help="app.palette_help", show=False, priority=True),
        # At the kiosk only (check_action): the keys a hand tries to get out with ask for a
        # technician's PIN. Elsewhere they fall through to Textual's own (Ctrl+C copies); no
        # label, so F1 and the palette do not list them as a second way to quit.
        bind("ctrl+c,ctrl+backslash", "leave_kiosk", "", "leave_kiosk", show=False,
             priority=True),
    ]
    COMMANDS = {_palette_commands}

    def __init__(self, cfg: Config, *, store: Store | None = None,
                 open_store: Callable[[], Store] | None = None, log_path: Path | None = None,
                 start_spooler: bool = True, mode: str = "counter", live: bool = True) -> None:
        """`store`, or (the counter only) `open_store` to open it once the sign-in is drawn."""
        super().__init__()
        self.mode = mode
        self.feed: ChangeFeed | None = None
        self._live = live
        self.store_live = True  # the change feed hears the store (False: it went away)
        self.cfg = cfg
        if store is None and (open_store is None or mode != "counter"):
            raise ValueError("a store, or the counter's way to open one")
        self._store = store
        self._open_store = open_store
        self.start_failure: Exception | None = None  # the store could not be opened
        self.log_path = log_path
        self.spooler: Spooler | None = None
        self.printer_health: PrinterHealth | None = None
        self._switch_interval = sys.getswitchinterval()
        self._start_spooler = start_spooler
        self.title = cfg.office.name
        self.keys = KeyQueue(self)
        self.locked = False
        self._last_input = store.now() if store is not None else dt.datetime.min
        self._input_at = time.monotonic()  # the same moment, for work done between keys
        # print jobs an officer has been told need a decision (each is told once)
        self.problems_told: set[int] = set()
        self._kiosk_printer_lock = threading.Lock()

    async def on_event(self, event: events.Event) -> None:
        """Keys and pasted text go through the key queue: each is handled only once the app
        has caught up with the one before (ui.keys), so a burst never loses a key."""
        if isinstance(event, events.Key | events.Paste | events.MouseDown):
            self._input_at = time.monotonic()
            if self._store:
                self._last_input = self._store.now()
        if self.keys.take(event):
            return
        if isinstance(event, events.Key | events.Paste) and not self.screen_stack:
            return  # the app is closing: nothing left to type into
        await super().on_event(event)

    def on_mount(self) -> None:
        # A worker storing and printing a slip waits for the interpreter lock after every
        # database call; with the default 5 ms switch interval, a screen repainting at the same
        # moment made the slip wait tens of milliseconds. Sub-millisecond hand-overs cost the
        # repaint little and let the slip leave at once.
        sys.setswitchinterval(0.0005)

        self.call_after_refresh(self._after_first_frame)
        self.set_interval(ahead.IDLE, self._collect_in_pause)
        if self.mode == "display":
            from counter_tui.ui.screens.display import DisplayScreen

            self.push_screen(DisplayScreen())
        elif self.mode == "kiosk":
            from counter_tui.ui.screens.kiosk import KioskScreen

            self.push_screen(KioskScreen())
        elif self._store is None:
            self.keys.hold(_OPENING)  # until the store is open (_after_first_frame)
            self._ask_sign_in()
        else:
            self._opened()
            self._ask_sign_in()

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the store is opened after the first frame")
        return self._store

    @store.setter
    def store(self, store: Store) -> None:
        self._store = store

    def _open(self) -> bool:
        """The counter's store, opened once its sign-in is drawn: False (and the app ends,
        cli tells why) if it cannot be."""
        assert self._open_store is not None
        try:
            self._store = self._open_store()
        except Exception as exc:
            self.start_failure = exc
            self.exit(return_code=2)
            return False
        self._opened()
        from counter_tui.services import accounts
        from counter_tui.ui.screens.signin import FirstAdministrator

        if accounts.needs_first_administrator(self._store):  # not the sign-in drawn first
            self.pop_screen()
            self.push_screen(FirstAdministrator(), self._signed_in)
        self.keys.release(_OPENING)
        return True

    def _opened(self) -> None:
        self.store.sign_in(None)  # whoever opened the store, the terminal's officer signs in
        self._last_input = self.store.now()
        self.set_interval(10, self.lock_if_idle)

    def _collect_in_pause(self) -> None:
        if not self.keys.unread_input():
            ahead.collect_if_due(self.seconds_since_input())

    def _after_first_frame(self) -> None:
        """What the first frame does not need starts once it is drawn: the print spooler (a
        slip stored meanwhile waits in the queue and leaves when it starts), the change feed
        (each screen reads the store when it opens), and, in the background, what the first
        sign-in and the first slip would otherwise wait for."""
        if self._store is None and not self._open():
            return
        if self._start_spooler and self.mode != "display":  # the display prints nothing
            self._start_print_spooler(self.store)
        if self._live:
            self._start_feed()
        if self.mode == "counter":
            threading.Thread(target=_warm, args=(self.cfg,), name="warm-up", daemon=True).start()

    # --- other terminals' commits ----------------------------------------------------------

    def _start_feed(self) -> None:
        from counter_tui.services.changes import ChangeFeed

        def changed() -> None:
            self._from_feed(self._store_changed)

        def status(live: bool) -> None:
            self._from_feed(self._store_status, live)

        self.feed = ChangeFeed(self.store.db, changed, on_status=status).start()

    def _from_feed(self, callback: Any, *args: Any) -> None:
        with contextlib.suppress(RuntimeError):  # the app is closing
            self.call_from_thread(callback, *args)

    def _store_changed(self) -> None:
        """Another terminal (or this one) committed: every open screen reloads what it shows."""
        for screen in self.screen_stack:
            screen.post_message(Refresh())

    def _store_status(self, live: bool) -> None:
        self.store_live = live
        for screen in self.screen_stack:
            screen.post_message(StoreStatus(live))

    # --- who works here: sign-in, lock, change of officer ------------------------------------

    def _ask_sign_in(self) -> None:
        """The sign-in; a store nobody can sign in to yet asks for its first administrator
        instead (told once the store is open, when it opens after the first frame)."""
        from counter_tui.ui.screens.signin import FirstAdministrator, SignIn

        first = False
        if self._store is not None:
            from counter_tui.services import accounts

            first = accounts.needs_first_administrator(self._store)
        self.push_screen(FirstAdministrator() if first else SignIn(), self._signed_in)

    def _signed_in(self, signed: SignedIn | None) -> None:
        from counter_tui.ui.screens.counter import CounterScreen

        if signed is None:  # a first PIN not changed: ask again
            self._ask_sign_in()
            return
        self.push_screen(CounterScreen())

    @property
    def actor(self) -> Actor | None:
        return self._store.actor if self._store is not None else None

    def can(self, action: Action) -> bool:
        """Whether the officer signed in here may do `action` (screens grey what not)."""
        return self._store is not None and may(self._store.actor, action, self._store.grants)

    def action_lock(self) -> None:
        """Ctrl+L, or idle: everything hidden until a PIN is typed (ui.screens.signin)."""
        from counter_tui.services import accounts
        from counter_tui.ui.screens.signin import SignIn

        actor = self.store.actor
        if self.locked or actor is None:
            return
        self.locked = True
        self.run_worker(lambda: accounts.lock_screen(self.store), thread=True,
                        exit_on_error=False, group="lock")
        self.push_screen(SignIn(locked_by=actor.username),
                         lambda signed: self._unlocked(actor.username, signed))

    def _unlocked(self, before: str, signed: SignedIn | None) -> None:
        from counter_tui.ui.screens.counter import CounterScreen

        self.locked = False
        self._last_input = self.store.now()
        if signed is None:
            self.action_lock()
            return
        if signed.username != before:  # another officer: back to the counter, as theirs
            stack = self.screen_stack
            counter = next((i for i, s in enumerate(stack) if isinstance(s, CounterScreen)), None)
            for _ in range(len(stack) - 1 - counter if counter is not None else 0):
                self.pop_screen()
        for screen in self.screen_stack:
            if isinstance(screen, BaseScreen):
                screen.officer_changed()
                screen.refresh_bindings()

    def lock_if_idle(self) -> None:
        """Lock after `[security] idle_lock_minutes` without a key (the store's clock). A key
        that has reached the app but waits to be read (behind a repaint) is input already:
        `_last_input` only moves when the app reads it, and this timer does not wait for that."""
        minutes = self.cfg.security.idle_lock_minutes
        if not minutes or self.locked or self.actor is None or self.keys.unread_input():
            return
        if (self.store.now() - self._last_input).total_seconds() >= minutes * 60:
            self.action_lock()

    def action_accounts(self) -> None:
        from counter_tui.ui.screens.accounts import AccountsScreen

        if self.locked or not self.can(Action.ACCOUNT_MANAGE):  # also from the palette
            return

        if not isinstance(self.screen, AccountsScreen):
            self.push_screen(AccountsScreen())

    # --- the kiosk leaves its screen only with a technician's PIN ----------------------------

    def seconds_since_input(self) -> float:
        """Since the last key, click or paste, by the machine's clock: work done ahead waits
        for a pause (ui.ahead); the store's clock is the office's, and tests set it."""
        return time.monotonic() - self._input_at

    def idle_seconds(self) -> float:
        """Seconds since the last key, click or paste (the store's clock)."""
        return (self.store.now() - self._last_input).total_seconds()

    async def action_quit(self) -> None:
        if self.mode == "kiosk":
            self.action_leave_kiosk()
            return
        await super().action_quit()

    def action_help_quit(self) -> None:
        if self.mode == "kiosk":
            self.action_leave_kiosk()
            return
        super().action_help_quit()

    def action_leave_kiosk(self) -> None:
        """Every way out of the kiosk comes here: a technician's PIN, or the kiosk stays."""
        from counter_tui.ui.screens.kiosk_leave import LeaveKiosk

        if self.mode != "kiosk" or any(isinstance(s, LeaveKiosk) for s in self.screen_stack):
            return

        def answered(technician: str | None) -> None:
            if technician:
                self.exit()

        self.push_screen(LeaveKiosk(), answered)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_kiosk":
            return self.mode == "kiosk"
        if self.mode == "kiosk" and action == "command_palette":
            return True  # it asks for the PIN (action_command_palette)
        if self.mode != "counter" and action in (
                "technician", "accounts", "lock", "command_palette", "switch_language"):
            return False  # the display and the kiosk never leave their screen
        needs = {"technician": Action.PRINTER_MANAGE, "accounts": Action.ACCOUNT_MANAGE}.get(action)
        if needs is not None and (self.locked or not self.can(needs)):
            return None if action == "accounts" else False
        return True

    def _start_print_spooler(self, store: Store) -> None:
        from counter_tui.printing.spooler import STATUS_EVERY, Spooler
        from counter_tui.services import printjobs

        def failed(job_id: int, reason: str, transient: bool, maybe_printed: bool) -> None:
            state = printjobs.failed(store, job_id, reason, transient=transient,
                                     maybe_printed=maybe_printed)
            if state in (printjobs.FAILED, printjobs.UNSURE):
                self.problems_told.add(job_id)
                label = next((j.label for j in printjobs.problems(store) if j.id == job_id), job_id)
                self.call_from_thread(self.notify, t("print.failed_notice", label=label,
                                                     reason=reason), severity="error", timeout=10)

        # A kiosk reads its printer's status more often than a counter: nobody is there to see
        # the paper run out, and the citizen should be told before pressing, not after.
        status_every = KIOSK_STATUS_EVERY if self.mode == "kiosk" else STATUS_EVERY
        self.spooler = Spooler(partial(printjobs.claim, store), partial(printjobs.sent, store),
                               failed, self.cfg.printer, on_change=self._printed,
                               on_health=self._printer_health_changed,
                               recover=partial(printjobs.recover_interrupted, store),
                               status_every=status_every)
        self.spooler.start()
        if self.mode == "kiosk":
            self._kiosk_printer_at_start()

    def _printed(self) -> None:
        self._from_feed(self._store_changed)

    def kick_printer(self) -> None:
        if self.spooler:
            self.spooler.kick()

    def print_now(self, job: object) -> None:
        """Send a just-committed slip from the worker that stored it (see ui.base.ask)."""
        if not isinstance(job, int) or self.spooler is None:
            return
        try:
            self.spooler.send_now(job)
        except Exception:  # the record is stored; the spooler retries the slip
            log.exception("printing job %s", job)
            self.spooler.kick()

    # --- the printer's health (from the spooler thread) and the technician screen ----------

    @property
    def printer_offline(self) -> bool:
        """The printer is known to be down: what would print is greyed out."""
        return self.printer_health is not None and self.printer_health.offline

    def _printer_health_changed(self, health: PrinterHealth) -> None:
        try:
            self.call_from_thread(self._show_printer_health, health)
        except RuntimeError:  # already on the UI thread, or the app is closing
            if self._thread_id == threading.get_ident():
                self._show_printer_health(health)

    def _show_printer_health(self, health: PrinterHealth) -> None:
        before, self.printer_health = self.printer_health, health
        changed = health.offline != (before is not None and before.offline) or (
            health.offline and before is not None and health.down != before.down)
        if self.mode == "kiosk":  # a kiosk's screen says it itself, in plain words
            if changed:
                self._tell_counters_kiosk_printer()
        elif health.offline and (before is None or not before.offline):
            self.notify(health.notice(), severity="warning", timeout=8)
        elif not health.offline and before is not None and before.offline:
            self.notify(t("app.printer_back"))
        for screen in self.screen_stack:
            if isinstance(screen, BaseScreen):
                screen.printer_changed()
        self.screen.refresh_bindings()

    # --- a kiosk's printer, told to every counter through the store -------------------------

    def _kiosk_printer_at_start(self) -> None:
        """What the kiosk finds at start replaces what a kiosk on this printer said before
        (it may have been fixed while the kiosk was off): read it, then tell the counters."""
        spooler = self.spooler

        def look() -> None:
            if spooler is not None:
                spooler.probe()  # a printer down calls back (and tells) by itself
            self._report_kiosk_printer()

        self.run_worker(look, thread=True, exit_on_error=False, group="kiosk-printer")

    def _tell_counters_kiosk_printer(self) -> None:
        self.run_worker(self._report_kiosk_printer, thread=True, exit_on_error=False,
                        group="kiosk-printer")

    def _report_kiosk_printer(self) -> None:
        """In a worker thread; reports in turn, each what is known when it runs, so the last
        word in the store is the last thing known."""
        from counter_tui.services import kiosk_printer

        with self._kiosk_printer_lock:
            health = self.printer_health
            reason = health.down if health is not None and health.offline else None
            try:
                kiosk_printer.report(self.store, reason)
            except Exception as exc:  # the store away, or an account that may not issue
                log.warning("kiosk printer not reported (%s)", type(exc).__name__)

    def action_technician(self) -> None:
        from counter_tui.ui.screens.technician import TechnicianScreen

        if self.locked or not self.can(Action.PRINTER_MANAGE):  # also from the palette
            return

        if isinstance(self.screen, TechnicianScreen):
            self.pop_screen()
        else:
            self.push_screen(TechnicianScreen())

    # --- the command palette and the language ----------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action of the current screen, by name, in the command palette (Ctrl+P)."""
        from counter_tui.ui.palette import commands

        yield from commands(self, screen)

    def action_command_palette(self) -> None:
        from counter_tui.ui.palette import Palette

        if self.mode == "kiosk":  # the palette leads everywhere: the kiosk asks for the PIN
            self.action_leave_kiosk()
            return
        if not any(isinstance(screen, Palette) for screen in self.screen_stack):
            self.push_screen(Palette())

    def action_switch_language(self) -> None:
        """Vietnamese <-> English, now: every open screen shows its labels again."""
        set_language("en" if language() == "vi" else "vi")
        for screen in self.screen_stack:
            if isinstance(screen, BaseScreen):
                screen.relabel()
        self.notify(t("app.language_now"))

    def on_unmount(self) -> None:
        self.keys.stop()
        if self.feed:
            self.feed.stop()
        if self.spooler:
            self.spooler.stop()
        sys.setswitchinterval(self._switch_interval)  # the interval is process-wide


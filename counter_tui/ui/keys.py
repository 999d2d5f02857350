"""Keys are never lost and never land in the wrong field, however fast they come.

A barcode scanner, a macro or a fast typist sends a burst of keys before the app has handled
the first. Textual routes each key to whatever has the focus at the moment the app reads it,
but what a key does is applied later: a Tab moves the focus only once the field has passed the
key up to the screen, F4's form is on the stack before it is mounted and focused, and a
procedure taken with Enter moves on to the name only once the search (a worker) has answered.
So the keys of a burst went to the field that had the focus before: "name, Tab, ID, Tab,
phone" all landed in the name, a letter sent to a tick box vanished, a letter meant for the
form was taken by the counter screen as one of its own keys.

`KeyQueue` puts every key (and pasted text) in one queue and hands the next one on only when
the app has caught up with the last:

- the screen on top is mounted (a screen just pushed has built and focused its form);
- the app and every widget of that screen have handled all their messages (a Tab has moved
  the focus, a choice has shown its fields) and run their pending callbacks; what widgets
  only do to draw themselves (resize, show, repaint) and notifications are not waited for;
- for a key that can move the focus (Tab, Enter, an arrow), the screen has laid out what it
  shows: Textual orders Tab by where widgets are on screen, and fields just shown are first in
  that order until they have a place. A character typed into a field does not wait for this,
  so F2 and a group's letter print a ticket as fast as without the queue;
- nothing holds the keys: a request whose answer decides where the next key goes (the
  procedure search after Enter, a ticket being issued, a form being saved) holds them until
  its answer is shown (`BaseScreen.ask(..., hold_keys=True)`).

A screen that answers some keys itself whatever has the focus (the new-ticket dialog: a
group's letter, a priority's digit: `answers_at_once`) takes them as soon as it is mounted and
no key is before them (`take_key_at_once`), as they arrive or straight after the key that
opened it: the ticket does not wait for the dialog to finish drawing.

A newline is an Enter. Keys typed while the app starts, before it has the terminal, pass the
terminal's line discipline, which turns each Enter into a newline (Ctrl+J to Textual): a card
scanned at once lost its Enters, and the username ran on into the PIN. A scanner set to end a
code with LF sends one too; with CR LF, the LF right after the Enter is dropped.

A key is then handled exactly as Textual handles it (priority bindings, then the focused
widget). Knowing when the app has caught up means reading a few of Textual's internals (the
message queues, the screen's pending layout, the toast widgets); textual is pinned in
pyproject.toml, and the burst tests (tests/ui/test_keys.py, tests/e2e) fail if they change.
Waiting is bounded: a screen that stays busy longer than `PATIENCE`, or a hold that
outlives `HOLD_LIMIT`, lets the key go on all the same, late rather than lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any

from textual import events
from textual.messages import Prompt, Update
from textual.widgets._toast import Toast, ToastHolder, ToastRack

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

log = logging.getLogger(__name__)
PATIENCE = 3.0  # seconds a key waits for the app at most
POLL = 0.002  # seconds between two looks at a busy app
# what a widget does to draw itself: none of it moves the focus, so a key need not wait for it
DRAWING = (Prompt, Update, events.Resize, events.Show, events.Hide)
HOLD_LIMIT = 15.0  # a hold nobody released (a request that never answered) ends by itself


class KeyQueue:
    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._queue: asyncio.Queue[events.Key | events.Paste] = asyncio.Queue()
        self._routed: set[int] = set()
        self._holds: dict[object, float] = {}
        self._released = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._routing = False
        self._after_return = False  # the last key was an Enter from the terminal (a CR)

    # --- from the app ----------------------------------------------------------------------

    def take(self, event: events.Event) -> bool:
        """Queue a key or a paste arriving from the terminal; False for anything else, and
        for the key this queue itself hands back to the app."""
        if not isinstance(event, events.Key | events.Paste) or event.is_forwarded:
            return False
        if id(event) in self._routed:
            self._routed.discard(id(event))
            return False
        if isinstance(event, events.Key):
            typed = self._as_typed(event)
            if typed is None:
                return True  # the LF of a CR LF: its Enter came already
            event = typed
        if self._queue.empty() and self._answered_at_once(event):
            return True
        self._queue.put_nowait(event)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="key queue")
        return True

    def _as_typed(self, key: events.Key) -> events.Key | None:
        """A newline (Ctrl+J) as the Enter it was typed as (see the module's docstring); None
        for the newline of a CR LF."""
        after_return, self._after_return = self._after_return, key.key == "enter"
        if key.key != "ctrl+j":
            return key
        if after_return:
            return None
        enter = events.Key("enter", "\r")
        enter.set_sender(self.app)
        return enter

    def _answered_at_once(self, event: events.Key | events.Paste) -> bool:
        """A key the screen on top answers itself whatever has the focus (the new-ticket
        dialog's letters and digits: `take_key_at_once`) goes to it as it arrives, when no key
        waits or is still on its way before it and nothing holds the keys. Waiting for the
        app to catch up would only wait for the dialog to finish drawing itself (its
        highlight, its focus), and the ticket with it."""
        if not isinstance(event, events.Key) or self._routed or self.held:
            return False
        try:
            screen = self.app.screen
        except Exception:  # no screen yet, or the app is closing
            return False
        take = getattr(screen, "take_key_at_once", None)
        if take is None or not screen.is_mounted:
            return False
        pumps: list[MessagePump] = [self.app, *screen.walk_children(with_self=True)]
        if any(self._holds_a_key(p) for p in pumps):
            return False  # a key handed on earlier is not handled yet: it goes first
        return bool(take(event))

    def _answers_at_once(self, screen: Any, event: events.Key | events.Paste | None) -> bool:
        """Whether `screen` answers `event` itself (`answers_at_once`), or, waiting for the
        last key's effects (None), the next key in the queue."""
        if event is None:
            if self._queue.empty():
                return False
            event = self._queue._queue[0]  # type: ignore[attr-defined]  # the next, not taken
        answers = getattr(screen, "answers_at_once", None)
        return isinstance(event, events.Key) and answers is not None and bool(answers(event))

    def unread_input(self) -> bool:
        """Whether a key, a paste or a click from the terminal waits in the app's own message
        queue, not read yet (the app is busy with a repaint or a screen being built). Timers
        run beside that queue: the idle lock asks this, so a key typed as its timer fires
        counts as typed and goes where it was typed, not to the lock screen."""
        waiting: list[object] = list(self.app._message_queue.values)
        return any(isinstance(m, events.Key | events.Paste | events.MouseDown) for m in waiting)

    @staticmethod
    def _holds_a_key(pump: MessagePump) -> bool:
        waiting: list[object] = list(pump._message_queue.values)
        return any(isinstance(m, events.Key | events.Paste) for m in waiting)

    @property
    def idle(self) -> bool:
        """No key waiting or being handed on."""
        return self._queue.empty() and not self._routing

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    # --- holds -----------------------------------------------------------------------------

    def hold(self, token: object) -> None:
        """Keep keys back until `release(token)` (or HOLD_LIMIT seconds)."""
        self._holds[token] = time.monotonic() + HOLD_LIMIT

    def release(self, token: object) -> None:
        if self._holds.pop(token, None) is not None:
            self._released.set()

    @property
    def held(self) -> bool:
        now = time.monotonic()
        for token, until in list(self._holds.items()):
            if until < now:
                del self._holds[token]
        return bool(self._holds)

    # --- the queue ---------------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            event = await self._queue.get()
            self._routing = True
            try:
                if self._answered_at_once(event):
                    continue  # the screen on top took it (after the keys before it)
                try:
                    await self._caught_up(event)
                except Exception:  # waiting went wrong: the key still goes on, never lost
                    log.exception("waiting for the app before a key")
                routed: events.Key | events.Paste
                if isinstance(event, events.Key):
                    routed = events.Key(event.key, event.character)
                else:
                    routed = events.Paste(event.text)
                routed.set_sender(self.app)
                self._routed.add(id(routed))
                self.app.post_message(routed)
                # wait here for the key to be handled (what it does, what that does): the next
                # key, typed by a person, usually comes later and then goes on at once
                await self._caught_up()
            except Exception:
                log.exception("handing a key on")
            finally:
                self._routing = self._queue.qsize() > 0

    async def _caught_up(self, event: events.Key | events.Paste | None = None) -> None:
        """Until the app can take `event` (None: until the last key's effects are in)."""
        # Only a key that can move the focus (Tab, Enter, an arrow: not a character typed
        # into a field) needs the screen laid out first: Tab's order follows positions.
        moves_focus = isinstance(event, events.Key) and not event.is_printable
        deadline = time.monotonic() + PATIENCE
        while time.monotonic() < deadline:
            if self.held:  # until released (a hold ends by itself after HOLD_LIMIT)
                deadline = max(deadline, time.monotonic() + 0.1)
                self._released.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._released.wait(), 0.05)
                continue
            try:
                screen = self.app.screen
            except Exception:  # no screen yet, or the app is closing
                await asyncio.sleep(0.01)
                continue
            if not screen.is_mounted:  # a screen being built cannot take a key: no deadline
                deadline = max(deadline, time.monotonic() + 0.1)
                await asyncio.sleep(POLL)
                continue
            if self._answers_at_once(screen, event):
                return  # it takes the key itself: its drawing need not be waited for
            if screen._layout_required and moves_focus:
                # Tab's order follows where widgets are on screen: fields just shown (a
                # channel's) have no place until the screen lays itself out. It would on its
                # next update tick; do now what that tick does rather than wait for it.
                screen._on_timer_update()
                if screen._layout_required:  # the app holds updates back for a moment
                    await asyncio.sleep(POLL)
                    continue
            pumps: list[MessagePump] = [self.app, *screen.walk_children(with_self=True)]
            if self._busy(pumps):
                await asyncio.sleep(POLL)  # their handlers run meanwhile (one event loop)
                continue
            # Nothing queued. A handler may still be under way (awaiting): a marker behind
            # whatever the app, the screen and the focused widget's line are doing says when
            # they are done; then look once more.
            focused = screen.focused
            await self._round([self.app, screen, *(focused.ancestors_with_self if focused
                                                    else ())],
                              max(0.0, deadline - time.monotonic()))
            if not self._busy(pumps) and self._screen() is screen \
                    and not (moves_focus and screen._layout_required):
                return

    def _screen(self) -> object:
        try:
            return self.app.screen
        except Exception:  # no screen: the app is closing
            return None

    def _busy(self, pumps: list[MessagePump]) -> list[MessagePump]:
        """The pumps with a message waiting, or a callback still to run. (Not counted: the
        prompt a pump posts itself to wake up when idle, keys from the terminal still on their
        way into this queue, and notifications coming and going: they take no key.)"""
        return [p for p in pumps if not isinstance(p, Toast | ToastRack | ToastHolder) and (
            p._next_callbacks or any(map(self._counts, list(p._message_queue.values))))]

    def _counts(self, message: object) -> bool:
        if isinstance(message, DRAWING):
            return False
        if isinstance(message, events.Key | events.Paste):
            return id(message) in self._routed
        return True

    @staticmethod
    async def _round(pumps: list[MessagePump], timeout: float) -> None:
        """Until each pump has handled what it had when this was called (bounded)."""
        left = 0
        done = asyncio.Event()

        def one() -> None:
            nonlocal left
            left -= 1
            if left == 0:
                done.set()

        for pump in dict.fromkeys(pumps):
            if pump.call_later(one):
                left += 1
        if left:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), timeout)

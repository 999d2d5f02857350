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
  the focus, a choice has shown its fields) and run their pending callbacks, and the screen
  has laid out what it shows (Textual orders Tab by where widgets are on screen: fields just
  shown are first in that order until they have a place);
- nothing holds the keys: a request whose answer decides where the next key goes (the
  procedure search after Enter, a ticket being issued, a form being saved) holds them until
  its answer is shown (`BaseScreen.ask(..., hold_keys=True)`).

A key is then handled exactly as Textual handles it (priority bindings, then the focused
widget). Waiting is bounded: a screen that stays busy longer than `PATIENCE`, or a hold that
outlives `HOLD_LIMIT`, lets the key go on all the same, late rather than lost.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any

from textual import events
from textual.messages import Prompt

if TYPE_CHECKING:
    from textual.app import App
    from textual.message_pump import MessagePump

log = logging.getLogger(__name__)
PATIENCE = 3.0  # seconds a key waits for the app at most
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
        self._settled = True  # the last key handed on, and all it caused, has been handled

    # --- from the app ----------------------------------------------------------------------

    def take(self, event: events.Event) -> bool:
        """Queue a key or a paste arriving from the terminal; False for anything else, and
        for the key this queue itself hands back to the app."""
        if not isinstance(event, events.Key | events.Paste) or event.is_forwarded:
            return False
        if id(event) in self._routed:
            self._routed.discard(id(event))
            return False
        self._queue.put_nowait(event)
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="key queue")
        return True

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
                try:
                    await self._caught_up()
                except Exception:  # waiting went wrong: the key still goes on, never lost
                    log.exception("waiting for the app before a key")
                routed: events.Key | events.Paste
                if isinstance(event, events.Key):
                    routed = events.Key(event.key, event.character)
                else:
                    routed = events.Paste(event.text)
                routed.set_sender(self.app)
                self._routed.add(id(routed))
                self._settled = False
                self.app.post_message(routed)
                # wait here for the key to be handled (what it does, what that does): the next
                # key, typed by a person, usually comes later and then goes on at once
                await self._caught_up()
                self._settled = True
            except Exception:
                log.exception("handing a key on")
            finally:
                self._routing = self._queue.qsize() > 0

    async def _caught_up(self) -> None:
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
                await asyncio.sleep(0.005)
                continue
            if screen._layout_required:
                # Tab's order follows where widgets are on screen: fields just shown (a
                # channel's) have no place until the screen lays itself out, a moment later
                await asyncio.sleep(0.005)
                continue
            pumps: list[MessagePump] = [self.app, *screen.walk_children(with_self=True)]
            idle = not self._busy(pumps)
            if idle and self._settled:
                return  # the last key was handled and nothing is queued since: no delay
            # a marker behind whatever the app, the screen and the focused widget (and any
            # widget with messages waiting) are doing: once each has run, they are done
            focused = screen.focused
            chain: list[MessagePump] = [self.app, screen,
                                        *(focused.ancestors_with_self if focused else ())]
            await self._round([*dict.fromkeys([*chain, *self._busy(pumps)])],
                              max(0.0, deadline - time.monotonic()))
            if idle and not self._busy(pumps) and self._screen() is screen:
                return

    def _screen(self) -> object:
        try:
            return self.app.screen
        except Exception:  # no screen: the app is closing
            return None

    def _busy(self, pumps: list[MessagePump]) -> list[MessagePump]:
        """The pumps with a message waiting, or a callback still to run. (Not counted: the
        prompt a pump posts itself to wake up when idle, and keys from the terminal still on
        their way into this queue.)"""
        return [p for p in pumps if p._next_callbacks or any(map(self._counts, list(
            p._message_queue.values)))]

    def _counts(self, message: object) -> bool:
        if isinstance(message, Prompt):
            return False
        if isinstance(message, events.Key | events.Paste):
            return id(message) in self._routed
        return True

    @staticmethod
    async def _round(pumps: list[MessagePump], timeout: float) -> None:
        """Until each pump has handled what it had before this call (bounded)."""
        left = 0
        done = asyncio.Event()

        def one() -> None:
            nonlocal left
            left -= 1
            if left == 0:
                done.set()

        for pump in pumps:
            if pump.call_later(one):
                left += 1
        if left:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(done.wait(), timeout)

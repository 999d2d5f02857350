"""The queue of announcements: one at a time, in the order of the calls, none lost, none late.

Calls come in bursts (three counters pressing F3 in the same second). Each announcement waits
its turn on one thread, so two are never spoken over each other, and a burst is spoken in the
order the calls were made. One that waited longer than `max_age` (a burst longer than the
room's patience, a stuck player) is dropped: a number spoken minutes late sends a citizen to a
counter that has moved on. Speaking never blocks the screen.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import field
from datetime import datetime
from typing import Protocol

from counter_tui.core.records import frozen
from counter_tui.voice.speaker import VoiceUnavailable

log = logging.getLogger(__name__)


class Voice(Protocol):
    def speak(self, text: str, name: str, at: datetime) -> object: ...


@frozen
class Announcement:
    text: str
    name: str  # the ticket's code: the WAV file's name
    at: datetime  # when the call was made (office time)
    queued: float = field(default_factory=time.monotonic)


class Announcer:
    """Speaks what `say` is given, in order, on its own thread."""

    def __init__(self, voice: Voice, *, repeat: int = 1, max_age: float = 60.0,
                 on_problem: Callable[[VoiceUnavailable], None] | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._voice = voice
        self._repeat = repeat
        self._max_age = max_age
        self._on_problem = on_problem
        self._clock = clock
        self._queue: queue.Queue[Announcement | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="announcer", daemon=True)
        self.spoken: list[Announcement] = []
        self.dropped: list[Announcement] = []
        self._idle = threading.Event()
        self._idle.set()

    def start(self) -> Announcer:
        self._thread.start()
        return self

    def say(self, text: str, name: str, at: datetime) -> None:
        self._idle.clear()
        self._queue.put(Announcement(text, name, at, self._clock()))

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=5)

    def wait_idle(self, timeout: float) -> bool:
        """Everything said so far is spoken or dropped (tests, and an orderly exit)."""
        return self._idle.wait(timeout)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                self._idle.set()
                return
            try:
                self._announce(item)
            finally:
                if self._queue.empty():
                    self._idle.set()

    def _announce(self, item: Announcement) -> None:
        if self._clock() - item.queued > self._max_age:
            self.dropped.append(item)
            log.info("announcement of %s dropped: waited too long", item.name)
            return
        try:
            for _ in range(self._repeat):
                self._voice.speak(item.text, item.name, item.at)
            self.spoken.append(item)
        except VoiceUnavailable as exc:
            self.dropped.append(item)
            if self._on_problem is not None:
                self._on_problem(exc)
        except Exception:  # a player that crashed must not stop the next announcement
            self.dropped.append(item)
            log.exception("announcing %s", item.name)

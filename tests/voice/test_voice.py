"""Announcing calls: the words that go to the speech engine, the queue that speaks them one at
a time and in order (a fake voice), and the real espeak-ng making a WAV of plausible length."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import threading
from pathlib import Path

import pytest

from counter_tui.core.announce import call_text, spell
from counter_tui.core.i18n import set_language
from counter_tui.voice.announcer import Announcer
from counter_tui.voice.speaker import VoiceUnavailable, find_speaker, wav_seconds

AT = dt.datetime(2026, 5, 12, 9, 0)


@pytest.mark.parametrize(("code", "vi", "en"), [
    ("A012", "A không một hai", "A zero one two"),
    ("A015", "A không một lăm", "A zero one five"),
    ("A055", "A không năm lăm", "A zero five five"),
    ("B100", "B một không không", "B one zero zero"),
    ("D999", "D chín chín chín", "D nine nine nine"),
    ("C5", "C năm", "C five"),
])
def test_a_number_is_read_letter_by_letter_and_digit_by_digit(code: str, vi: str,
                                                             en: str) -> None:
    set_language("vi")
    assert spell(code) == vi
    set_language("en")
    try:
        assert spell(code) == en
    finally:
        set_language("vi")


def test_the_sentence_comes_from_the_catalogue() -> None:
    set_language("vi")
    assert call_text("A012", 3) == "Mời khách hàng số A không một hai đến quầy số ba."
    assert call_text("A012", 3, recall=True) == \
        "Mời lại khách hàng số A không một hai đến quầy số ba."
    set_language("en")
    try:
        assert call_text("B007", 12) == "Number B zero zero seven, please go to counter 12."
    finally:
        set_language("vi")


class FakeVoice:
    """Speaks by recording, and fails the test if two announcements ever overlap."""

    def __init__(self, hold: threading.Event | None = None) -> None:
        self.said: list[str] = []
        self.speaking = 0
        self.overlapped = False
        self.hold = hold
        self.lock = threading.Lock()
        self.started = threading.Event()

    def speak(self, text: str, name: str, at: dt.datetime) -> None:
        with self.lock:
            self.speaking += 1
            self.overlapped |= self.speaking > 1
        self.started.set()
        if self.hold is not None:
            self.hold.wait(10)
        with self.lock:
            self.said.append(text)
            self.speaking -= 1


def test_a_burst_is_spoken_in_order_never_over_each_other() -> None:
    voice = FakeVoice()
    announcer = Announcer(voice).start()
    for n in range(12):
        announcer.say(f"call {n}", f"A{n:03}", AT)
    assert announcer.wait_idle(10)
    announcer.stop()
    assert voice.said == [f"call {n}" for n in range(12)]
    assert not voice.overlapped


def test_repeat_and_a_stale_call_dropped() -> None:
    now = [100.0]
    hold = threading.Event()
    voice = FakeVoice(hold)
    announcer = Announcer(voice, repeat=2, max_age=30, clock=lambda: now[0]).start()
    announcer.say("first", "A001", AT)  # spoken at once (held in the voice)
    announcer.say("late", "A002", AT)  # waits behind it
    assert voice.started.wait(10)
    now[0] += 31  # the first took longer than the room's patience
    hold.set()
    assert announcer.wait_idle(10)
    announcer.stop()
    assert voice.said == ["first", "first"]
    assert [a.name for a in announcer.dropped] == ["A002"]


def test_a_voice_failure_is_reported_and_the_next_call_still_spoken() -> None:
    problems: list[str] = []

    class Flaky(FakeVoice):
        def speak(self, text: str, name: str, at: dt.datetime) -> None:
            if name == "A001":
                raise VoiceUnavailable("no device")
            super().speak(text, name, at)

    voice = Flaky()
    announcer = Announcer(voice, on_problem=lambda e: problems.append(str(e))).start()
    announcer.say("one", "A001", AT)
    announcer.say("two", "A002", AT)
    assert announcer.wait_idle(10)
    announcer.stop()
    assert problems == ["no device"] and voice.said == ["two"]


def test_no_engine_is_said_plainly(monkeypatch: pytest.MonkeyPatch) -> None:
    import counter_tui.voice.speaker as speaker

    set_language("vi")
    monkeypatch.setattr(speaker.shutil, "which", lambda name: None)
    with pytest.raises(VoiceUnavailable, match="chưa cài espeak-ng"):
        find_speaker("audio", "vi", 140)


def _espeak() -> str:
    found = shutil.which("espeak-ng")
    if found is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("espeak-ng is not installed (.ci/run installs it)", pytrace=False)
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    return found


@pytest.mark.parametrize("voice", ["vi", "vi-vn-x-south"])
def test_espeak_ng_speaks_a_call_to_a_wav_of_plausible_length(tmp_path: Path,
                                                              voice: str) -> None:
    _espeak()
    set_language("vi")
    speaker = find_speaker(f"wav:{tmp_path}", voice, 140, use_chime=True)
    text = call_text("A012", 3)
    path = speaker.speak(text, "A012", AT)
    assert path is not None and path.parent == tmp_path
    assert path.name == "20260512-090000-A012.wav"
    seconds = wav_seconds(path)
    # ten short words at 140 a minute, and the 0.6 s chime: a few seconds, not a click
    assert 2.0 < seconds < 12.0, seconds
    plain = find_speaker(f"wav:{tmp_path}", voice, 140, use_chime=False).speak(text, "A012",
                                                                              AT)
    assert plain is not None and plain != path  # a second file, never one overwritten
    assert wav_seconds(path) - wav_seconds(plain) == pytest.approx(0.6, abs=0.05)


def test_an_unknown_voice_is_refused_by_name(tmp_path: Path) -> None:
    _espeak()
    set_language("en")
    try:
        with pytest.raises(VoiceUnavailable, match="vi-nowhere"):
            find_speaker(f"wav:{tmp_path}", "vi-nowhere", 140)
    finally:
        set_language("vi")

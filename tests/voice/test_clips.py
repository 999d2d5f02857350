"""Announcements built from an office's recorded clips: tiny WAV files made here, each a
constant level so the built announcement can be read back piece by piece."""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import wave
from array import array
from pathlib import Path

import pytest

from counter_tui.core.announce import call_text
from counter_tui.core.i18n import set_language
from counter_tui.voice.clips import ClipSpeaker, words_of
from counter_tui.voice.speaker import find_speaker

AT = dt.datetime(2026, 5, 12, 9, 0)
RATE = 8000
CLIP = 40  # samples per clip


def make_clip(folder: Path, name: str, level: int, *, rate: int = RATE, channels: int = 1,
              length: int = CLIP) -> None:
    with wave.open(str(folder / name), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(struct.pack(f"<{length * channels}h", *([level] * length * channels)))


def samples(path: Path) -> tuple[int, list[int]]:
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
        data = array("h")
        data.frombytes(w.readframes(w.getnframes()))
        return w.getframerate(), list(data)


def runs(values: list[int]) -> list[int]:
    """The levels in order, each run of equal samples once."""
    out: list[int] = []
    for v in values:
        if not out or out[-1] != v:
            out.append(v)
    return out


CLIPS = {"mời_khách_hàng_số.wav": 100, "a.wav": 200, "không.wav": 300, "một.wav": 400,
         "lăm.wav": 500, "đến_quầy_số.wav": 600, "ba.wav": 700, "mời.wav": 999}


@pytest.fixture
def office_clips(tmp_path: Path) -> Path:
    folder = tmp_path / "clips"
    folder.mkdir()
    for name, level in CLIPS.items():
        make_clip(folder, name, level)
    return folder


def speaker(clips: Path, out: Path, missing: list[str] | None = None,
            engine: str = "espeak-ng") -> ClipSpeaker:
    return ClipSpeaker(engine=engine, voice="vi", speed=140, output=f"wav:{out}",
                       use_chime=False, clips=clips,
                       on_missing=None if missing is None else missing.append)


def test_the_words_of_a_sentence() -> None:
    assert words_of("Mời số A không, đến quầy số ba.") == [
        ("mời", False), ("số", False), ("a", False), ("không", True), ("đến", False),
        ("quầy", False), ("số", False), ("ba", True)]


def test_an_announcement_made_only_of_clips(office_clips: Path, tmp_path: Path) -> None:
    set_language("vi")
    text = call_text("A015", 3)
    assert text == "Mời khách hàng số A không một lăm đến quầy số ba."
    missing: list[str] = []
    # no engine at all: every word is recorded, so espeak-ng is never asked
    wav = speaker(office_clips, tmp_path, missing, engine="no-such-engine").speak(text, "A015",
                                                                                   AT)
    assert wav is not None
    rate, data = samples(wav)
    assert rate == RATE
    # the recorded phrase wins over the word "mời" alone; the pause after the "." is silence
    assert runs(data) == [100, 200, 300, 400, 500, 600, 700, 0]
    assert len(data) == 7 * CLIP + int(RATE * 0.25)
    assert missing == []


def test_clips_of_other_rates_and_stereo_are_brought_to_the_first(office_clips: Path,
                                                                    tmp_path: Path) -> None:
    make_clip(office_clips, "a.wav", 200, rate=RATE * 2, channels=2, length=CLIP * 2)
    wav = speaker(office_clips, tmp_path, engine="no-such-engine").speak(
        "Mời khách hàng số A", "A1", AT)
    assert wav is not None
    rate, data = samples(wav)
    assert rate == RATE and runs(data) == [100, 200]
    assert len(data) == 2 * CLIP


@pytest.mark.skipif(shutil.which("espeak-ng") is None,
                    reason="espeak-ng is not installed (.ci/run installs it)")
def test_a_missing_clip_is_spoken_by_espeak_and_said_once(office_clips: Path,
                                                          tmp_path: Path) -> None:
    set_language("vi")
    (office_clips / "lăm.wav").unlink()
    missing: list[str] = []
    made = find_speaker(f"wav:{tmp_path}", "vi", 140, use_chime=False,
                        clips=str(office_clips), on_missing=missing.append)
    assert isinstance(made, ClipSpeaker)
    text = call_text("A015", 3)
    first = made.speak(text, "A015", AT)
    second = made.speak(text, "A015", AT + dt.timedelta(seconds=1))
    assert missing == ["lăm.wav"]  # once, though two announcements lacked it
    assert first is not None and second is not None
    rate, data = samples(first)
    levels = runs(data)
    # the recorded words around the gap are in place, espeak-ng's speech between them
    assert levels[:4] == [100, 200, 300, 400]
    assert levels[-3:] == [600, 700, 0]
    gap = len(data) - 6 * CLIP - int(RATE * 0.25)
    assert 0.1 * rate < gap < 3 * rate  # "lăm", at the clips' rate


def test_a_clips_folder_that_is_not_there_is_said(tmp_path: Path) -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (.ci/run installs it)")
    from counter_tui.voice.speaker import VoiceUnavailable

    with pytest.raises(VoiceUnavailable, match=r"voice\.clips"):
        find_speaker(f"wav:{tmp_path}", "vi", 140, clips=str(tmp_path / "nowhere"))

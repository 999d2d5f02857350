"""Announcements made of the office's own recorded clips, which sound more natural than a
synthetic voice: "mời khách hàng số", "a", "không", "một", "lăm", "đến quầy số", "ba".

The sentence is cut into words and each run of words is looked up as a WAV file in the clips
folder, longest run first, so a recorded phrase ("mời_khách_hàng_số.wav") wins over its words
one by one. File names are the words in lower case, as written (NFC, with their diacritics),
joined by "_": "không.wav", "mốt.wav", "lăm.wav", "mươi.wav", "a.wav" for the letter A,
"quầy.wav". A word with no clip is spoken by espeak-ng in its place (its file name said once,
so the office can record it). The pieces are joined with the standard library's `wave`: every
clip is brought to the first clip's rate, 16-bit mono, with a short pause at "," and ".".
"""

from __future__ import annotations

import logging
import tempfile
import unicodedata
import wave
from array import array
from collections.abc import Callable
from dataclasses import field
from pathlib import Path

from counter_tui.core.i18n import t
from counter_tui.core.records import frozen
from counter_tui.voice.speaker import Speaker, VoiceUnavailable, chime

log = logging.getLogger(__name__)

LONGEST = 8  # words in the longest phrase looked up as one clip
PAUSE = 0.25  # seconds of silence at a "," or a "."
_PUNCTUATION = ",.;:!?"


def words_of(text: str) -> list[tuple[str, bool]]:
    """The sentence's words in lower case, each with whether a pause follows it."""
    out: list[tuple[str, bool]] = []
    for raw in unicodedata.normalize("NFC", text).split():
        word = raw.strip(_PUNCTUATION + "()\"'“”")
        pause = raw.rstrip("()\"'“”")[-1:] in _PUNCTUATION
        if word:
            out.append((word.lower(), pause))
        elif pause and out:
            out[-1] = (out[-1][0], True)
    return out


def clip_name(words: list[str]) -> str:
    return "_".join(words) + ".wav"


def read_mono(path: Path) -> tuple[int, array[int]]:
    """A 16-bit PCM WAV file's rate and samples, stereo mixed down to mono."""
    with wave.open(str(path), "rb") as w:
        if w.getsampwidth() != 2 or w.getnchannels() not in (1, 2):
            raise ValueError(t("voice.clip_format", name=path.name))
        rate, channels = w.getframerate(), w.getnchannels()
        samples = array("h")
        samples.frombytes(w.readframes(w.getnframes()))
    if channels == 2:
        samples = array("h", ((samples[i] + samples[i + 1]) // 2
                              for i in range(0, len(samples) - 1, 2)))
    return rate, samples


def resample(samples: array[int], src: int, dst: int) -> array[int]:
    """Linear interpolation from `src` to `dst` samples a second: enough for speech."""
    if src == dst or not samples:
        return samples
    n = max(1, int(len(samples) * dst / src))
    step = (len(samples) - 1) / max(1, n - 1)
    out = array("h", bytes(2 * n))
    for i in range(n):
        pos = i * step
        k = int(pos)
        frac = pos - k
        nxt = samples[min(k + 1, len(samples) - 1)]
        out[i] = int(samples[k] + (nxt - samples[k]) * frac)
    return out


@frozen
class ClipSpeaker(Speaker):
    """A speaker that builds each announcement from the clips folder, espeak-ng filling gaps."""

    clips: Path = Path()
    on_missing: Callable[[str], None] | None = None
    reported: set[str] = field(default_factory=set, compare=False)

    def _find(self, words: list[tuple[str, bool]], i: int) -> tuple[Path | None, int]:
        """The longest clip starting at word `i` (stopping at a pause), and where it ends."""
        end = i
        while end < len(words) and end - i < LONGEST:
            end += 1
            if words[end - 1][1]:
                break
        for j in range(end, i, -1):
            path = self.clips / clip_name([w for w, _ in words[i:j]])
            if path.is_file():
                return path, j
        return None, i + 1

    def _missing(self, word: str) -> None:
        name = clip_name([word])
        if name in self.reported:
            return
        self.reported.add(name)
        log.warning("no recorded clip %s: spoken by espeak-ng", name)
        if self.on_missing is not None:
            self.on_missing(name)

    def _espeak(self, text: str, rate: int) -> array[int]:
        with tempfile.TemporaryDirectory(prefix="counter-voice-") as tmp:
            speech = Path(tmp) / "gap.wav"
            self.synthesise(text, speech)
            src, samples = read_mono(speech)
        return resample(samples, src, rate)

    def pieces(self, text: str) -> list[tuple[Path | None, str, bool]]:
        """The clip (or None: espeak-ng) for each run of words, the words, and a pause after."""
        words = words_of(text)
        out: list[tuple[Path | None, str, bool]] = []
        i = 0
        while i < len(words):
            path, j = self._find(words, i)
            said = " ".join(w for w, _ in words[i:j])
            pause = words[j - 1][1]
            if path is None and out and out[-1][0] is None and not out[-1][2]:
                out[-1] = (None, out[-1][1] + " " + said, pause)  # one engine call per gap
            else:
                out.append((path, said, pause))
            i = j
        return out

    def render(self, text: str, target: Path) -> None:
        pieces = self.pieces(text)
        recorded = [p for p, _, _ in pieces if p is not None]
        if not recorded:
            for _, said, _ in pieces:
                for word in said.split():
                    self._missing(word)
            super().render(text, target)
            return
        rate = 0
        parts: list[array[int]] = []
        for path, said, pause in pieces:
            if path is not None:
                try:
                    src, samples = read_mono(path)
                except (ValueError, wave.Error, EOFError) as exc:
                    raise VoiceUnavailable(t("voice.clip_format", name=path.name)) from exc
                rate = rate or src
                parts.append(resample(samples, src, rate))
            else:
                for word in said.split():
                    self._missing(word)
                rate = rate or read_mono(recorded[0])[0]
                parts.append(self._espeak(said, rate))
            if pause:
                parts.append(array("h", bytes(2 * int(rate * PAUSE))))
        with wave.open(str(target), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            if self.use_chime:
                out.writeframes(chime(rate))
            for part in parts:
                out.writeframes(part.tobytes())

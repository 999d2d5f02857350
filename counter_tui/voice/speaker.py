"""Turning an announcement's words into sound with espeak-ng, on this machine, offline.

Online text-to-speech is the commonest way public queue systems fall silent; espeak-ng ships a
Vietnamese voice (Northern, Central, Southern) and needs no network. The speech is rendered to
a WAV file (with a chime before it, made here), then either kept in a folder (`wav:FOLDER`: for
tests, and for offices that route the sound elsewhere) or played by the first player found at
start (PipeWire's pw-play, PulseAudio's paplay, ALSA's aplay); with no player, espeak-ng speaks
through its own audio output and the chime is left out.
"""

from __future__ import annotations

import math
import re
import shutil
import struct
import subprocess
import tempfile
import wave
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from counter_tui.core.i18n import t
from counter_tui.core.records import frozen

PLAYERS = ("pw-play", "paplay", "aplay")
TIMEOUT = 30  # seconds: a speech engine that hangs longer is stuck, not slow


class VoiceUnavailable(Exception):
    """Speech cannot be made here: no engine, no such voice, no folder (said for people)."""


def chime(rate: int, seconds: float = 0.6) -> bytes:
    """Two soft tones (a "ding-dong"), 16-bit mono PCM at `rate`, to turn heads first."""
    frames = bytearray()
    half = int(rate * seconds / 2)
    for freq in (880.0, 660.0):
        for i in range(half):
            fade = min(1.0, i / (rate * 0.01), (half - i) / (rate * 0.08))
            sample = int(9000 * fade * math.sin(2 * math.pi * freq * i / rate))
            frames += struct.pack("<h", sample)
    return bytes(frames)


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


@frozen
class Speaker:
    """espeak-ng with a voice and a speed, and where the sound goes."""

    engine: str  # the espeak-ng executable
    voice: str
    speed: int
    output: str  # "audio" or "wav:FOLDER"
    use_chime: bool = True
    player: str | None = None

    def synthesise(self, text: str, speech: Path) -> None:
        """`text` spoken by espeak-ng into the WAV file `speech`."""
        result = subprocess.run(
            [self.engine, "-v", self.voice, "-s", str(self.speed), "-w", str(speech), text],
            stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT)
        if result.returncode != 0 or not speech.exists():
            raise VoiceUnavailable(t("voice.engine_failed", reason=result.stderr.decode(
                errors="replace").strip()[:200] or result.returncode))

    def render(self, text: str, target: Path) -> None:
        """The chime (if wanted) and the spoken `text`, as one WAV file at `target`."""
        with tempfile.TemporaryDirectory(prefix="counter-voice-") as tmp:
            speech = Path(tmp) / "speech.wav"
            self.synthesise(text, speech)
            with wave.open(str(speech), "rb") as src:
                params = src.getparams()
                frames = src.readframes(src.getnframes())
            lead = chime(params.framerate) if self.use_chime and params.sampwidth == 2 \
                and params.nchannels == 1 else b""
            with wave.open(str(target), "wb") as out:
                out.setparams(params)
                out.writeframes(lead + frames)

    def speak(self, text: str, name: str, at: datetime) -> Path | None:
        """Say `text` now; returns the WAV file written for `wav:` output."""
        if self.output.startswith("wav:"):
            folder = Path(self.output[4:])
            if not folder.is_dir():
                raise VoiceUnavailable(t("voice.no_folder", folder=folder))
            safe = re.sub(r"[^0-9A-Za-z-]", "", name)[:20]
            target = folder / f"{at:%Y%m%d-%H%M%S}-{safe}.wav"
            n = 1
            while target.exists():
                n += 1
                target = folder / f"{at:%Y%m%d-%H%M%S}-{safe}-{n}.wav"
            self.render(text, target)
            return target
        if self.player is not None:
            with tempfile.TemporaryDirectory(prefix="counter-voice-") as tmp:
                sound = Path(tmp) / "call.wav"
                self.render(text, sound)
                subprocess.run([self.player, str(sound)], stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=TIMEOUT)
            return None
        result = subprocess.run([self.engine, "-v", self.voice, "-s", str(self.speed), text],
                                stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT)
        if result.returncode != 0:
            raise VoiceUnavailable(t("voice.engine_failed", reason=result.stderr.decode(
                errors="replace").strip()[:200] or result.returncode))
        return None


def find_speaker(output: str, voice: str, speed: int, use_chime: bool = True,
                 engine: str | None = None, clips: str = "",
                 on_missing: Callable[[str], None] | None = None) -> Speaker:
    """The speaker for the configuration, or VoiceUnavailable saying why there is none.
    With a `clips` folder, announcements are made of its recordings (voice/clips.py), which
    need a WAV file to play: with no player found, espeak-ng speaks alone."""
    found = engine or shutil.which("espeak-ng")
    if found is None:
        raise VoiceUnavailable(t("voice.no_engine"))
    listed = subprocess.run([found, f"--voices={voice.split('-')[0]}"], capture_output=True,
                            text=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    # a voice is known by its language (column 2), its file, or another language it serves
    names = {word.strip("()").lower().rsplit("/", 1)[-1]
             for line in listed.stdout.splitlines()[1:] for word in line.split()[1:]}
    if voice.lower() not in names:
        raise VoiceUnavailable(t("voice.no_voice", voice=voice))
    player = None
    if output == "audio":
        player = next((p for p in PLAYERS if shutil.which(p)), None)
    if clips and (output != "audio" or player is not None):
        from counter_tui.voice.clips import ClipSpeaker

        if not Path(clips).is_dir():
            raise VoiceUnavailable(t("voice.no_clips", folder=clips))
        return ClipSpeaker(engine=found, voice=voice, speed=speed, output=output,
                           use_chime=use_chime, player=player, clips=Path(clips),
                           on_missing=on_missing)
    return Speaker(engine=found, voice=voice, speed=speed, output=output,
                   use_chime=use_chime, player=player)

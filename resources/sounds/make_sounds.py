"""Write the camera scan's two sounds (stdlib only): ``python resources/sounds/make_sounds.py``.

``scan-ok.wav``: one short high beep, like a handheld scanner's good read.
``scan-refused.wav``: two lower, falling tones, for a code the sale refused.
16 kHz, 16-bit mono, a few kilobytes each; faded in and out so they do not click.
"""

from __future__ import annotations

import math
import struct
import sys
import wave
from pathlib import Path

RATE = 16_000
FADE_S = 0.005
VOLUME = 0.5

# name -> tones as (frequency Hz, seconds); frequency 0 is silence
SOUNDS: dict[str, list[tuple[float, float]]] = {
    "scan-ok.wav": [(1760.0, 0.09)],
    "scan-refused.wav": [(440.0, 0.13), (0.0, 0.04), (330.0, 0.18)],
}


def samples(tones: list[tuple[float, float]]) -> list[int]:
    """The 16-bit samples of ``tones`` played one after the other."""
    out: list[int] = []
    for freq, seconds in tones:
        n = round(RATE * seconds)
        fade = round(RATE * FADE_S)
        for i in range(n):
            envelope = min(1.0, i / fade, (n - 1 - i) / fade)
            value = math.sin(2 * math.pi * freq * i / RATE) if freq else 0.0
            out.append(round(32767 * VOLUME * envelope * value))
    return out


def write(directory: Path) -> list[Path]:
    """Write every sound into ``directory``; returns the files written."""
    written = []
    for name, tones in SOUNDS.items():
        path = directory / name
        with wave.open(str(path), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(RATE)
            data = samples(tones)
            out.writeframes(struct.pack(f"<{len(data)}h", *data))
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    for path in write(target):
        print(f"{path} ({path.stat().st_size} bytes)")

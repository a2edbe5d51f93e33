"""Camera recovery timings: unplug -> lost, the gaps between retries, replug -> frames, stop().

A corpus video is played through the real ``cv2.VideoCapture`` path (a file source, so
it loops). A wrapper around the ``VideoCapture`` factory "unplugs" the camera for
``--unplugged`` seconds — reads fail and reopening gives a capture that is not opened,
as a USB camera pulled out does (the tests use the same trick) — and the bench
timestamps what the cashier would see:

* ``start()`` returning, and the first frame;
* unplug -> ``lost`` event (``lost_after_failures`` reads in a row without a frame);
* each attempt to reopen while lost: the measured gap next to the configured backoff
  step (``retry_initial_s`` doubling, capped at ``retry_max_s``, 80-100 % jitter);
* replug -> ``back`` event -> first new frame (at most one backoff step late);
* ``stop()`` while streaming and while waiting to retry.

The tests check the same behaviour by counting attempts (one open per wait, steps
within the jitter range, one ``lost`` event) without a clock; these are the figures.
Prints figures; never fails.

    .venv/bin/python bench/bench_camera.py [--retry-initial 0.5] [--retry-max 10]
                                           [--unplugged 8] [--fps 30] [--lost-after 5]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from devices.camera import Camera, CameraEvent, CameraSettings
from devices.corpus import generate


class Unpluggable:
    """A ``VideoCapture`` factory wrapping the real one; timestamps every open attempt."""

    def __init__(self) -> None:
        self.plugged = threading.Event()
        self.plugged.set()
        self.opens: list[float] = []

    def __call__(self, source: Any, api: int) -> Any:
        self.opens.append(time.monotonic())
        if not self.plugged.is_set():
            return cv2.VideoCapture()  # the real class, not opened
        return _Capture(cv2.VideoCapture(source, api), self.plugged)


class _Capture:
    def __init__(self, cap: Any, plugged: threading.Event) -> None:
        self._cap = cap
        self._plugged = plugged

    def isOpened(self) -> bool:
        return bool(self._cap.isOpened())

    def read(self) -> tuple[bool, np.ndarray | None]:
        if not self._plugged.is_set():
            return False, None
        ok, frame = self._cap.read()
        return bool(ok), frame

    def set(self, prop: int, value: float) -> bool:
        return bool(self._cap.set(prop, value))

    def get(self, prop: int) -> float:
        return float(self._cap.get(prop))

    def release(self) -> None:
        self._cap.release()


class Timeline:
    """Camera events with the monotonic time they arrived (on the capture thread)."""

    def __init__(self) -> None:
        self.events: list[tuple[float, CameraEvent]] = []
        self._cond = threading.Condition()

    def __call__(self, event: CameraEvent) -> None:
        with self._cond:
            self.events.append((time.monotonic(), event))
            self._cond.notify_all()

    def wait_for(
        self, kind: str, after: float, timeout: float = 120.0
    ) -> tuple[float, CameraEvent]:
        with self._cond:
            self._cond.wait_for(
                lambda: any(t >= after and e.kind == kind for t, e in self.events), timeout
            )
            for t, e in self.events:
                if t >= after and e.kind == kind:
                    return t, e
        raise SystemExit(f"no {kind!r} event within {timeout} s")


def write_video(path: Path, fps: float) -> Path:
    frames = [s.image for s in generate(6)]
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    for f in frames:
        writer.write(f)
    writer.release()
    return path


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def first_frame_after(cam: Camera, seq: int) -> float:
    frame = cam.latest(seq, timeout=120.0)
    if frame is None:
        raise SystemExit("no frame within 120 s")
    return time.monotonic()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--retry-initial", type=float, default=0.5, help="retry_initial_s")
    ap.add_argument("--retry-max", type=float, default=10.0, help="retry_max_s")
    ap.add_argument("--unplugged", type=float, default=8.0, help="seconds unplugged")
    ap.add_argument("--fps", type=int, default=30)
    ap.add_argument("--lost-after", type=int, default=5, help="lost_after_failures")
    args = ap.parse_args()
    logging.getLogger("devices.camera").setLevel(logging.ERROR)  # the figures, not the log

    with tempfile.TemporaryDirectory() as tmp:
        video = write_video(Path(tmp) / "till.avi", args.fps)
        settings = CameraSettings.model_validate(
            {
                "source": str(video),
                "fps": args.fps,
                "retry_initial_s": args.retry_initial,
                "retry_max_s": args.retry_max,
                "lost_after_failures": args.lost_after,
            }
        )
        plug = Unpluggable()
        timeline = Timeline()
        cam = Camera(settings, on_status=timeline, capture_factory=plug)

        t0 = time.monotonic()
        cam.start()
        t_started = time.monotonic()
        t_first = first_frame_after(cam, 0)
        time.sleep(1.0)  # stream for a while

        t_unplug = time.monotonic()
        plug.plugged.clear()
        t_lost, lost = timeline.wait_for("lost", t_unplug)
        time.sleep(max(0.0, t_unplug + args.unplugged - time.monotonic()))
        seq_replug = cam.frames.seq
        t_replug = time.monotonic()
        plug.plugged.set()
        t_back, _ = timeline.wait_for("back", t_replug)
        t_frames = first_frame_after(cam, seq_replug)
        attempts = [t for t in plug.opens if t_lost < t <= t_back]

        time.sleep(0.5)
        t = time.monotonic()
        cam.stop()
        stop_streaming = time.monotonic() - t

        # stop() while waiting to retry: unplug again and stop right after "lost"
        plug.plugged.clear()
        cam.start()
        t_again = time.monotonic()
        timeline.wait_for("lost", t_again)
        t = time.monotonic()
        cam.stop()
        stop_retrying = time.monotonic() - t

    print(f"source: {settings.source_kind} at {args.fps} fps; lost_after_failures "
          f"{args.lost_after}; retry {args.retry_initial:g} s doubling to {args.retry_max:g} s; "
          f"unplugged {args.unplugged:g} s; reconnects {cam.reconnects}; "
          f"cores: {os.cpu_count()}")  # fmt: skip
    print()
    print("| step | ms |")
    print("|---|---:|")
    print(f"| start() returns | {ms(t_started - t0)} |")
    print(f"| start() -> first frame | {ms(t_first - t0)} |")
    print(f"| unplug -> lost event | {ms(t_lost - t_unplug)} |")
    print(f"| replug -> back event | {ms(t_back - t_replug)} |")
    print(f"| replug -> first new frame | {ms(t_frames - t_replug)} |")
    print(f"| stop() while streaming | {ms(stop_streaming)} |")
    print(f"| stop() while waiting to retry | {ms(stop_retrying)} |")
    print()
    print(f"lost event said: retry in {lost.retry_in:.3f} s")
    print()
    print("| attempt | configured step s | with jitter s | measured gap s |")
    print("|---:|---:|---:|---:|")
    previous = t_lost
    for k, t in enumerate(attempts):
        step = min(args.retry_max, args.retry_initial * 2**k)
        print(f"| {k + 1} | {step:.3f} | {0.8 * step:.3f}-{step:.3f} | {t - previous:.3f} |")
        previous = t
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

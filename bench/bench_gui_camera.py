"""How long the GUI's event loop stalls while the camera dialog scans a video file.

A demo till is built in a temporary directory with ``[camera] source`` set to an
MJPG video of corpus frames (1280x720, the hard conditions of
``devices/corpus.py``; the video loops). The real main window runs (offscreen
unless ``QT_QPA_PLATFORM`` says otherwise), a cashier is logged in, and the
camera dialog opens exactly as F3 opens it: capture, decoding and preview run on
their own threads, every code read goes to the sale. A 1 ms heartbeat timer on
the GUI thread records when it fires; a gap between two ticks is time the event
loop could not run. Printed: the longest gap and the percentiles, with the same
figures for the idle window first (what the machine adds without the camera).

    .venv/bin/python bench/bench_gui_camera.py [--seconds 10] [--frames 60] [--no-guard]

PySide6 6.12.0 on CPython 3.11 drops a reference to ``True`` on every
``Signal.emit()`` and to ``None`` on every call of a Qt method returning nothing
(``processEvents``, ``setText``, ``QPainter.fillRect``...); the process then dies
with "bool_dealloc"/"none_dealloc" after a few hundred signals. CPython 3.12 makes
those objects immortal, and PySide6 6.11 returns proper references. Unless
``--no-guard`` is given, this bench gives the three objects a reference count
they cannot run out of (what 3.12 does) so that it can measure at all; it says so.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def guard_refcounts() -> bool:
    """Make None, True and False immortal on CPython < 3.12 (see the module docstring)."""
    if sys.version_info >= (3, 12):
        return False
    import ctypes

    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40  # ob_refcnt
    return True


def make_video(path: Path, frames: int) -> Path:
    import cv2

    from devices.corpus import generate

    writer = None
    for sample in generate(frames):
        if writer is None:
            h, w = sample.image.shape[:2]
            writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (w, h))
        writer.write(sample.image)
    assert writer is not None
    writer.release()
    return path


def make_till(root: Path, video: Path) -> Path:
    from ui.cli import main as cli

    data = root / "till"
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            assert cli(["demo", "--data-dir", str(data), "--members", "30"]) == 0
        finally:
            sys.stdout = stdout
    config = data / "config.toml"
    with config.open("a", encoding="utf-8") as out:
        out.write(f'\n[camera]\nsource = "{video}"\n')
    return data


class GcTimes:
    """Durations of the garbage collector's runs (any thread: it holds the GIL throughout)."""

    def __init__(self) -> None:
        self.runs: list[tuple[int, float]] = []  # (generation, ms)
        self._start = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._start = time.perf_counter()
        else:
            self.runs.append((info["generation"], (time.perf_counter() - self._start) * 1000))


def gaps_ms(stamps: list[float]) -> list[float]:  # float ok: timings, not money
    return [(b - a) * 1000.0 for a, b in itertools.pairwise(stamps)]


def line(name: str, gaps: list[float]) -> str:
    q = statistics.quantiles(gaps, n=1000)
    return (
        f"| {name} | {len(gaps) + 1} | {statistics.median(gaps):.2f} | {q[989]:.2f} "
        f"| {q[998]:.2f} | {max(gaps):.1f} |"
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=10.0, help="scan time to measure")
    ap.add_argument("--frames", type=int, default=60, help="corpus frames in the video")
    ap.add_argument("--no-guard", action="store_true", help="no refcount guard (see above)")
    args = ap.parse_args()
    guarded = not args.no_guard and guard_refcounts()

    import PySide6
    from PySide6.QtCore import QElapsedTimer, Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from terminal import auth, shift_close
    from terminal.home import TerminalHome
    from ui.qt import camera, ops
    from ui.qt.app import application, build

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        video = make_video(root / "corpus.avi", args.frames)
        home = TerminalHome.open(make_till(root, video))
        app = application()
        win = build(home)
        win.show()
        ctx = win.ctx
        with home.db.transaction() as session:
            cashier = auth.login(session, "1001", "1111", now=ctx.clock())
        shift_close.open_shift(
            home.db,
            terminal_id=ctx.settings.terminal_id,
            actor=cashier,
            opening_float=50000,
            now=ctx.clock(),
            approver=None,
        )
        win._start(cashier)

        stamps: list[float] = []
        heartbeat = QTimer()
        heartbeat.setTimerType(Qt.TimerType.PreciseTimer)
        heartbeat.setInterval(1)
        heartbeat.timeout.connect(lambda: stamps.append(time.perf_counter()))
        clock = QElapsedTimer()

        def run_for(seconds: float) -> None:
            clock.start()
            while clock.elapsed() < seconds * 1000:
                app.processEvents()
                QApplication.instance().thread().msleep(0)

        heartbeat.start()
        run_for(min(args.seconds, 3.0))
        idle = gaps_ms(stamps)

        dialog = camera.open_camera(win, ctx, win.checkout)
        assert dialog is not None
        started = time.perf_counter()
        while dialog.view.frames_shown == 0:
            app.processEvents()
            if time.perf_counter() - started > 60:
                print("no frame from the camera in 60 s", file=sys.stderr)
                return 1
        stamps.clear()
        collections = GcTimes()
        gc.callbacks.append(collections)
        run_for(args.seconds)
        gc.callbacks.remove(collections)
        scanning = gaps_ms(stamps)
        feed = dialog.feed
        assert feed.loop is not None and feed.camera is not None
        decoded, captured = feed.loop.frames_decoded, feed.camera.frames_captured
        shown, reads = dialog.view.frames_shown, len(dialog.reads)
        heartbeat.stop()
        dialog.reject()
        while feed in camera._live:
            app.processEvents()
        ops.wait_all(10_000)
        win.close()
        home.close()

    print(
        f"camera scan of a {args.frames}-frame 1280x720 corpus video for {args.seconds:.0f} s; "
        f"cores: {os.cpu_count()}; frames captured {captured}, decoded {decoded}, "
        f"shown {shown}; codes handed to the sale {reads}"
    )
    print(
        f"Python {sys.version.split()[0]}, PySide6 {PySide6.__version__}"
        + ("; None/True/False made immortal (see --help)" if guarded else "")
    )
    print()
    print("| event loop | ticks | median gap ms | p99 ms | p99.9 ms | longest stall ms |")
    print("|---|---:|---:|---:|---:|---:|")
    print(line("idle (no camera)", idle))
    print(line("camera scanning", scanning))
    full = [ms for generation, ms in collections.runs if generation == 2]
    print()
    print(
        f"garbage collections while scanning: {len(collections.runs)}, "
        f"longest {max((ms for _g, ms in collections.runs), default=0.0):.1f} ms; "
        f"full (generation 2): {len(full)}, longest {max(full, default=0.0):.1f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

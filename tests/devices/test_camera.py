"""Camera capture through the real ``cv2.VideoCapture`` path, fed from video files.

Nothing here passes or fails on how fast a thread ran: the tests wait for events and
frames (``GUARD`` only turns a hang into a clear failure) and count retries through an
injected ``retry_wait`` instead of sleeping. The timings themselves (how long until
``lost``, the gaps between retries, how soon frames flow again, how long ``stop()``
takes) are printed by ``bench/bench_camera.py``.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import pytest
from pydantic import ValidationError

from devices.camera import (
    MSG_BACK,
    MSG_LOST,
    Camera,
    CameraEvent,
    CameraSettings,
    CameraState,
    Frame,
    LatestFrame,
    OpenCVFrameReader,
    get_reader,
    source_kind,
)
from devices.corpus import generate
from terminal.messages import render

# Hang guard for every wait: generous so a loaded machine never trips it; a test that
# reaches it fails saying what never happened. No test asserts how long anything took.
GUARD = 60.0


def write_video(path: Path, frames: list[np.ndarray], fps: float = 30.0) -> Path:
    """An MJPG .avi of ``frames`` (works with opencv-python-headless)."""
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    assert writer.isOpened()
    for f in frames:
        writer.write(f)
    writer.release()
    return path


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    frames = [s.image for s in generate(6)]
    return write_video(tmp_path_factory.mktemp("video") / "till.avi", frames)


class Events:
    """Collects camera events; waits for one of a kind."""

    def __init__(self) -> None:
        self.items: list[CameraEvent] = []
        self._cond = threading.Condition()

    def __call__(self, event: CameraEvent) -> None:
        with self._cond:
            self.items.append(event)
            self._cond.notify_all()

    def kinds(self) -> list[str]:
        with self._cond:
            return [e.kind for e in self.items]

    def wait_for(self, kind: str, count: int = 1) -> CameraEvent:
        with self._cond:
            ok = self._cond.wait_for(
                lambda: sum(e.kind == kind for e in self.items) >= count, GUARD
            )
            assert ok, f"no {kind!r} event #{count} (hang guard); got {self.kinds()}"
            return [e for e in self.items if e.kind == kind][count - 1]


class RetryWaits:
    """Stands in for the camera's wait before each attempt to reopen it: records the
    delay (and ``probe()``, e.g. how many opens so far) and returns at once, except that
    the ``hold_at``-th wait holds the capture thread until :meth:`release`. The test
    then knows exactly how many attempts failed, with no sleeping."""

    def __init__(self, hold_at: int, probe: Callable[[], int] | None = None) -> None:
        self.hold_at = hold_at
        self.delays: list[float] = []
        self.probes: list[int] = []
        self._probe = probe
        self._released = False
        self._cond = threading.Condition()

    def __call__(self, seconds: float) -> bool:
        with self._cond:
            self.delays.append(seconds)
            if self._probe is not None:
                self.probes.append(self._probe())
            self._cond.notify_all()
            self._cond.wait_for(lambda: self._released or len(self.delays) < self.hold_at, GUARD)
        return False

    def wait_held(self) -> list[float]:
        """Wait until the capture thread is held at the ``hold_at``-th retry wait."""
        with self._cond:
            ok = self._cond.wait_for(lambda: len(self.delays) >= self.hold_at, GUARD)
            assert ok, f"only {len(self.delays)} retry waits (hang guard): {self.delays}"
            return list(self.delays)

    def release(self) -> None:
        """Let the capture thread go on; later waits return at once."""
        with self._cond:
            self._released = True
            self._cond.notify_all()


def assert_backoff(delays: list[float], settings: CameraSettings) -> None:
    """Each delay is the k-th step of the documented backoff: ``retry_initial_s``
    doubling, capped at ``retry_max_s``, times a jitter of 80-100 %."""
    for k, delay in enumerate(delays):
        step = min(settings.retry_max_s, settings.retry_initial_s * 2**k)
        assert 0.8 * step <= delay <= step, f"retry {k}: {delay} s, step {step} s: {delays}"


def fast(source: object, **kw: object) -> CameraSettings:
    base: dict[str, object] = {
        "source": source,
        "fps": 100,
        "retry_initial_s": 0.05,
        "retry_max_s": 0.2,
        "lost_after_failures": 2,
    }
    base.update(kw)
    return CameraSettings.model_validate(base)


def frames_flow(cam: Camera, n: int = 5) -> list[int]:
    """Wait for ``n`` new frames; return their sequence numbers."""
    seqs: list[int] = []
    last = cam.frames.seq
    while len(seqs) < n:
        frame = cam.latest(last, timeout=GUARD)
        assert frame is not None, f"frames stopped after {seqs} (hang guard)"
        assert frame.image.shape == (720, 1280, 3)
        seqs.append(frame.seq)
        last = frame.seq
    return seqs


def test_settings_defaults_and_strictness():
    s = CameraSettings()
    assert (s.source, s.width, s.height, s.fps) == (0, 1280, 720, 30)
    assert s.source_kind == "device"
    assert source_kind("rtsp://10.0.0.5/stream") == "url"
    assert source_kind("http://cam/video.mjpg") == "url"
    assert source_kind("demo/till.avi") == "file"
    assert source_kind("1") == "device"
    with pytest.raises(ValidationError):
        CameraSettings.model_validate({"width": "1280"})  # strict: a string is a typo
    with pytest.raises(ValidationError):
        CameraSettings.model_validate({"resolution": 5})  # unknown key
    with pytest.raises(ValidationError):
        CameraSettings.model_validate({"source": -1})
    with pytest.raises(ValidationError):
        CameraSettings.model_validate({"source": " "})


def test_reader_reads_real_frames_and_loops(video: Path):
    reader = get_reader(fast(str(video)))
    assert isinstance(reader, OpenCVFrameReader)
    assert reader.open()
    shapes = [reader.read() for _ in range(15)]  # 6 frames in the file: loops twice
    reader.close()
    assert all(f is not None and f.shape == (720, 1280, 3) for f in shapes)
    assert reader.paced


def test_reader_missing_file_does_not_open(tmp_path: Path):
    assert not get_reader(fast(str(tmp_path / "nope.avi"))).open()


def test_latest_frame_keeps_only_the_newest():
    slot = LatestFrame()
    for i in range(5):
        slot.put(np.full((2, 2), i, np.uint8))
    frame = slot.latest(0, timeout=0)
    assert frame is not None and frame.seq == 5 and frame.image[0, 0] == 4
    assert slot.latest(5, timeout=0) is None  # nothing newer

    got: list[object] = []
    reader = threading.Thread(target=lambda: got.append(slot.latest(5, timeout=GUARD)))
    reader.start()
    slot.put(np.full((2, 2), 9, np.uint8))  # a reader waiting for a newer frame gets it
    reader.join(GUARD)
    assert not reader.is_alive(), "a put() did not reach the waiting reader (hang guard)"
    newer = got.pop()
    assert isinstance(newer, Frame) and newer.seq == 6 and newer.image[0, 0] == 9

    waiter = threading.Thread(target=lambda: got.append(slot.latest(6, timeout=None)))
    waiter.start()
    slot.close()  # wakes a reader that waits without a timeout
    waiter.join(GUARD)
    assert not waiter.is_alive(), "close() did not wake a waiting reader (hang guard)"
    assert got == [None]


def test_camera_streams_a_video_file(video: Path):
    events = Events()
    cam = Camera(fast(str(video)), on_status=events)
    cam.start()
    try:
        events.wait_for("connected")
        seqs = frames_flow(cam, 8)
        assert seqs == sorted(seqs)
        assert cam.state is CameraState.RUNNING
    finally:
        cam.stop()
    assert not cam.running
    assert events.kinds()[-1] == "stopped"
    assert cam.state is CameraState.STOPPED


def test_file_removed_mid_stream_reports_lost_then_recovers(video: Path, tmp_path: Path):
    """The camera 'unplugged': its file disappears; it comes back and frames flow again.
    Four failed attempts to reopen still make one ``lost``; the cashier is told the real
    first retry delay. (How long each step takes: bench/bench_camera.py.)"""
    path = tmp_path / "cam.avi"
    path.write_bytes(video.read_bytes())
    events = Events()
    settings = fast(str(path))
    waits = RetryWaits(hold_at=5)
    cam = Camera(settings, on_status=events, retry_wait=waits)
    cam.start()
    try:
        events.wait_for("connected")
        frames_flow(cam, 3)
        hidden = path.rename(tmp_path / "unplugged.avi")  # at the loop's end: reopen fails
        lost = events.wait_for("lost")
        assert lost.message == MSG_LOST == "camera_lost"
        assert render(lost.message, lang="zh_CN") == "摄像头已断开，正在重试…"
        delays = waits.wait_held()  # the wait after losing it, then 4 failed reopens
        assert cam.state is CameraState.LOST
        assert events.kinds() == ["connected", "lost"]  # one "lost", not one per attempt
        assert lost.retry_in == delays[0]
        assert_backoff(delays, settings)
        hidden.rename(path)  # plugged back in
        waits.release()
        back = events.wait_for("back")
        assert back.message == MSG_BACK
        frames_flow(cam, 5)
        assert cam.reconnects == 1
    finally:
        waits.release()
        cam.stop()
    kinds = events.kinds()
    assert kinds == ["connected", "lost", "back", "stopped"], kinds


class Unpluggable:
    """A ``VideoCapture`` factory wrapping the real one: while unplugged, reads fail and
    opening returns a capture that is not opened — as a USB camera pulled out does."""

    def __init__(self) -> None:
        self.plugged = threading.Event()
        self.plugged.set()
        self.opens = 0

    def __call__(self, source: object, api: int) -> object:
        self.opens += 1
        if not self.plugged.is_set():
            return cv2.VideoCapture()  # the real class, not opened
        return _Capture(cv2.VideoCapture(source, api), self.plugged)


class _Capture:
    def __init__(self, cap: cv2.VideoCapture, plugged: threading.Event) -> None:
        self._cap = cap
        self._plugged = plugged

    def isOpened(self) -> bool:
        return self._cap.isOpened()

    def read(self) -> tuple[bool, np.ndarray | None]:
        if not self._plugged.is_set():
            return False, None
        return self._cap.read()

    def set(self, prop: int, value: float) -> bool:
        return self._cap.set(prop, value)

    def get(self, prop: int) -> float:
        return self._cap.get(prop)

    def release(self) -> None:
        self._cap.release()


def test_capture_failing_mid_stream_recovers_with_backoff(video: Path):
    """While unplugged the camera tries to reopen exactly once per backoff wait (not a
    busy loop), the waits grow as configured, and no frame is published. (The gaps as
    measured, and the time to recover: bench/bench_camera.py.)"""
    plug = Unpluggable()
    events = Events()
    settings = fast(str(video))
    waits = RetryWaits(hold_at=6, probe=lambda: plug.opens)
    cam = Camera(settings, on_status=events, capture_factory=plug, retry_wait=waits)
    cam.start()
    try:
        events.wait_for("connected")
        frames_flow(cam, 3)
        plug.plugged.clear()
        events.wait_for("lost")
        seq_lost = cam.frames.seq
        delays = waits.wait_held()
        # backoff 0.05, 0.1, 0.2, 0.2... with one attempt to open between two waits
        assert_backoff(delays, settings)
        opens_per_wait = [b - a for a, b in itertools.pairwise(waits.probes)]
        assert opens_per_wait == [1] * 5, waits.probes
        assert cam.frames.seq == seq_lost  # no frames while unplugged
        assert events.kinds() == ["connected", "lost"]
        plug.plugged.set()
        waits.release()
        events.wait_for("back")
        frames_flow(cam, 5)
        assert cam.reconnects == 1
    finally:
        waits.release()
        cam.stop()
    assert events.kinds() == ["connected", "lost", "back", "stopped"]


def test_camera_absent_at_start_then_plugged_in(video: Path, tmp_path: Path):
    path = tmp_path / "later.avi"
    events = Events()
    waits = RetryWaits(hold_at=3)
    cam = Camera(fast(str(path)), on_status=events, retry_wait=waits)
    cam.start()
    try:
        lost = events.wait_for("lost")
        assert "无法打开摄像头" in render(lost.message, lang="zh_CN")
        waits.wait_held()  # three attempts failed
        assert events.kinds() == ["lost"]
        path.write_bytes(video.read_bytes())
        waits.release()
        events.wait_for("back")
        frames_flow(cam, 3)
        assert cam.reconnects == 0  # it never worked before: a first connection
    finally:
        waits.release()
        cam.stop()


def test_status_callback_errors_do_not_stop_capture(video: Path):
    def boom(event: CameraEvent) -> None:
        raise RuntimeError("GUI went away")

    with Camera(fast(str(video)), on_status=boom) as cam:
        frames_flow(cam, 3)


def test_stop_is_prompt_while_retrying(tmp_path: Path):
    """stop() cuts the wait before the next retry short: with the retry 48-60 s away,
    the thread has ended (its ``stopped`` event) when stop() returns, and stop() gives
    up joining after 30 s. (How long stop() takes: bench/bench_camera.py.)"""
    events = Events()
    settings = fast(str(tmp_path / "none.avi"), retry_initial_s=60.0, retry_max_s=60.0)
    cam = Camera(settings, on_status=events)
    cam.start()
    lost = events.wait_for("lost")  # the thread is now waiting to retry
    join_guard = 30.0
    assert lost.retry_in is not None and lost.retry_in >= 48 > join_guard
    cam.stop(timeout=join_guard)
    assert events.kinds() == ["lost", "stopped"], "stop() waited for the retry"
    assert not cam.running and cam.state is CameraState.STOPPED


def test_unopenable_device_index_reports_lost():
    events = Events()
    cam = Camera(fast(99), on_status=events)  # no /dev/video99 here
    cam.start()
    try:
        events.wait_for("lost")
    finally:
        cam.stop()

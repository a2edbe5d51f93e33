"""Camera capture through the real ``cv2.VideoCapture`` path, fed from video files."""

from __future__ import annotations

import threading
import time
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
    LatestFrame,
    OpenCVFrameReader,
    get_reader,
    source_kind,
)
from devices.corpus import generate


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

    def wait_for(self, kind: str, count: int = 1, timeout: float = 10.0) -> CameraEvent:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                found = [e for e in self.items if e.kind == kind]
                if len(found) >= count:
                    return found[count - 1]
                remaining = deadline - time.monotonic()
                assert remaining > 0, f"no {kind!r} event #{count}; got {self.kinds()}"
                self._cond.wait(remaining)


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


def frames_flow(cam: Camera, n: int = 5, timeout: float = 10.0) -> list[int]:
    """Wait for ``n`` new frames; return their sequence numbers."""
    seqs: list[int] = []
    last = cam.frames.seq
    deadline = time.monotonic() + timeout
    while len(seqs) < n:
        frame = cam.latest(last, timeout=max(0.0, deadline - time.monotonic()))
        assert frame is not None, f"frames stopped after {seqs}"
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
    assert slot.latest(5, timeout=0.01) is None  # nothing newer
    threading.Timer(0.05, lambda: slot.put(np.zeros((2, 2), np.uint8))).start()
    newer = slot.latest(5, timeout=2)
    assert newer is not None and newer.seq == 6
    slot.close()
    assert slot.latest(6, timeout=None) is None  # close wakes waiters


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
    """The camera 'unplugged': its file disappears; it comes back and frames flow again."""
    path = tmp_path / "cam.avi"
    path.write_bytes(video.read_bytes())
    events = Events()
    cam = Camera(fast(str(path)), on_status=events)
    cam.start()
    try:
        events.wait_for("connected")
        frames_flow(cam, 3)
        hidden = path.rename(tmp_path / "unplugged.avi")  # at the loop's end: reopen fails
        lost = events.wait_for("lost")
        assert lost.message == MSG_LOST == "摄像头已断开，正在重试…"
        assert lost.retry_in is not None and 0 < lost.retry_in <= 0.2
        assert cam.state is CameraState.LOST
        time.sleep(0.3)  # a few retries fail; still one "lost" event
        assert events.kinds().count("lost") == 1
        hidden.rename(path)  # plugged back in
        back = events.wait_for("back")
        assert back.message == MSG_BACK
        frames_flow(cam, 5)
        assert cam.reconnects == 1
    finally:
        cam.stop()
    kinds = events.kinds()
    assert kinds[:3] == ["connected", "lost", "back"], kinds


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
    plug = Unpluggable()
    events = Events()
    cam = Camera(fast(str(video)), on_status=events, capture_factory=plug)
    cam.start()
    try:
        events.wait_for("connected")
        frames_flow(cam, 3)
        plug.plugged.clear()
        events.wait_for("lost")
        opens_while_lost = plug.opens
        time.sleep(0.5)
        retries = plug.opens - opens_while_lost
        # backoff 0.05, 0.1, 0.2, 0.2... : a handful of attempts, not a busy loop
        assert 1 <= retries <= 8, retries
        seq_lost = cam.frames.seq
        assert cam.latest(seq_lost, timeout=0.1) is None  # no frames while unplugged
        plug.plugged.set()
        events.wait_for("back")
        frames_flow(cam, 5)
    finally:
        cam.stop()
    assert events.kinds()[:3] == ["connected", "lost", "back"]


def test_camera_absent_at_start_then_plugged_in(video: Path, tmp_path: Path):
    path = tmp_path / "later.avi"
    events = Events()
    cam = Camera(fast(str(path)), on_status=events)
    cam.start()
    try:
        lost = events.wait_for("lost")
        assert "无法打开摄像头" in lost.message
        path.write_bytes(video.read_bytes())
        events.wait_for("back")
        frames_flow(cam, 3)
    finally:
        cam.stop()


def test_status_callback_errors_do_not_stop_capture(video: Path):
    def boom(event: CameraEvent) -> None:
        raise RuntimeError("GUI went away")

    with Camera(fast(str(video)), on_status=boom) as cam:
        frames_flow(cam, 3)


def test_stop_is_prompt_while_retrying(tmp_path: Path):
    cam = Camera(fast(str(tmp_path / "none.avi"), retry_initial_s=5.0, retry_max_s=5.0))
    cam.start()
    time.sleep(0.1)
    t = time.monotonic()
    cam.stop()
    assert time.monotonic() - t < 1.0
    assert not cam.running


def test_unopenable_device_index_reports_lost():
    events = Events()
    cam = Camera(fast(99), on_status=events)  # no /dev/video99 here
    cam.start()
    try:
        events.wait_for("lost")
    finally:
        cam.stop()

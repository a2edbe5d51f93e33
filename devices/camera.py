"""Camera capture: OpenCV ``VideoCapture`` on a device index, a video file or a stream URL.

* :class:`CameraSettings` — the ``[camera]`` settings (pydantic, checked strictly).
* :class:`FrameReader` — the abstract reader (open / read / close), and
  :class:`OpenCVFrameReader`, the one real implementation; :func:`get_reader` is the
  factory (Electrum's camera-reader pattern). Video files loop (for demos and tests).
* :class:`LatestFrame` — a one-slot holder: a writer replaces the frame, a reader
  waits for one newer than it last saw. Stale frames are dropped, never queued.
* :class:`Camera` — a capture thread filling a :class:`LatestFrame`; when the camera
  disappears it reports it through a status callback (:class:`CameraEvent`, with a
  message a cashier understands), retries with exponential backoff and recovers by
  itself when the camera comes back.

No Qt here: the GUI wraps the callbacks in signals. Callbacks run on the capture
thread and must return quickly.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Literal

import cv2
import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

log = logging.getLogger(__name__)

SourceKind = Literal["device", "file", "url"]

# What to tell the cashier, as codes of the message catalogue (terminal/messages, zh_CN and
# en): devices/ cannot import it, so a front end renders the code.
MSG_CONNECTED = "camera_ready"
MSG_LOST = "camera_lost"
MSG_CANNOT_OPEN = "camera_cannot_open"
MSG_BACK = "camera_back"
MSG_STOPPED = "camera_closed"
MESSAGE_CODES = (MSG_CONNECTED, MSG_LOST, MSG_CANNOT_OPEN, MSG_BACK, MSG_STOPPED)


class CameraSettings(BaseModel):
    """The ``[camera]`` table of ``config.toml``.

    ``source`` is a device index (``0``), a video file path (looped) or an
    ``rtsp://`` / ``http(s)://`` URL. ``width``/``height``/``fps`` are requested from
    devices and streams (0 = the camera's default); files play at their own rate
    unless ``fps`` is set.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    enabled: bool = True
    source: int | str = 0
    width: int = Field(default=1280, ge=0, le=7680)
    height: int = Field(default=720, ge=0, le=4320)
    fps: int = Field(default=30, ge=0, le=240)
    loop: bool = True
    backend: Literal["auto", "v4l2", "dshow", "msmf", "avfoundation", "ffmpeg", "gstreamer"] = (
        "auto"
    )
    lost_after_failures: int = Field(default=5, ge=1, le=1000)
    retry_initial_s: float = Field(default=0.5, gt=0, le=60)
    retry_max_s: float = Field(default=10.0, gt=0, le=600)
    dedupe_seconds: float = Field(default=3.0, ge=0, le=600)
    confirm_frames: int = Field(default=2, ge=1, le=10)
    decode_budget_ms: float = Field(default=50.0, gt=0, le=5000)

    @field_validator("source")
    @classmethod
    def _source(cls, v: int | str) -> int | str:
        if isinstance(v, int) and v < 0:
            raise ValueError("a device index is 0 or more")
        if isinstance(v, str) and not v.strip():
            raise ValueError("must not be empty")
        return v

    @property
    def source_kind(self) -> SourceKind:
        """``"device"``, ``"file"`` or ``"url"``."""
        return source_kind(self.source)


def source_kind(source: int | str) -> SourceKind:
    """What a ``source`` setting names: a device index, a stream URL or a file."""
    if isinstance(source, int) or (isinstance(source, str) and source.strip().isdigit()):
        return "device"
    if "://" in source:
        return "url"
    return "file"


_BACKENDS = {
    "auto": cv2.CAP_ANY,
    "v4l2": getattr(cv2, "CAP_V4L2", cv2.CAP_ANY),
    "dshow": getattr(cv2, "CAP_DSHOW", cv2.CAP_ANY),
    "msmf": getattr(cv2, "CAP_MSMF", cv2.CAP_ANY),
    "avfoundation": getattr(cv2, "CAP_AVFOUNDATION", cv2.CAP_ANY),
    "ffmpeg": getattr(cv2, "CAP_FFMPEG", cv2.CAP_ANY),
    "gstreamer": getattr(cv2, "CAP_GSTREAMER", cv2.CAP_ANY),
}


# --- readers --------------------------------------------------------------------------------


class FrameReader(ABC):
    """Reads frames from one camera. Not thread-safe: one thread owns a reader."""

    @abstractmethod
    def open(self) -> bool:
        """Open (or reopen) the camera; False when it cannot be opened now."""

    @abstractmethod
    def read(self) -> np.ndarray | None:
        """The next BGR frame, or None when the camera gave none (unplugged, stream down)."""

    @abstractmethod
    def close(self) -> None:
        """Release the camera; safe to call twice."""

    @property
    def paced(self) -> bool:
        """True when :meth:`read` does not wait for the next frame itself (files)."""
        return False

    @property
    def frame_interval(self) -> float:
        """Seconds between frames for a paced reader."""
        return 0.0


CaptureFactory = Callable[..., Any]  # (source, api_preference) -> cv2.VideoCapture-like


class OpenCVFrameReader(FrameReader):
    """``cv2.VideoCapture`` on the configured source.

    A video file is played in a loop: at its end it is closed and opened again (so a
    file that has been removed shows as a lost camera). ``capture_factory`` makes the
    ``VideoCapture`` (tests wrap the real one to simulate an unplugged camera).
    """

    def __init__(
        self, settings: CameraSettings, capture_factory: CaptureFactory | None = None
    ) -> None:
        self.settings = settings
        self._factory = capture_factory or cv2.VideoCapture
        self._cap: Any = None
        self._kind = settings.source_kind
        self._file_fps = 0.0

    def _target(self) -> int | str:
        src = self.settings.source
        if self._kind == "device":
            return int(src)
        return str(Path(str(src)).expanduser()) if self._kind == "file" else str(src)

    def open(self) -> bool:
        self.close()
        if self._kind == "file" and not Path(str(self._target())).is_file():
            return False
        try:
            cap = self._factory(self._target(), _BACKENDS[self.settings.backend])
        except Exception as exc:  # e.g. a backend that is not built in
            log.debug("VideoCapture(%r) raised: %s", self.settings.source, exc)
            return False
        if cap is None or not cap.isOpened():
            if cap is not None:
                cap.release()
            return False
        if self._kind != "file":
            s = self.settings
            if s.width and s.height:
                cap.set(cv2.CAP_PROP_FRAME_WIDTH, s.width)
                cap.set(cv2.CAP_PROP_FRAME_HEIGHT, s.height)
            if s.fps:
                cap.set(cv2.CAP_PROP_FPS, s.fps)
            cap.set(cv2.CAP_PROP_BUFFERSIZE, 1)  # newest frame, where the backend allows
        else:
            self._file_fps = float(cap.get(cv2.CAP_PROP_FPS) or 0.0)
        self._cap = cap
        return True

    def read(self) -> np.ndarray | None:
        if self._cap is None:
            return None
        try:
            ok, frame = self._cap.read()
        except Exception:
            log.debug("VideoCapture.read raised", exc_info=True)
            ok, frame = False, None
        if ok and frame is not None:
            return frame
        # end of a file: start again by reopening; fails when the file is gone
        if self._kind == "file" and self.settings.loop and self.open():
            try:
                ok, frame = self._cap.read()
            except Exception:
                ok, frame = False, None
            if ok and frame is not None:
                return frame
        return None

    def close(self) -> None:
        if self._cap is not None:
            try:
                self._cap.release()
            finally:
                self._cap = None

    @property
    def paced(self) -> bool:
        return self._kind == "file"

    @property
    def frame_interval(self) -> float:
        fps = self.settings.fps or self._file_fps or 30.0
        return 1.0 / fps


def get_reader(
    settings: CameraSettings, capture_factory: CaptureFactory | None = None
) -> FrameReader:
    """The frame reader for ``settings`` on this machine (today always OpenCV)."""
    return OpenCVFrameReader(settings, capture_factory)


# --- newest frame ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Frame:
    """One captured frame: ``seq`` counts up from 1; ``timestamp`` is ``time.monotonic()``
    when it was captured."""

    image: np.ndarray
    seq: int
    timestamp: float


class LatestFrame:
    """A one-slot frame holder: :meth:`put` replaces the frame (the old one is dropped),
    :meth:`latest` returns the newest frame newer than the one a reader last saw."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: Frame | None = None
        self._seq = 0
        self._closed = False

    def put(self, image: np.ndarray, timestamp: float | None = None) -> Frame:
        """Publish ``image`` as the newest frame."""
        with self._cond:
            self._seq += 1
            frame = Frame(image, self._seq, time.monotonic() if timestamp is None else timestamp)
            self._frame = frame
            self._cond.notify_all()
            return frame

    def latest(self, after_seq: int = 0, timeout: float | None = None) -> Frame | None:
        """The newest frame with ``seq > after_seq``; waits up to ``timeout`` seconds
        (None: forever) for one; None on timeout or after :meth:`close`."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while not self._closed and (self._frame is None or self._frame.seq <= after_seq):
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return None
                self._cond.wait(remaining)
            if self._frame is None or self._frame.seq <= after_seq:
                return None
            return self._frame

    @property
    def seq(self) -> int:
        """The sequence number of the newest frame (0 before the first)."""
        with self._cond:
            return self._seq

    def close(self) -> None:
        """Wake every waiting reader; :meth:`latest` then returns None when nothing new."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    def reopen(self) -> None:
        with self._cond:
            self._closed = False


# --- the capture thread ---------------------------------------------------------------------


class CameraState(Enum):
    STOPPED = "stopped"
    STARTING = "starting"
    RUNNING = "running"
    LOST = "lost"


EventKind = Literal["connected", "lost", "back", "stopped"]


@dataclass(frozen=True)
class CameraEvent:
    """A change of the camera's state: ``message`` is the catalogue code of what the cashier
    should read (one of :data:`MESSAGE_CODES`), ``detail`` is for the log; ``retry_in`` is the
    seconds until the next attempt (``lost`` only)."""

    kind: EventKind
    message: str
    detail: str = ""
    retry_in: float | None = None


StatusCallback = Callable[[CameraEvent], None]
RetryWait = Callable[[float], object]  # (seconds) -> anything; waits before the next open


class Camera:
    """A capture thread: reads frames from a :class:`FrameReader` into a
    :class:`LatestFrame`, reports ``connected`` / ``lost`` / ``back`` / ``stopped`` through
    ``on_status``, and retries with exponential backoff (with jitter, capped at
    ``retry_max_s``) while the camera is gone. :meth:`start` and :meth:`stop` never block
    on the camera for longer than one read.

    ``retry_wait(seconds)`` is how the thread waits before its next attempt to open a
    lost camera. The default waits on the stop event, so :meth:`stop` cuts it short;
    tests pass one that records the delays and returns, so they count attempts instead
    of sleeping."""

    def __init__(
        self,
        settings: CameraSettings,
        *,
        on_status: StatusCallback | None = None,
        reader: FrameReader | None = None,
        capture_factory: CaptureFactory | None = None,
        frames: LatestFrame | None = None,
        retry_wait: RetryWait | None = None,
    ) -> None:
        self.settings = settings
        self.frames = frames or LatestFrame()
        self._reader = reader or get_reader(settings, capture_factory)
        self._on_status = on_status
        self._stop = threading.Event()
        self._retry_wait: RetryWait = retry_wait or self._stop.wait
        self._thread: threading.Thread | None = None
        self._state = CameraState.STOPPED
        self._lock = threading.Lock()
        self.frames_captured = 0
        self.reconnects = 0
        self.last_event: CameraEvent | None = None

    # -- public

    @property
    def state(self) -> CameraState:
        with self._lock:
            return self._state

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start capturing in a background thread (no-op when already running)."""
        if self.running:
            return
        self._stop.clear()
        self.frames.reopen()
        self._set_state(CameraState.STARTING)
        self._thread = threading.Thread(target=self._run, name="camera-capture", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread and release the camera."""
        thread = self._thread
        if thread is None:
            return
        self._stop.set()
        self.frames.close()
        thread.join(timeout)
        self._thread = None

    def latest(self, after_seq: int = 0, timeout: float | None = None) -> Frame | None:
        """The newest captured frame newer than ``after_seq`` (see :class:`LatestFrame`)."""
        return self.frames.latest(after_seq, timeout)

    def __enter__(self) -> Camera:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- internals

    def _set_state(self, state: CameraState) -> None:
        with self._lock:
            self._state = state

    def _emit(self, event: CameraEvent) -> None:
        self.last_event = event
        level = logging.WARNING if event.kind == "lost" else logging.INFO
        log.log(level, "camera %s: %s %s", event.kind, event.message, event.detail)
        if self._on_status is not None:
            try:
                self._on_status(event)
            except Exception:
                log.exception("camera status callback failed")

    def _backoff(self, attempt: int) -> float:
        s = self.settings
        base = min(s.retry_max_s, s.retry_initial_s * (2 ** min(attempt, 20)))
        return base * random.uniform(0.8, 1.0)  # a little jitter, never above the cap

    def _run(self) -> None:
        reader = self._reader
        was_connected = False
        lost_announced = False
        attempt = 0
        failures = 0
        next_due = 0.0
        src = self.settings.source
        try:
            while not self._stop.is_set():
                if self.state is not CameraState.RUNNING:
                    if reader.open():
                        failures = 0
                        attempt = 0
                        self._set_state(CameraState.RUNNING)
                        if was_connected or lost_announced:
                            self.reconnects += int(was_connected)
                            self._emit(CameraEvent("back", MSG_BACK, f"source {src!r}"))
                        else:
                            self._emit(CameraEvent("connected", MSG_CONNECTED, f"source {src!r}"))
                        was_connected = True
                        lost_announced = False
                        next_due = time.monotonic()
                    else:
                        delay = self._backoff(attempt)
                        attempt += 1
                        if not lost_announced:
                            lost_announced = True
                            self._set_state(CameraState.LOST)
                            msg = MSG_LOST if was_connected else MSG_CANNOT_OPEN
                            self._emit(
                                CameraEvent("lost", msg, f"cannot open {src!r}", round(delay, 3))
                            )
                        self._retry_wait(delay)
                        continue
                if reader.paced:
                    wait = next_due - time.monotonic()
                    if wait > 0 and self._stop.wait(wait):
                        break
                    next_due = max(next_due + reader.frame_interval, time.monotonic() - 1.0)
                image = reader.read()
                if image is None:
                    failures += 1
                    if failures >= self.settings.lost_after_failures:
                        reader.close()
                        delay = self._backoff(0)
                        attempt = 1
                        self._set_state(CameraState.LOST)
                        lost_announced = True
                        self._emit(
                            CameraEvent(
                                "lost", MSG_LOST, f"{failures} reads failed on {src!r}", delay
                            )
                        )
                        self._retry_wait(delay)
                    else:
                        self._stop.wait(0.01)
                    continue
                failures = 0
                self.frames.put(image)
                self.frames_captured += 1
        finally:
            reader.close()
            self._set_state(CameraState.STOPPED)
            self._emit(CameraEvent("stopped", MSG_STOPPED, f"source {src!r}"))

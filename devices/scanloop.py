"""The scan loop: decode the newest camera frame, accept codes, emit each one once.

A decode thread takes the newest frame from a frame source (a
:class:`~devices.camera.Camera` or any object with ``latest(after_seq, timeout)``),
decodes it (:class:`~devices.decoding.PipelineDecoder` by default), and emits a
:class:`ScanEvent` through ``on_code`` for every code that is

* accepted by the injected ``accept(text, symbology) -> Acceptance``:
  ``ACCEPT`` (a member or coupon QR whose content validates) emits at once,
  ``CONFIRM`` (a product barcode) emits only when ``confirm_frames`` decoded frames
  in a row agree — blurred EAN-13 misreads differ from frame to frame —,
  ``REJECT`` never emits;
* not a repeat: a code emitted before is ignored until it has been out of sight for
  ``dedupe_seconds`` (each sighting renews the window, so a code held in front of the
  camera is emitted once).

Frames that arrive while a frame is being decoded are dropped, not queued: the
loop always works on the newest one. With the pipeline decoder each frame gets at
most ``frame_budget_ms`` (default 50): the primary decoder always, then the next
stages of the cascade; a frame that runs out of budget hands the rest of the
cascade to the next frame, so a code held in view still meets every stage while
each new frame is looked at within about one budget. :meth:`ScanLoop.start` returns at once; the
callbacks run on the decode thread (the GUI re-emits them as Qt signals).

The terminal's classifier lives in ``terminal.classifier``; this module never imports it.
The app glue passes ``accept_from_classifier(terminal.classifier.classify)``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from devices.decoding import Code, Decoder, PipelineDecoder

log = logging.getLogger(__name__)


class Acceptance(Enum):
    """What the scan loop does with a decoded string."""

    ACCEPT = "accept"  # emit now (validated member / coupon code)
    CONFIRM = "confirm"  # emit once consecutive frames agree (product barcodes)
    REJECT = "reject"  # never emit


Accept = Callable[[str, str], Acceptance]  # (text, symbology) -> Acceptance

# Kinds (terminal.classifier.ScanKind and similar) that need frames to agree / are refused.
CONFIRM_KINDS = frozenset({"product"})
REJECT_KINDS = frozenset({"unknown"})


def acceptance_for_kind(kind: str) -> Acceptance:
    """``"product"`` -> CONFIRM, ``"unknown"`` -> REJECT, any other kind -> ACCEPT."""
    if kind in CONFIRM_KINDS:
        return Acceptance.CONFIRM
    if kind in REJECT_KINDS:
        return Acceptance.REJECT
    return Acceptance.ACCEPT


def accept_from_classifier(classify: Callable[[str], Any]) -> Accept:
    """An ``accept`` built from a classifier ``classify(text)`` returning an object with a
    ``kind`` attribute (``terminal.classifier.Scanned``) or a kind string. A classifier that
    raises refuses the string."""

    def accept(text: str, symbology: str) -> Acceptance:
        try:
            result = classify(text)
        except Exception:
            log.debug("classifier refused %r", text, exc_info=True)
            return Acceptance.REJECT
        kind = result if isinstance(result, str) else getattr(result, "kind", "unknown")
        return acceptance_for_kind(str(kind))

    return accept


class FrameSource(Protocol):
    """Where frames come from: :class:`devices.camera.Camera` or :class:`LatestFrame`."""

    def latest(self, after_seq: int = 0, timeout: float | None = None) -> Any: ...


@dataclass(frozen=True)
class ScanEvent:
    """An accepted code: text, symbology, where it was found (polygon and bbox in frame
    pixels, for the preview's box), which frame, and the frame-to-emit latency."""

    text: str
    symbology: str
    acceptance: Acceptance
    polygon: tuple[tuple[int, int], ...]
    bbox: tuple[int, int, int, int]
    frame_seq: int
    frame_time: float  # time.monotonic() at capture
    emitted_at: float  # time.monotonic() at emission
    decoder: str

    @property
    def latency_ms(self) -> float:
        return (self.emitted_at - self.frame_time) * 1000.0


class ScanLoop:
    """Decode thread over a frame source; see the module docstring."""

    def __init__(
        self,
        frames: FrameSource,
        on_code: Callable[[ScanEvent], None],
        accept: Accept,
        *,
        decoder: Decoder | None = None,
        dedupe_seconds: float = 3.0,
        confirm_frames: int = 2,
        clock: Callable[[], float] = time.monotonic,
        poll_timeout: float = 0.2,
        frame_budget_ms: float | None = 50.0,
    ) -> None:
        if confirm_frames < 1:
            raise ValueError("confirm_frames must be at least 1")
        self._frames = frames
        self._on_code = on_code
        self._accept = accept
        self.decoder = decoder if decoder is not None else PipelineDecoder()
        self.dedupe_seconds = dedupe_seconds
        self.confirm_frames = confirm_frames
        self._clock = clock
        self._poll = poll_timeout
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_seen: dict[str, float] = {}  # emitted text -> last sighting
        self._streak: dict[str, int] = {}  # CONFIRM text -> consecutive decoded frames
        self.frame_budget_ms = frame_budget_ms
        self._resume_at = 0  # the pipeline's cascade, spread over consecutive frames
        self._last_seq = 0
        self.frames_decoded = 0
        self.frames_skipped = 0  # newer frames arrived while decoding: never looked at
        self.emitted = 0

    @classmethod
    def from_settings(
        cls,
        settings: Any,
        frames: FrameSource,
        on_code: Callable[[ScanEvent], None],
        accept: Accept,
        **kwargs: Any,
    ) -> ScanLoop:
        """A loop configured from :class:`devices.camera.CameraSettings`."""
        kwargs.setdefault("frame_budget_ms", settings.decode_budget_ms)
        return cls(
            frames,
            on_code,
            accept,
            dedupe_seconds=settings.dedupe_seconds,
            confirm_frames=settings.confirm_frames,
            **kwargs,
        )

    # -- thread control

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the decode thread; returns at once (no-op when running)."""
        if self.running:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="scan-loop", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the decode thread (after the frame being decoded, if any)."""
        thread = self._thread
        if thread is None:
            return
        self._stop.set()
        thread.join(timeout)
        self._thread = None

    def __enter__(self) -> ScanLoop:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                frame = self._frames.latest(self._last_seq, self._poll)
            except Exception:
                log.exception("frame source failed")
                self._stop.wait(self._poll)
                continue
            if frame is None:
                continue
            try:
                self.process(frame.image, frame.seq, frame.timestamp)
            except Exception:
                log.exception("scan loop failed on frame %s", frame.seq)

    # -- one frame

    def process(
        self, image: Any, seq: int | None = None, timestamp: float | None = None
    ) -> list[ScanEvent]:
        """Decode one frame and emit what it accepts; returns the events emitted.
        The thread calls this; tests and benches may call it directly."""
        if seq is None:
            seq = self._last_seq + 1
        if self._last_seq and seq > self._last_seq + 1:
            self.frames_skipped += seq - self._last_seq - 1
        self._last_seq = seq
        frame_time = self._clock() if timestamp is None else timestamp
        if isinstance(self.decoder, PipelineDecoder) and self.frame_budget_ms is not None:
            result = self.decoder.run(
                image, budget_ms=self.frame_budget_ms, resume_at=self._resume_at
            )
            self._resume_at = result.next_stage
            codes = result.codes
        else:
            codes = self.decoder.decode(image)
        self.frames_decoded += 1
        return self._handle(codes, seq, frame_time)

    def _handle(self, codes: list[Code], seq: int, frame_time: float) -> list[ScanEvent]:
        now = self._clock()
        events: list[ScanEvent] = []
        seen_confirm: set[str] = set()
        unique: dict[str, Code] = {}
        for c in codes:
            unique.setdefault(c.text, c)
        for text, code in unique.items():
            decision = self._accept(text, code.symbology)
            if decision is Acceptance.REJECT:
                continue
            if decision is Acceptance.CONFIRM:
                seen_confirm.add(text)
                streak = self._streak.get(text, 0) + 1
                self._streak[text] = streak
                if streak < self.confirm_frames:
                    continue
            last = self._last_seen.get(text)
            if last is not None and now - last < self.dedupe_seconds:
                self._last_seen[text] = now  # still in sight: renew the window
                continue
            self._last_seen[text] = now
            event = ScanEvent(
                text=text,
                symbology=code.symbology,
                acceptance=decision,
                polygon=code.polygon,
                bbox=code.bbox,
                frame_seq=seq,
                frame_time=frame_time,
                emitted_at=self._clock(),
                decoder=code.decoder,
            )
            events.append(event)
            self.emitted += 1
            try:
                self._on_code(event)
            except Exception:
                log.exception("scan callback failed for %r", text)
        # agreement must be in consecutive decoded frames
        for text in list(self._streak):
            if text not in seen_confirm:
                del self._streak[text]
        # forget old sightings so the map stays small
        if len(self._last_seen) > 256:
            cutoff = now - self.dedupe_seconds
            self._last_seen = {t: s for t, s in self._last_seen.items() if s >= cutoff}
        return events

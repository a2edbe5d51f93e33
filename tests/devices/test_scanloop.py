"""The scan loop: newest frame, dedupe window, two-frame agreement, validation, region.

No test here passes or fails on how fast a thread ran: time comes from an injected
clock or from frame timestamps, a gated decoder decides when a decode finishes, and
waits have a hang guard only. Latency, start time and frames dropped at camera speed
are printed by ``bench/bench_scanloop.py``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from devices.camera import Camera, CameraSettings, Frame, LatestFrame
from devices.corpus import render_ean13, render_qr
from devices.decoding import Code, Decoder, get_decoder
from devices.scanloop import (
    Acceptance,
    ScanEvent,
    ScanLoop,
    accept_from_classifier,
    acceptance_for_kind,
)

from .test_camera import GUARD, write_video


def stand_in_classify(text: str) -> str:
    """The test's classifier: 8/12/13 digits is a product barcode, anything else "qr"."""
    return "product" if text.isdigit() and len(text) in (8, 12, 13) else "qr"


ACCEPT = accept_from_classifier(stand_in_classify)


class Scripted(Decoder):
    """A decoder that returns scripted codes per call."""

    name = "scripted"

    def __init__(self, script: list[list[str]] | None = None) -> None:
        self.script = list(script or [])

    def decode(self, image: np.ndarray) -> list[Code]:
        texts = self.script.pop(0) if self.script else []
        sym = lambda t: "EAN13" if stand_in_classify(t) == "product" else "QRCODE"  # noqa: E731
        return [Code(t, sym(t), ((10, 20), (110, 20), (110, 120), (10, 120)), "x") for t in texts]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_loop(script: list[list[str]], **kw: object) -> tuple[ScanLoop, list[ScanEvent], Clock]:
    events: list[ScanEvent] = []
    clock = Clock()
    loop = ScanLoop(LatestFrame(), events.append, ACCEPT, decoder=Scripted(script), clock=clock,
                    **kw)  # fmt: skip
    return loop, events, clock


BLANK = np.zeros((4, 4), np.uint8)


def test_acceptance_mapping():
    assert acceptance_for_kind("product") is Acceptance.CONFIRM
    assert acceptance_for_kind("unknown") is Acceptance.REJECT
    for kind in ("member_static", "member_dynamic", "coupon", "receipt", "qr"):
        assert acceptance_for_kind(kind) is Acceptance.ACCEPT
    assert ACCEPT("6901234567892", "EAN13") is Acceptance.CONFIRM
    assert ACCEPT("MC1:ABC", "QRCODE") is Acceptance.ACCEPT

    class Scanned:  # shaped like terminal.classifier.Scanned
        kind = "coupon"

    assert accept_from_classifier(lambda t: Scanned())("CP1", "QRCODE") is Acceptance.ACCEPT

    def broken(text: str) -> str:
        raise ValueError(text)

    assert accept_from_classifier(broken)("x", "QRCODE") is Acceptance.REJECT


def test_qr_emitted_at_once_with_region():
    loop, events, _ = make_loop([["MC1:M12345678:ABC"]])
    out = loop.process(BLANK)
    assert out == events and len(events) == 1
    ev = events[0]
    assert (ev.text, ev.symbology, ev.acceptance) == ("MC1:M12345678:ABC", "QRCODE",
                                                       Acceptance.ACCEPT)  # fmt: skip
    assert ev.polygon == ((10, 20), (110, 20), (110, 120), (10, 120))
    assert ev.bbox == (10, 20, 100, 100)


def test_qr_that_does_not_validate_is_never_emitted():
    events: list[ScanEvent] = []

    def validate(text: str, symbology: str) -> Acceptance:
        return Acceptance.ACCEPT if text.startswith("MC1:") else Acceptance.REJECT

    loop = ScanLoop(LatestFrame(), events.append, validate,
                    decoder=Scripted([["FORGED"], ["FORGED"], ["MC1:OK"]]))  # fmt: skip
    for _ in range(3):
        loop.process(BLANK)
    assert [e.text for e in events] == ["MC1:OK"]


def test_ean13_needs_two_frames_in_a_row_to_agree():
    good, misread = "6901234567892", "6901234567885"
    loop, events, _ = make_loop([[good], [misread], [good], [], [good], [good]])
    emitted = [len(loop.process(BLANK)) for _ in range(6)]
    assert emitted == [0, 0, 0, 0, 0, 1]  # only frames 5 and 6 agree
    assert [e.text for e in events] == [good]
    assert events[0].acceptance is Acceptance.CONFIRM
    assert events[0].frame_seq == 6


def test_confirm_frames_is_configurable():
    code = "69012345"  # EAN-8 length
    loop, _events, _ = make_loop([[code]] * 3, confirm_frames=3)
    assert [len(loop.process(BLANK)) for _ in range(3)] == [0, 0, 1]


def test_same_code_within_dedupe_window_is_ignored():
    qr = "MC1:M00000001:XYZ"
    loop, events, clock = make_loop([[qr]] * 4 + [[]] + [[qr]], dedupe_seconds=3.0)
    loop.process(BLANK)  # emitted
    clock.now += 1.0
    loop.process(BLANK)  # still in sight: ignored, window renewed
    clock.now += 2.5
    loop.process(BLANK)  # 2.5 s after the last sighting: ignored
    clock.now += 2.9
    loop.process(BLANK)  # ignored
    clock.now += 1.0
    loop.process(BLANK)  # nothing in view
    clock.now += 3.0  # out of sight for 4 s
    loop.process(BLANK)
    assert [e.text for e in events] == [qr, qr]


def test_two_codes_in_one_frame_both_emitted_once():
    loop, events, _ = make_loop([["MC1:A", "CP100001", "MC1:A"]])
    loop.process(BLANK)
    assert sorted(e.text for e in events) == ["CP100001", "MC1:A"]


class Gated(Decoder):
    """A decoder that records which frame it got and then stays inside ``decode`` until
    the test opens the gate: the test, not the machine's speed, decides when a decode
    ends."""

    name = "gated"

    def __init__(self) -> None:
        self.seen: list[int] = []
        self._open = False
        self._cond = threading.Condition()

    def decode(self, image: np.ndarray) -> list[Code]:
        with self._cond:
            self.seen.append(int(image.flat[0]))
            self._cond.notify_all()
            self._cond.wait_for(lambda: self._open, GUARD)
        return []

    def open_gate(self) -> None:
        with self._cond:
            self._open = True
            self._cond.notify_all()

    def wait_seen(self, count: int) -> list[int]:
        with self._cond:
            ok = self._cond.wait_for(lambda: len(self.seen) >= count, GUARD)
            assert ok, f"the decoder got {self.seen}, expected {count} frames (hang guard)"
            return list(self.seen)


def returns_while_decoding(call: Callable[[], object], what: str) -> None:
    """Run ``call`` on a helper thread; fail if it has not returned by the hang guard
    (the gated decoder is still inside a decode the whole time)."""
    helper = threading.Thread(target=call)
    helper.start()
    helper.join(GUARD)
    assert not helper.is_alive(), f"{what} waited for the decode to finish"


def test_thread_works_on_the_newest_frame_and_never_blocks_the_caller():
    """start() and put() return while a decode is in progress; the 39 frames that arrive
    during it are dropped, not queued, and the next decode takes the newest. (How long
    start() takes and how many frames a real decoder drops at 30 fps:
    bench/bench_scanloop.py.)"""
    slot = LatestFrame()
    decoder = Gated()
    loop = ScanLoop(slot, lambda e: None, ACCEPT, decoder=decoder)
    slot.put(np.full((4, 4), 1, np.uint8))
    try:
        returns_while_decoding(loop.start, "start()")
        assert decoder.wait_seen(1) == [1]  # frame 1 is being decoded, the gate is shut

        def put_39_frames() -> None:
            for i in range(2, 41):
                slot.put(np.full((4, 4), i, np.uint8))

        returns_while_decoding(put_39_frames, "put()")
        decoder.open_gate()
        assert decoder.wait_seen(2) == [1, 40]  # the newest frame, not frame 2
    finally:
        decoder.open_gate()
        loop.stop(timeout=GUARD)
    assert not loop.running
    assert decoder.seen == [1, 40]  # frames 2-39 were never decoded
    assert (loop.frames_decoded, loop.frames_skipped) == (2, 38)


def test_latency_runs_from_the_frames_capture_time_to_emission():
    """``latency_ms`` is the loop's clock at emission minus the frame's own capture time
    (the camera's timestamp, not when the loop got to it)."""
    slot = LatestFrame()
    got: list[ScanEvent] = []
    done = threading.Event()
    clock = Clock()  # stands still at 1000.0

    def on_code(event: ScanEvent) -> None:
        got.append(event)
        done.set()

    loop = ScanLoop(slot, on_code, ACCEPT, decoder=Scripted([["MC1:A"]]), clock=clock)
    slot.put(BLANK, timestamp=999.75)  # captured 250 ms before the loop's "now"
    loop.start()
    try:
        assert done.wait(GUARD), "no code emitted (hang guard)"
    finally:
        loop.stop(timeout=GUARD)
    [event] = got
    assert (event.frame_seq, event.frame_time, event.emitted_at) == (1, 999.75, 1000.0)
    assert event.latency_ms == 250.0

    # a frame handed to process() without a timestamp is timed when it is processed
    direct, events, _ = make_loop([["MC1:B"]])
    direct.process(BLANK)
    assert events[0].frame_time == events[0].emitted_at == 1000.0
    assert events[0].latency_ms == 0.0


def test_callback_errors_do_not_stop_the_loop():
    calls = []

    def bad(event: ScanEvent) -> None:
        calls.append(event.text)
        raise RuntimeError("receiver gone")

    loop = ScanLoop(LatestFrame(), bad, ACCEPT, decoder=Scripted([["MC1:A"], ["MC1:B"]]))
    loop.process(BLANK)
    loop.process(BLANK)
    assert calls == ["MC1:A", "MC1:B"]


class Served:
    """A frame source that remembers the capture time of each frame it hands out."""

    def __init__(self, inner: Camera) -> None:
        self.inner = inner
        self.times: dict[int, float] = {}

    def latest(self, after_seq: int = 0, timeout: float | None = None) -> Frame | None:
        frame = self.inner.latest(after_seq, timeout)
        if frame is not None:
            self.times[frame.seq] = frame.timestamp
        return frame


def _scene(code_img: np.ndarray) -> np.ndarray:
    frame = np.full((720, 1280, 3), 140, np.uint8)
    h, w = code_img.shape
    frame[200 : 200 + h, 300 : 300 + w] = code_img[..., None]
    return frame


def test_end_to_end_camera_video_to_emitted_codes(tmp_path: Path):
    """A video file through Camera -> ScanLoop with the real pipeline decoder."""
    qr_text = "MC1:M20261123:12345678:ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    ean = "6901234567892"
    frames = [_scene(render_qr(qr_text, 5))] * 3 + [_scene(render_ean13(ean, 3, 120))] * 3
    video = write_video(tmp_path / "e2e.avi", frames, fps=30)
    # a dedupe window longer than any test may run: "once each" cannot depend on speed
    settings = CameraSettings.model_validate({"source": str(video), "fps": 60,
                                              "dedupe_seconds": 600.0})  # fmt: skip
    got: list[ScanEvent] = []
    done = threading.Event()

    def on_code(ev: ScanEvent) -> None:
        got.append(ev)
        if {e.text for e in got} >= {qr_text, ean}:
            done.set()

    cam = Camera(settings)
    served = Served(cam)
    loop = ScanLoop.from_settings(settings, served, on_code, ACCEPT)
    cam.start()
    loop.start()
    try:
        assert done.wait(GUARD), f"not both codes (hang guard): {[e.text for e in got]}"
    finally:
        loop.stop()
        cam.stop()
    texts = [e.text for e in got]
    assert texts.count(qr_text) == 1 and texts.count(ean) == 1  # once each, video loops
    qr_event = next(e for e in got if e.text == qr_text)
    x, y, w, h = qr_event.bbox
    assert 280 <= x <= 340 and 180 <= y <= 240 and w > 100 and h > 100
    # each latency is measured from the capture time of the very frame that was decoded
    assert all(e.frame_time == served.times[e.frame_seq] for e in got)


def test_pipeline_decoder_is_the_default():
    loop = ScanLoop(LatestFrame(), lambda e: None, ACCEPT)
    assert loop.decoder.name == get_decoder().name == "pipeline"


@pytest.mark.parametrize("confirm", [0, -1])
def test_confirm_frames_must_be_positive(confirm: int):
    with pytest.raises(ValueError):
        ScanLoop(LatestFrame(), lambda e: None, ACCEPT, confirm_frames=confirm)


def test_frame_budget_spreads_the_cascade_over_frames():
    """A code only a late stage reads is still found while it stays in view."""
    img = 255 - render_ean13("6901234567892", 3, 120)
    events: list[ScanEvent] = []
    loop = ScanLoop(LatestFrame(), events.append, ACCEPT, frame_budget_ms=0.001)
    for _ in range(12):
        loop.process(img)
    assert [e.text for e in events] == ["6901234567892"]

"""The scan loop: newest frame, dedupe window, two-frame agreement, validation, region."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from devices.camera import Camera, CameraSettings, LatestFrame
from devices.corpus import render_ean13, render_qr
from devices.decoding import Code, Decoder, get_decoder
from devices.scanloop import (
    Acceptance,
    ScanEvent,
    ScanLoop,
    accept_from_classifier,
    acceptance_for_kind,
)

from .test_camera import write_video


def stand_in_classify(text: str) -> str:
    """The test's classifier: 8/12/13 digits is a product barcode, anything else "qr"."""
    return "product" if text.isdigit() and len(text) in (8, 12, 13) else "qr"


ACCEPT = accept_from_classifier(stand_in_classify)


class Scripted(Decoder):
    """A decoder that returns scripted codes per call (and can be slow)."""

    name = "scripted"

    def __init__(self, script: list[list[str]] | None = None, delay: float = 0.0) -> None:
        self.script = list(script or [])
        self.delay = delay
        self.seen: list[int] = []

    def decode(self, image: np.ndarray) -> list[Code]:
        self.seen.append(int(image.flat[0]))
        if self.delay:
            time.sleep(self.delay)
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


def test_thread_works_on_the_newest_frame_and_never_blocks_the_caller():
    slot = LatestFrame()
    decoder = Scripted(delay=0.05)
    loop = ScanLoop(slot, lambda e: None, ACCEPT, decoder=decoder)
    t = time.monotonic()
    loop.start()
    assert time.monotonic() - t < 0.05  # start returns at once
    try:
        for i in range(1, 41):  # 40 frames at ~400 fps while each decode takes 50 ms
            slot.put(np.full((4, 4), i, np.uint8))
            time.sleep(0.0025)
        deadline = time.monotonic() + 2
        while (not decoder.seen or decoder.seen[-1] != 40) and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        loop.stop()
    assert not loop.running
    seen = decoder.seen
    assert seen[-1] == 40  # the newest frame was decoded
    assert len(seen) < 10  # most stale frames were dropped, not queued
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    assert loop.frames_skipped >= 40 - len(seen) - 1


def test_callback_errors_do_not_stop_the_loop():
    calls = []

    def bad(event: ScanEvent) -> None:
        calls.append(event.text)
        raise RuntimeError("receiver gone")

    loop = ScanLoop(LatestFrame(), bad, ACCEPT, decoder=Scripted([["MC1:A"], ["MC1:B"]]))
    loop.process(BLANK)
    loop.process(BLANK)
    assert calls == ["MC1:A", "MC1:B"]


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
    settings = CameraSettings.model_validate({"source": str(video), "fps": 60,
                                              "dedupe_seconds": 30.0})  # fmt: skip
    got: list[ScanEvent] = []
    done = threading.Event()

    def on_code(ev: ScanEvent) -> None:
        got.append(ev)
        if {e.text for e in got} >= {qr_text, ean}:
            done.set()

    cam = Camera(settings)
    loop = ScanLoop.from_settings(settings, cam, on_code, ACCEPT)
    cam.start()
    loop.start()
    try:
        assert done.wait(15), [e.text for e in got]
    finally:
        loop.stop()
        cam.stop()
    texts = [e.text for e in got]
    assert texts.count(qr_text) == 1 and texts.count(ean) == 1  # once each, video loops
    qr_event = next(e for e in got if e.text == qr_text)
    x, y, w, h = qr_event.bbox
    assert 280 <= x <= 340 and 180 <= y <= 240 and w > 100 and h > 100
    assert all(e.latency_ms >= 0 for e in got)


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

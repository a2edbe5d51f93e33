"""The camera scan (F3) at the GUI till: real frames from a video file, through the real
capture, decoder, classifier and checkout; the event loop stays free while it decodes."""

from __future__ import annotations

import importlib.util
import shutil
import threading
import wave
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from sqlalchemy import select

from devices.corpus import render_qr
from devices.scanloop import Acceptance, accept_from_classifier
from terminal import messages
from terminal.classifier import classify
from terminal.config import DataDir
from terminal.home import TerminalHome
from terminal.membercodes import demo_app_key, encode_dynamic, key_id_for, read_seed
from terminal.store.models import Member
from tests.devices.test_camera import write_video
from tests.ui.qt.test_gui_sale import log_in
from ui.qt import camera as camera_module
from ui.qt.camera import CameraDialog, open_camera

ROOT = Path(__file__).resolve().parents[3]
CODE_AT = (160, 60)  # where the code sits in each frame (x, y)


def scene(text: str) -> np.ndarray:
    """A grey 640x360 frame with ``text`` as a QR code at :data:`CODE_AT`."""
    code = render_qr(text, 4)
    frame = np.full((360, 640, 3), 150, np.uint8)
    x, y = CODE_AT
    h, w = code.shape
    frame[y : y + h, x : x + w] = code[..., None]
    return frame


def app_code(data_dir: Path, member_no: str) -> str:
    """What the member app shows now for a demo member (the demo store holds its key)."""
    seed = read_seed(DataDir.locate(data_dir).keys_dir)
    assert seed is not None
    key = demo_app_key(seed, member_no)
    key_id = key_id_for(key.public_key().public_bytes_raw())
    return encode_dynamic(member_no, key_id, key, datetime.now(UTC))


@pytest.fixture
def till(demo_dir: Path, tmp_path: Path) -> Iterator[Callable[..., TerminalHome]]:
    """Opens a copy of the demo till whose ``[camera]`` table says ``camera``."""
    opened: list[TerminalHome] = []

    def make(**camera: object) -> TerminalHome:
        data = tmp_path / "data"
        shutil.copytree(demo_dir, data)
        config = data / "config.toml"
        text = config.read_text(encoding="utf-8").replace(str(demo_dir), str(data))
        table = "\n".join(f"{key} = {toml(value)}" for key, value in camera.items())
        config.write_text(f"{text}\n[camera]\n{table}\n", encoding="utf-8")
        home = TerminalHome.open(data)
        opened.append(home)
        return home

    yield make
    for home in opened:
        home.close()


def toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\") + '"'
    return str(value)


@pytest.fixture
def open_window(qtbot) -> Iterator[Callable[[TerminalHome], object]]:
    from ui.qt import ops
    from ui.qt.app import application, build

    def make(home: TerminalHome):  # type: ignore[no-untyped-def]
        application()
        win = build(home)
        qtbot.addWidget(win)
        win.show()
        log_in(qtbot, win)
        return win

    yield make
    camera_module._stop_all_at_quit()  # a test that failed half-way leaves no camera running
    ops.wait_all(20_000)


def camera_dialog(qtbot, win) -> CameraDialog:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in win.findChildren(CameraDialog)))
    return next(d for d in win.findChildren(CameraDialog) if d.isVisible())


def close_camera(qtbot, dialog: CameraDialog) -> None:
    feed = dialog.feed
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: feed not in camera_module._live, timeout=10_000)
    assert not feed.running and not feed.loop.running  # the camera was released


def test_a_member_app_code_in_front_of_the_camera_attaches_the_member(
    qtbot, till, open_window, tmp_path, demo_dir, monkeypatch
) -> None:
    # every box the preview draws, in order (a busy machine may have drawn the next
    # code's box by the time the test looks at the first one)
    boxes: list[tuple[tuple[tuple[int, int], ...], bool | None]] = []
    draw = camera_module.CameraView.show_box

    def recording(view, polygon, taken):  # type: ignore[no-untyped-def]
        boxes.append((polygon, taken))
        draw(view, polygon, taken)

    monkeypatch.setattr(camera_module.CameraView, "show_box", recording)
    member_no = "M00000007"
    code = app_code(demo_dir, member_no)
    video = write_video(
        tmp_path / "member.avi", [scene(code)] * 8 + [scene("CPNOSUCH99")] * 8, fps=30
    )
    home = till(source=str(video), dedupe_seconds=60.0)
    win = open_window(home)

    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F3)
    dialog = camera_dialog(qtbot, win)
    qtbot.waitUntil(lambda: win.checkout.member.title.text().startswith(member_no), timeout=20_000)
    assert dialog.view.frames_shown > 0  # the live preview
    assert win.parts["camera"].property("state") == "ok"
    assert messages.render("camera_ready") in win.parts["camera"].text()

    # the member's code was taken: a box around it, the good-read sound
    qtbot.waitUntil(lambda: len(dialog.reads) >= 1)
    assert dialog.reads[0] == (code, True)
    assert dialog.beeper.played[0] == "ok"
    polygon, taken = next(box for box in boxes if box[1] is not None)
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    x, y = CODE_AT
    size = render_qr(code, 4).shape[0]
    assert taken and x - 8 <= min(xs) < max(xs) <= x + size + 8
    assert y - 8 <= min(ys) < max(ys) <= y + size + 8

    # an unknown coupon is refused: the other sound, and the sale's one-line reason
    qtbot.waitUntil(lambda: len(dialog.reads) >= 2, timeout=20_000)
    assert dialog.reads[1] == ("CPNOSUCH99", False)
    assert dialog.beeper.played[:2] == ["ok", "refused"]
    assert dialog.message.text() and dialog.message.property("kind") == "error"
    assert win.ctx.checkout.member_no == member_no  # still the member, nothing else changed
    with home.db.sessions() as s:
        assert s.scalar(select(Member.status).where(Member.member_no == member_no)) == "active"

    close_camera(qtbot, dialog)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    qtbot.waitUntil(lambda: messages.render("camera_closed") in win.parts["camera"].text())


def test_the_event_loop_keeps_running_while_the_camera_decodes(
    qtbot, till, open_window, tmp_path
) -> None:
    video = write_video(tmp_path / "coupon.avi", [scene("CP100001")] * 10, fps=30)
    win = open_window(till(source=str(video)))
    gui_thread = threading.get_ident()
    classifier = accept_from_classifier(classify)
    decoded_on: list[int] = []

    def accept(text: str, symbology: str) -> Acceptance:  # runs where the decoding runs
        decoded_on.append(threading.get_ident())
        return classifier(text, symbology)

    seen_at_tick: list[int] = []  # how many codes had been decoded at each heartbeat
    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(lambda: seen_at_tick.append(len(decoded_on)))
    heartbeat.start()
    dialog = open_camera(win, win.ctx, win.checkout, accept=accept)
    assert dialog is not None
    try:
        qtbot.waitUntil(lambda: len(decoded_on) > 3, timeout=20_000)
        ticks, decodes = len(seen_at_tick), len(decoded_on)
        qtbot.waitUntil(
            lambda: len(seen_at_tick) > ticks + 5 and len(decoded_on) > decodes + 5,
            timeout=20_000,
        )
        assert dialog.feed.loop.running  # still decoding while the heartbeat ran
        # the heartbeat saw the decode count move again and again: the two ran side by side
        assert len(set(seen_at_tick[ticks:])) >= 3
        assert gui_thread not in set(decoded_on)
        assert dialog.view.frames_shown > 0
    finally:
        heartbeat.stop()
        close_camera(qtbot, dialog)


def test_a_missing_camera_is_reported_and_the_scan_field_still_sells(
    qtbot, till, open_window, tmp_path
) -> None:
    home = till(source=str(tmp_path / "no-such-camera.avi"), retry_initial_s=0.2)
    win = open_window(home)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F3)
    dialog = camera_dialog(qtbot, win)
    cannot = messages.render("camera_cannot_open")
    qtbot.waitUntil(lambda: dialog.message.text() == cannot)
    assert dialog.view.placeholder == cannot
    assert win.parts["camera"].property("state") == "offline"
    assert cannot in win.parts["camera"].text()

    qtbot.keyClicks(dialog, "SKU000300")  # a handheld scanner typing into the camera dialog
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.checkout.table.rowCount() == 1)
    qtbot.keyClicks(win.checkout.scan, "SKU000002")
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: win.checkout.table.rowCount() == 2)

    feed = dialog.feed
    win.idle.lock()  # the sale out of sight: the camera closes with it
    qtbot.waitUntil(lambda: feed not in camera_module._live, timeout=10_000)
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    qtbot.waitUntil(lambda: messages.render("camera_unavailable") in win.parts["camera"].text())


@pytest.mark.parametrize(
    ("camera", "code"),
    [({"enabled": False}, "camera_disabled"), ({"width": "wide"}, "camera_settings_bad")],
)
def test_a_camera_turned_off_or_misconfigured_says_so(
    qtbot, till, open_window, camera, code
) -> None:
    if "width" in camera:  # a bad table is refused when the till opens; break it afterwards
        home = till()
        home.config.camera.update(camera)
    else:
        home = till(**camera)
    win = open_window(home)
    qtbot.keyClick(win.checkout.scan, Qt.Key.Key_F3)
    dialog = camera_dialog(qtbot, win)
    qtbot.waitUntil(lambda: messages.render(code) in win.parts["camera"].text())
    assert dialog.message.text()
    assert dialog.message.property("kind") == "error"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not shiboken6.isValid(dialog) or not dialog.isVisible())


def test_the_committed_scan_sounds_are_what_the_generator_makes(tmp_path) -> None:
    spec = importlib.util.spec_from_file_location(
        "make_sounds", ROOT / "resources" / "sounds" / "make_sounds.py"
    )
    assert spec is not None and spec.loader is not None
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    for made in make.write(tmp_path):
        committed = ROOT / "resources" / "sounds" / made.name
        with wave.open(str(made)) as a, wave.open(str(committed)) as b:
            assert (a.getnchannels(), a.getsampwidth(), a.getframerate()) == (
                b.getnchannels(),
                b.getsampwidth(),
                b.getframerate(),
            )
            assert a.getnframes() == b.getnframes() and b.getnframes() / b.getframerate() < 0.5
            ours = np.frombuffer(a.readframes(a.getnframes()), "<i2").astype(int)
            theirs = np.frombuffer(b.readframes(b.getnframes()), "<i2").astype(int)
        assert np.abs(ours - theirs).max() <= 1  # libm may differ in the last bit

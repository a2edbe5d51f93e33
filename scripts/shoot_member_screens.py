"""Screenshots of the member lookup, the registration form and the camera scan.

Run under a display (Xvfb is enough)::

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/shoot_member_screens.py \
        [--lang en|zh_CN] [--out docs/screenshots]

A demo till is built in a temporary directory in the chosen language; the
camera reads a member's app code from a video of a counter scene. Writes
``member-lookup.png``, ``member-register.png`` and ``camera-scan.png``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def build_till(root: Path, lang: str, video: Path) -> Path:
    from ui.cli import main as cli

    data = root / "till"
    with open(os.devnull, "w") as quiet:
        stdout, sys.stdout = sys.stdout, quiet
        try:
            assert cli(["demo", "--data-dir", str(data), "--members", "30"]) == 0
        finally:
            sys.stdout = stdout
    config = data / "config.toml"
    text = config.read_text(encoding="utf-8").replace('language = "zh_CN"', f'language = "{lang}"')
    config.write_text(f'{text}\n[camera]\nsource = "{video}"\n', encoding="utf-8")
    return data


def counter_video(path: Path, code: str) -> Path:
    """A few seconds of a counter with a phone showing ``code`` (corpus background)."""
    import cv2
    import numpy as np

    from devices.corpus import _background, render_qr

    rng = np.random.default_rng(3)
    scene = _background(rng)
    qr = render_qr(code, 6)
    h, w = qr.shape
    y, x = 170, 520
    cv2.rectangle(scene, (x - 40, y - 70), (x + w + 40, y + h + 90), (30, 30, 30), -1)
    scene[y : y + h, x : x + w] = qr[..., None]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, scene.shape[1::-1])
    for _ in range(30):
        noise = rng.normal(0, 3, scene.shape)
        writer.write(np.clip(scene + noise, 0, 255).astype(np.uint8))
    writer.release()
    return path


def wait(app: object, done: Callable[[], bool], seconds: float = 30.0) -> None:
    from PySide6.QtWidgets import QApplication

    assert isinstance(app, QApplication)
    end = time.monotonic() + seconds
    while not done():
        if time.monotonic() > end:
            raise TimeoutError("the screen did not get there in time")
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", default="en", choices=["en", "zh_CN"])
    ap.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = ap.parse_args()
    if sys.version_info < (3, 12):  # PySide6 6.12.0 drops references to these on 3.11
        import ctypes

        for obj in (None, True, False):
            ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40

    from PySide6.QtCore import Qt
    from sqlalchemy import select

    from terminal import auth, shift_close
    from terminal.home import TerminalHome
    from terminal.membercodes import demo_app_key, encode_dynamic, key_id_for, read_seed
    from terminal.registration import register_member
    from terminal.store.models import Member
    from ui.qt import camera, ops
    from ui.qt.app import application, build
    from ui.qt.members import MemberLookupDialog, RegisterMemberDialog

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        video = root / "counter.avi"
        data = build_till(root, args.lang, video)
        home = TerminalHome.open(data)
        seed = read_seed(home.data.keys_dir)
        assert seed is not None
        key = demo_app_key(seed, "M00000007")
        code = encode_dynamic(
            "M00000007", key_id_for(key.public_key().public_bytes_raw()), key, datetime.now(UTC)
        )
        counter_video(video, code)
        vault = home.vault()
        with home.db.transaction() as session:
            for phone, name in (("13912345678", "王小明"), ("13812345678", "欧阳娜娜")):
                register_member(
                    session, vault, phone=phone, name=name, consent_data=True, actor=None
                )
            assert session.scalar(select(Member.member_no).limit(1))

        app = application()
        win = build(home)
        win.resize(1280, 800)
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
        )
        win._start(cashier)
        for sku in ("SKU000300", "SKU000002"):
            win.checkout.scan_text(sku)
        wait(app, lambda: win.checkout.table.rowCount() == 2)

        win.checkout.member_lookup_requested.emit()
        lookup = next(d for d in win.findChildren(MemberLookupDialog) if d.isVisible())
        lookup.query.setText("5678")
        lookup.look_up()
        wait(app, lambda: lookup.choices.count() >= 2)
        lookup.pick_field.setText("2")
        app.processEvents()
        lookup.grab().save(str(args.out / "member-lookup.png"))

        lookup.query.setText("137 0000 7777")
        lookup.register()
        register = next(d for d in win.findChildren(RegisterMemberDialog) if d.isVisible())
        register.name.setText("赵六")
        register.birthday.setText("05-12")
        register.consent_data.setChecked(True)
        register.consent_marketing.setChecked(False)
        register.submit_button.setFocus(Qt.FocusReason.OtherFocusReason)
        app.processEvents()
        register.grab().save(str(args.out / "member-register.png"))
        register.reject()

        dialog = camera.open_camera(win, ctx, win.checkout)
        assert dialog is not None
        wait(app, lambda: bool(dialog.reads) and dialog.view.box is not None)
        wait(app, lambda: win.checkout.member.title.text().startswith("M00000007"))
        app.processEvents()
        dialog.grab().save(str(args.out / "camera-scan.png"))
        win.grab().save(str(root / "window.png"))
        feed = dialog.feed
        dialog.reject()
        wait(app, lambda: feed not in camera._live)
        ops.wait_all(10_000)
        win.close()
        home.close()
    for name in ("member-lookup.png", "member-register.png", "camera-scan.png"):
        print(args.out / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Screenshots of every screen of the GUI till, in Simplified Chinese and in English.

Run under a display (Xvfb is enough: ``apt-get install xvfb``)::

    xvfb-run -a -s "-screen 0 1024x768x24" .venv/bin/python scripts/shoot_screens.py \
        [--lang zh_CN|en] [--out docs/screenshots]

Without ``--lang`` it shoots both languages, each in a child process of its
own (a fresh Qt application per language). For each language a demo till is
built in a temporary directory, the main window is sized 1024×768 (the least
the till must fit), a cashier and a manager work through the screens, and
every screen is saved as ``<screen>-<lang>.png``. The camera reads a member's
app code from a video of a counter scene made here.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

LANGS = ("zh_CN", "en")
SIZE = (1024, 768)


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
    """A second of a counter with a phone showing ``code`` (corpus background)."""
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


class Shooter:
    """Saves widgets as ``<screen>-<lang>.png`` and waits for screens to get somewhere."""

    def __init__(self, app: Any, out: Path, lang: str) -> None:
        self.app = app
        self.out = out
        self.lang = lang
        self.saved: list[tuple[Path, int, int]] = []

    def wait(self, done: Callable[[], bool], seconds: float = 60.0) -> None:
        end = time.monotonic() + seconds
        while not done():
            if time.monotonic() > end:
                raise TimeoutError("the screen did not get there in time")
            self.app.processEvents()
            time.sleep(0.01)

    def settle(self) -> None:
        for _ in range(5):
            self.app.processEvents()
            time.sleep(0.02)

    def shot(self, name: str, widget: Any) -> None:
        self.settle()
        path = self.out / f"{name}-{self.lang}.png"
        picture = widget.grab()
        picture.save(str(path))
        self.saved.append((path, picture.width(), picture.height()))

    def screen(self, name: str) -> None:
        """The whole screen: a dialog over the till."""
        self.settle()
        path = self.out / f"{name}-{self.lang}.png"
        picture = self.app.primaryScreen().grabWindow(0)
        picture.save(str(path))
        self.saved.append((path, picture.width(), picture.height()))


def visible(win: Any, cls: type) -> Any:
    return next((d for d in win.findChildren(cls) if d.isVisible()), None)


def park_two(home: Any) -> None:
    """Park the first sale and member records of the outbox, as the sync engine leaves
    records HQ refused."""
    from sqlalchemy import select

    from terminal.store.models import OutboxRow

    at = datetime(2026, 3, 2, 2, 5, tzinfo=UTC)
    reasons = {
        "sale": "other_terminal: the record names another till",
        "member": "invalid: the member number is taken at HQ",
    }
    with home.db.transaction() as session:
        for kind, reason in reasons.items():
            row = session.scalars(
                select(OutboxRow).where(OutboxRow.kind == kind).order_by(OutboxRow.id)
            ).first()
            if row is not None:
                row.parked_at, row.last_error = at, reason


def shoot(lang: str, out: Path) -> list[tuple[Path, int, int]]:
    if sys.version_info < (3, 12):  # PySide6 6.12.0 drops references to these on 3.11
        import ctypes

        for obj in (None, True, False):
            ctypes.c_ssize_t.from_address(id(obj)).value += 1 << 40

    from PySide6.QtCore import Qt
    from sqlalchemy import select

    from terminal import auth, shifts, topups
    from terminal.demo import DEMO_PAY_PIN, scale_label
    from terminal.home import TerminalHome
    from terminal.membercodes import demo_app_key, encode_dynamic, key_id_for, read_seed
    from terminal.registration import register_member
    from terminal.store.models import Member
    from terminal.tenders import Tender
    from ui.qt import camera, ops
    from ui.qt.app import application, build
    from ui.qt.approval import ApprovalDialog
    from ui.qt.customer_display import CustomerDisplay
    from ui.qt.help_overlay import HelpOverlay
    from ui.qt.login import OpenShiftDialog
    from ui.qt.manager.imports import ImportDialog
    from ui.qt.manager.menu import open_manager_menu
    from ui.qt.manager.parked import ParkedDialog
    from ui.qt.manager.settings import SettingsDialog
    from ui.qt.manager.users import UsersDialog
    from ui.qt.members import MemberLookupDialog, RegisterMemberDialog
    from ui.qt.members.data import MemberDataDialog
    from ui.qt.payment import PaymentDialog
    from ui.qt.receipt_preview import ReceiptsDialog
    from ui.qt.returns import ReturnsDialog
    from ui.qt.shift import CashDialog, CloseShiftDialog, XReportDialog
    from ui.qt.value import (
        MemberPinDialog,
        PointsDialog,
        SetPinDialog,
        TopUpDialog,
        WeightDialog,
    )

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        video = root / "counter.avi"
        home = TerminalHome.open(build_till(root, lang, video))
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
        s = Shooter(app, out, lang)
        win = build(home)
        win.resize(*SIZE)
        win.show()
        ctx = win.ctx

        # --- login and the shift's opening float -------------------------------------------
        win.login.user.setText("1001")
        s.shot("login", win)
        win.login.pin.setText("1111")
        win.login.submit()
        s.wait(lambda: visible(win, OpenShiftDialog) is not None)
        opening = visible(win, OpenShiftDialog)
        opening.amount.setText("500")
        s.shot("open-shift", opening)
        opening.submit()
        s.wait(lambda: win.stack.currentWidget() is win.checkout)
        with home.db.transaction() as session:
            manager = auth.login(session, "3001", "3333", now=ctx.clock())
            admin = auth.login(session, "9001", "9999", now=ctx.clock())
        co = ctx.checkout
        assert co is not None

        # --- a sale with the member on it, the nudge, a weight, a reward, a limit -----------
        basket = ("SKU000300", "3*SKU000133", "3*SKU000154", scale_label("SKU900101", 532))
        for text in basket:
            win.checkout.scan_text(text)
        s.wait(lambda: win.checkout.table.rowCount() == 4)
        win.checkout.scan_text("M00000001")
        s.wait(lambda: win.checkout.member.title.text().startswith("M00000001"))
        win.checkout.ask_points()
        points = visible(win, PointsDialog)
        s.wait(lambda: points.rewards.count() == 3)
        s.shot("points-rewards", points)
        points.rewards.setCurrentRow(0)
        points._redeem_selected()
        s.wait(lambda: win.checkout.table.rowCount() == 5)
        win.checkout.scan_text("SKU900102")
        s.wait(lambda: visible(win, WeightDialog) is not None)
        weight = visible(win, WeightDialog)
        weight.grams.setText("1250")
        s.shot("weight", weight)
        weight._given()
        s.wait(lambda: win.checkout.table.rowCount() == 6)
        s.wait(lambda: bool(win.checkout.message.text()))
        s.shot("checkout", win)

        # --- help, the customer's screen --------------------------------------------------
        overlay = HelpOverlay(win)
        overlay.open()
        s.shot("help", overlay)
        overlay.accept()
        customer = CustomerDisplay(home.config.store.name)
        customer.resize(800, 600)
        customer.show_basket(win.checkout.priced)
        customer.show()
        s.shot("customer-display", customer)

        # --- payment: WeChat Pay and cash, then the rest by the member's balance -----------
        win.pay()
        pay = visible(win, PaymentDialog)
        pay.add("wechat", 2000, "4200000123456789")
        pay.amount.setText("50")
        s.shot("payment", pay)
        pay.add_typed("stored_value")
        s.wait(lambda: visible(win, MemberPinDialog) is not None)
        pin = visible(win, MemberPinDialog)
        pin.pin.setText("000000")
        pin._submit()
        s.wait(lambda: bool(pin.message.text()))
        s.shot("member-pin", pin)
        pin.pin.setText(DEMO_PAY_PIN)
        pin._submit()
        s.wait(lambda: len(pay.tenders) == 2)
        pay.add("cash", pay.left + 1000)
        s.wait(lambda: "S001T01" in win.checkout.message.text())
        s.shot("checkout-paid", win)
        customer.close()

        # --- stored value: a top-up with its bonus -----------------------------------------
        win.checkout.scan_text("M00000002")
        s.wait(lambda: win.checkout.member.title.text().startswith("M00000002"))
        win.top_up()
        top = visible(win, TopUpDialog)
        s.wait(lambda: bool(top.balance.text()))
        top.amount.setText("500")
        top._amount_given()
        s.wait(lambda: bool(top.bonus.text()))
        s.shot("top-up", top)
        top.ask_new_pin()
        s.wait(lambda: visible(top, SetPinDialog) is not None)
        new_pin = visible(top, SetPinDialog)
        new_pin.first.setText("123")
        s.shot("set-pin", new_pin)
        new_pin.reject()
        top.reject()
        topups.top_up(
            home.db,
            ctx.settings,
            co.cashier,
            member_no="M00000002",
            amount=50_000,
            tenders=[Tender("cash", 50_000)],
            clock=ctx.clock,
        )
        co.clear()
        win.checkout.refresh()

        # --- a void asks for a supervisor ----------------------------------------------------
        win.checkout.scan_text("SKU000040")
        s.wait(lambda: win.checkout.table.rowCount() == 1)
        win.checkout.void_selected()
        s.wait(lambda: visible(win, ApprovalDialog) is not None)
        approval = visible(win, ApprovalDialog)
        approval.user.setText("2001")
        s.shot("approval", approval)
        approval.reject()
        s.wait(lambda: bool(win.checkout.message.text()))

        # --- members: lookup, registration, data, the camera ----------------------------------
        win.checkout.member_lookup_requested.emit()
        lookup = visible(win, MemberLookupDialog)
        lookup.query.setText("5678")
        lookup.look_up()
        s.wait(lambda: lookup.choices.count() >= 2)
        lookup.pick_field.setText("2")
        s.shot("member-lookup", lookup)
        lookup.query.setText("137 0000 7777")
        lookup.register()
        register = visible(win, RegisterMemberDialog)
        register.name.setText("赵六")
        register.birthday.setText("05-12")
        register.consent_data.setChecked(True)
        register.consent_marketing.setChecked(False)
        register.submit_button.setFocus(Qt.FocusReason.OtherFocusReason)
        s.shot("member-register", register)
        register.reject()
        dialog = camera.open_camera(win, ctx, win.checkout)
        assert dialog is not None
        s.wait(lambda: bool(dialog.reads) and dialog.view.box is not None)
        s.wait(lambda: win.checkout.member.title.text().startswith("M00000007"))
        s.shot("camera-scan", dialog)
        feed = dialog.feed
        dialog.reject()
        s.wait(lambda: feed not in camera._live)
        co.clear()
        win.checkout.refresh()

        # --- a return with the supervisor's approval, the receipt preview, receipts ------------
        co.attach_member("M00000007")
        for sku, qty in (("SKU000300", 1), ("SKU000002", 2), ("SKU000040", 3), ("SKU000200", 2)):
            co.add(sku, qty)
        due = co.quote().payable
        sale = co.pay([Tender("wechat", 2000, "4200000123456789"), Tender("cash", due - 2000)])
        win.checkout.refresh()
        win.open_returns(sale.receipt_no)
        returns = visible(win, ReturnsDialog)
        s.wait(lambda: returns.table.rowCount() == 4)
        for row, units in enumerate((0, 1, 0, 2)):
            returns.quantity(row).setValue(units)
        returns.reason.setText("包装破损")
        returns.submit()
        s.wait(lambda: visible(returns, ApprovalDialog) is not None)
        approval = visible(returns, ApprovalDialog)
        approval.user.setText("2001")
        approval.pin.setText("2222")
        approval._submit()
        s.wait(lambda: returns.slip_button.isVisible())
        s.wait(lambda: not win.printing.busy)
        s.shot("returns", returns)
        returns.show_receipt(sale.receipt_no)
        s.wait(lambda: returns.preview is not None and returns.preview.drawn)
        preview = returns.preview
        paper = preview.pixmap()  # the whole receipt, as tall as it prints
        preview.resize(paper.width() + 100, min(paper.height() + 180, 1400))
        s.shot("receipt-preview", preview)
        preview.reject()
        returns.reject()
        win.open_receipts()
        receipts = visible(win, ReceiptsDialog)
        s.wait(lambda: receipts.list.count() > 0)
        s.shot("receipts", receipts)
        receipts.reject()

        # --- the manager: menu, cash, X report, close, users, imports, settings -----------------
        win._start(admin)
        data = MemberDataDialog(ctx, win.checkout, win, "M00000003")
        data.open()
        data.look_up()
        s.wait(lambda: data.matches.count() == 1)
        data.show_report()
        s.wait(lambda: data.report.rowCount() > 0)
        s.shot("member-data", data)
        data.reject()
        menu = open_manager_menu(win, ctx)
        assert menu is not None
        s.shot("manager-menu", menu)
        cash = CashDialog(ctx, "out", menu)
        cash.open()
        s.settle()
        cash.amount.setText("200")
        cash.reason.setText("银行存款")
        s.shot("cash-out", cash)
        cash.reject()
        with home.db.sessions() as session:
            summary = shifts.x_report(session, ctx.settings.terminal_id, manager)
        x = XReportDialog(summary, menu)
        x.open()
        s.shot("x-report", x)
        x.reject()
        close = CloseShiftDialog(ctx, menu)
        close.open()
        for denom, pieces in ((10000, "5"), (2000, "1"), (1000, "2"), (500, "1"), (100, "3")):
            close.fields[denom].setText(pieces)
        close.check()
        s.wait(close.confirm.isEnabled)
        s.shot("shift-close", close)
        close.reject()
        menu.run("users")
        s.wait(lambda: visible(win, UsersDialog) is not None)
        s.shot("users", visible(win, UsersDialog))
        visible(win, UsersDialog).reject()
        menu.run("imports")
        s.wait(lambda: visible(win, ImportDialog) is not None)
        s.shot("imports", visible(win, ImportDialog))
        visible(win, ImportDialog).reject()
        settings = SettingsDialog(win, ctx, admin, menu)
        settings.open()
        settings.tabs.setCurrentIndex(1)
        settings.test_print()
        s.wait(lambda: bool(settings.message.text()))
        s.wait(lambda: win.parts["printer"].property("state") == "ok")
        s.screen("settings")
        settings.tabs.setCurrentIndex(settings.tabs.count() - 1)
        settings.hq_url.setText("https://hq.example.com")
        settings.enrol_code.setText("K7QMX2WRTA")
        s.shot("settings-hq", settings)
        settings.reject()
        park_two(home)
        menu.run("parked")
        s.wait(lambda: visible(win, ParkedDialog) is not None)
        s.shot("parked", visible(win, ParkedDialog))
        visible(win, ParkedDialog).reject()
        menu.reject()

        # --- the idle lock ------------------------------------------------------------------
        win.idle.lock()
        s.shot("idle-lock", win)
        ops.wait_all(10_000)
        win.close()
        home.close()
    return s.saved


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lang", choices=LANGS, help="one language (default: both)")
    ap.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = ap.parse_args()
    if args.lang is None:
        for lang in LANGS:
            done = subprocess.run(
                [sys.executable, __file__, "--lang", lang, "--out", str(args.out)], check=False
            )
            if done.returncode:
                return done.returncode
        return 0
    for path, width, height in shoot(args.lang, args.out):
        print(f"{path}  {width}×{height}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

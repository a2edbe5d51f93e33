"""The checkout screen: scan field, basket, totals with their reasons, member panel, buttons.

A keyboard-wedge scanner types a code and Enter wherever the focus is: the
screen sends every printable key that lands outside a text field to the scan
field. Every action is one core call on the store thread (:mod:`ui.qt.ops`);
the screen shows the priced basket the core returns, and asks for an approval
when the core says one is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from terminal.classifier import classify
from terminal.errors import StateError
from terminal.member_summary import MemberSummary, member_summary
from terminal.nudge import Nudge
from terminal.pricing.model import PricedBasket
from terminal.scan_input import split_quantity
from ui.qt.approval import approved
from ui.qt.context import AppContext
from ui.qt.ops import Op
from ui.qt.value import PointsDialog, WeightDialog
from ui.qt.widgets import TOUCH, BigButton, MessageBar, error_text, qty_text, yuan


class MemberPanel(QFrame):
    """The member on the basket, masked; empty when there is none."""

    add_usual = Signal(str)  # sku

    def __init__(self, parent: QWidget | None = None, *, tz: tzinfo | None = None) -> None:
        super().__init__(parent)
        self.tz = tz  # the store's zone: times shown are the store's, not the machine's
        self.setObjectName("memberPanel")
        self.setAccessibleName("member panel")
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setObjectName("memberTitle")
        self.detail = QLabel(self)
        self.detail.setObjectName("memberDetail")
        self.detail.setWordWrap(True)
        self.badge = QLabel(self)
        self.badge.setObjectName("birthdayBadge")
        layout.addWidget(self.title)
        layout.addWidget(self.badge)
        layout.addWidget(self.detail)
        self.usual = QVBoxLayout()
        layout.addLayout(self.usual)
        layout.addStretch(1)
        self.show_summary(None)

    def show_summary(self, summary: MemberSummary | None) -> None:
        while self.usual.count():
            taken = self.usual.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        if summary is None:
            self.title.setText(self.tr("No member (F2 to find, F3 to scan)"))
            self.detail.setText("")
            self.badge.hide()
            return
        p = summary.panel
        self.title.setText(f"{p.member_no}  {p.masked_name}  {p.masked_phone}")
        lines = [
            f"{p.tier.name}  {p.benefits}",
            self.tr("Points {points} (as of {time})").format(
                points=p.points_balance,
                time=summary.points_as_of.astimezone(self.tz).strftime("%H:%M"),
            ),
        ]
        if summary.redeemable_points:
            lines.append(
                self.tr("Can pay {points} points = {value} now").format(
                    points=summary.redeemable_points, value=yuan(summary.redeemable_value)
                )
            )
        if p.points_expiring:
            lines.append(
                self.tr("{points} points expire within {days} days").format(
                    points=p.points_expiring, days=p.expiring_days
                )
            )
        if summary.stored_value.total:
            value = self.tr("Stored value {total} (paid {principal}, bonus {bonus})").format(
                total=yuan(summary.stored_value.total),
                principal=yuan(summary.stored_value.principal),
                bonus=yuan(summary.stored_value.bonus),
            )
            if summary.stored_value_spendable < summary.stored_value.total:
                value += self.tr(", offline {can} usable").format(
                    can=yuan(summary.stored_value_spendable)
                )
            lines.append(value)
        else:
            lines.append(self.tr("Stored value: none"))
        if p.coupons:
            lines.append(
                self.tr("Coupons: ") + ", ".join(f"{c.code} {c.name}" for c in p.coupons[:4])
            )
        self.detail.setText("\n".join(lines))
        self.badge.setVisible(p.birthday_month)
        self.badge.setText(self.tr("🎂 Birthday month"))
        if summary.usual:
            self.usual.addWidget(QLabel(self.tr("Usually buys:"), self))
        for item in summary.usual:
            button = QPushButton(f"+ {item.name}  {yuan(item.price)}", self)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumHeight(TOUCH - 8)
            button.setAccessibleName(f"add usual item {item.sku}")
            button.clicked.connect(lambda _=False, sku=item.sku: self.add_usual.emit(sku))
            self.usual.addWidget(button)


class CheckoutScreen(QWidget):
    """Selling. ``pay_requested``/``returns_requested``/… open the dialogs the window owns."""

    pay_requested = Signal()
    returns_requested = Signal(str)  # receipt number, may be empty
    member_lookup_requested = Signal()
    camera_requested = Signal()
    manager_requested = Signal()
    help_requested = Signal()
    topup_requested = Signal()
    basket_shown = Signal(object)  # PricedBasket | None: the customer display follows it

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.priced: PricedBasket | None = None
        self.summary: MemberSummary | None = None
        self.setObjectName("checkoutScreen")
        root = QHBoxLayout(self)

        left = QVBoxLayout()
        self.scan = QLineEdit(self)
        self.scan.setObjectName("scanField")
        self.scan.setAccessibleName("scan or type a code")
        self.scan.setPlaceholderText(
            self.tr("Scan or type a barcode, member or coupon code, Enter")
        )
        self.scan.setMinimumHeight(TOUCH)
        self.scan.returnPressed.connect(self._scanned)
        left.addWidget(self.scan)

        headers = [
            "#",
            self.tr("Item"),
            self.tr("Qty"),
            self.tr("Unit price"),
            self.tr("Discount"),
            self.tr("Net"),
        ]
        self.table = QTableWidget(0, len(headers), self)
        self.table.setObjectName("basketTable")
        self.table.setAccessibleName("basket")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3, 4, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        left.addWidget(self.table, 3)

        self.savings = QListWidget(self)
        self.savings.setObjectName("savingsList")
        self.savings.setAccessibleName("why prices changed")
        self.savings.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.savings.setMaximumHeight(120)
        self.savings.setWordWrap(True)  # a reason is read whole, never scrolled sideways
        self.savings.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left.addWidget(self.savings, 1)

        self.nudge = QLabel(self)
        self.nudge.setObjectName("nudge")
        self.nudge.setAccessibleName("spend more to save")
        left.addWidget(self.nudge)

        totals = QGridLayout()
        self.subtotal = QLabel(self)
        self.discount = QLabel(self)
        self.payable = QLabel(self)
        self.payable.setObjectName("payable")
        self.payable.setAccessibleName("amount due")
        totals.addWidget(QLabel(self.tr("Subtotal"), self), 0, 0)
        totals.addWidget(self.subtotal, 0, 1)
        totals.addWidget(QLabel(self.tr("You save"), self), 0, 2)
        totals.addWidget(self.discount, 0, 3)
        totals.addWidget(QLabel(self.tr("To pay"), self), 1, 0)
        totals.addWidget(self.payable, 1, 1, 1, 3)
        self.change = QLabel(self)  # after a sale: the change to hand over, as big as the due
        self.change.setObjectName("changeDue")
        self.change.setAccessibleName("change to give")
        self.change.hide()  # takes no room from the basket while there is no change to give
        totals.addWidget(self.change, 2, 0, 1, 4)
        left.addLayout(totals)
        self.message = MessageBar(self)
        left.addWidget(self.message)
        root.addLayout(left, 3)

        right = QVBoxLayout()
        self.member = MemberPanel(self, tz=ctx.settings.tz)
        self.member.add_usual.connect(lambda sku: self._run(lambda co: co.add(sku)))
        right.addWidget(self.member, 2)
        grid = QGridLayout()
        self._buttons: dict[str, BigButton] = {}
        actions: list[tuple[str, str, str, Callable[[], None]]] = [
            ("member", self.tr("Member"), "F2", self.member_lookup_requested.emit),
            ("camera", self.tr("Camera"), "F3", self.camera_requested.emit),
            ("qty", self.tr("Quantity"), "F4", self.change_quantity),
            ("coupon", self.tr("Coupon"), "F5", self.ask_coupon),
            ("points", self.tr("Points / rewards"), "F6", self.ask_points),
            ("hold", self.tr("Hold / resume"), "F7", self.hold_or_resume),
            ("returns", self.tr("Returns"), "F8", lambda: self.returns_requested.emit("")),
            ("manager", self.tr("Manager"), "F9", self.manager_requested.emit),
            ("void", self.tr("Void line"), "Del", self.void_selected),
            ("cancel", self.tr("Cancel sale"), "", self.cancel_sale),
            ("topup", self.tr("Top up"), "F11", self.topup_requested.emit),
            ("help", self.tr("Help"), "F1", self.help_requested.emit),
            ("pay", self.tr("Pay"), "F12", self.pay_requested.emit),
        ]
        for i, (name, text, key, slot) in enumerate(actions):
            button = BigButton(text, key, self)
            button.setObjectName(f"button_{name}")
            button.clicked.connect(slot)
            self._buttons[name] = button
            if name == "pay":  # the last and biggest: a whole row
                grid.addWidget(button, grid.rowCount(), 0, 1, 3)
            else:
                grid.addWidget(button, i // 3, i % 3)
        right.addLayout(grid, 3)
        root.addLayout(right, 2)

        keys = {
            "F2": self.member_lookup_requested.emit,
            "F3": self.camera_requested.emit,
            "F4": self.change_quantity,
            "F5": self.ask_coupon,
            "F6": self.ask_points,
            "F7": self.hold_or_resume,
            "F8": lambda: self.returns_requested.emit(""),
            "F9": self.manager_requested.emit,
            "Del": self.void_selected,
            "F11": self.topup_requested.emit,
            "F12": self.pay_requested.emit,
            "F1": self.help_requested.emit,
        }
        for key, slot in keys.items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self._wedge = _ScanWedge(self.scan)
        self._wedge.void_requested.connect(self.void_selected)
        self.show_basket(None)

    # --- the wedge: printable keys go to the scan field ---------------------------------

    def install_wedge(self) -> None:
        """Let keys typed anywhere in this window reach the scan field (an application filter:
        key events go to the focused widget, which a filter on the window would not see)."""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._wedge)

    # --- running core calls ---------------------------------------------------------------

    def _run(
        self,
        call: Callable[[Any], PricedBasket],
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        co = self.ctx.checkout
        if co is None:
            return
        Op(self, lambda: self._after(co, call(co))).success(self._show).failure(
            failed or self._failed
        ).run()

    def _after(self, co: Any, priced: PricedBasket) -> tuple[PricedBasket, Nudge | None, Any]:
        """Work done on the store thread after each change: the nudge and the member panel."""
        return priced, co.nudge(), member_summary(co)

    def _show(self, result: tuple[PricedBasket, Nudge | None, MemberSummary | None]) -> None:
        priced, nudge, summary = result
        self.message.clear_message()
        self.show_basket(priced)
        self.nudge.setText(nudge.text() if nudge is not None else "")
        self.member.show_summary(summary)
        self.summary = summary
        if priced.limits:  # 限购 / 限量: which limit held a promotion back, and what is left
            self.message.info("；".join(note.text() for note in priced.limits))

    def _failed(self, exc: BaseException) -> None:
        self.message.error(error_text(exc))

    def refresh(self, message: str = "") -> None:
        """Show the basket as the core has it now (after a sale, a resume, a login, a top-up),
        then ``message`` on the message bar."""
        co = self.ctx.checkout
        if co is None:
            return

        def show(result: tuple[PricedBasket, Nudge | None, MemberSummary | None]) -> None:
            self._show(result)
            if message:
                self.message.info(message)

        Op(self, lambda: self._after(co, co.quote())).success(show).failure(self._failed).run()

    # --- showing --------------------------------------------------------------------------

    def show_basket(self, priced: PricedBasket | None) -> None:
        self.priced = priced
        self.basket_shown.emit(priced)
        lines = priced.lines if priced is not None else ()
        grew = len(lines) > self.table.rowCount()
        keep = self.table.currentRow()
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            name = line.product.name + (self.tr(" (gift)") if line.is_gift else "")
            if line.reward_id is not None:
                name += self.tr(" (reward, {points} points)").format(points=line.reward_points)
            qty = qty_text(line.qty, line.product.weighed)
            unit = yuan(line.unit_price) + ("/kg" if line.product.weighed else "")
            cells = [
                str(row + 1),
                name,
                qty,
                unit,
                yuan(line.gross - line.net) if line.gross != line.net else "",
                yuan(line.net),
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (0, 2, 3, 4, 5):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, column, item)
        if lines:  # the line just scanned, else the one the cashier had selected
            self.table.selectRow(len(lines) - 1 if grew or keep < 0 else min(keep, len(lines) - 1))
            current = self.table.item(self.table.currentRow(), 0)
            if current is not None:
                self.table.scrollToItem(current)
        self.change.setText("")
        self.change.hide()
        self.savings.clear()
        if priced is not None:
            self.savings.addItems(priced.explain())  # in the till's language
        self.subtotal.setText(yuan(priced.subtotal) if priced else yuan(0))
        self.discount.setText(yuan(priced.discount_total) if priced else yuan(0))
        self.payable.setText(yuan(priced.payable) if priced else yuan(0))

    def show_change(self, fen: int) -> None:
        """The change of the sale just paid, large, until the next basket is shown."""
        self.change.setText(self.tr("Change {change}").format(change=yuan(fen)) if fen else "")
        self.change.setVisible(fen > 0)

    def selected_line(self) -> int | None:
        row = self.table.currentRow()
        return row + 1 if row >= 0 and self.priced and row < len(self.priced.lines) else None

    # --- actions ----------------------------------------------------------------------------

    def _scanned(self) -> None:
        text = self.scan.text()
        self.scan.clear()
        if not text.strip():
            return
        if classify(text).kind == "receipt":
            self.returns_requested.emit(classify(text).value)
            return
        qty, code = 1, text
        if "*" in text:  # "3*code"; a member-app code holds "*" of its own (qty 1)
            try:
                qty, code = split_quantity(text)
            except Exception as exc:  # a bad quantity: the core's one-line refusal
                self._failed(exc)
                return
        if qty > 1:
            self._run(lambda co: co.add(code, qty))
        else:
            self._run(lambda co: co.scan(code), lambda exc: self._scan_failed(code, exc))

    def _scan_failed(self, code: str, exc: BaseException) -> None:
        """A product sold by weight scanned without its scale label: ask for the grams."""
        if getattr(exc, "code", None) != "weight_needed":
            self._failed(exc)
            return
        dialog = WeightDialog(code, error_text(exc), self)
        dialog.weighed.connect(lambda c, grams: self._run(lambda co: co.add_weighed(c, grams)))
        dialog.open()

    def scan_text(self, text: str) -> None:
        """What a camera read (or a test) hands in, as if typed and Enter."""
        self.scan.setText(text)
        self._scanned()

    def _approved(self, action: Callable[[Any, Any], PricedBasket]) -> None:
        co = self.ctx.checkout
        if co is None:
            return
        approved(
            self,
            self.ctx,
            lambda approver: self._after(co, action(co, approver)),
            self._show,
            self._failed,
        )

    def void_selected(self) -> None:
        number = self.selected_line()
        if number is None:
            self.message.error(self.tr("Select a line first"))
            return
        self._approved(lambda co, a: co.remove_line(co.line_id(number), a))

    def change_quantity(self) -> None:
        number = self.selected_line()
        if number is None:
            self.message.error(self.tr("Select a line first"))
            return
        assert self.priced is not None
        qty, ok = QInputDialog.getInt(
            self,
            self.tr("Quantity"),
            self.tr("New quantity:"),
            self.priced.lines[number - 1].qty,
            1,
            9999,
        )
        if ok:
            self._approved(lambda co, a: co.set_qty(co.line_id(number), qty, a))

    def ask_coupon(self) -> None:
        code, ok = QInputDialog.getText(self, self.tr("Coupon"), self.tr("Coupon code:"))
        if ok and code.strip():
            self._run(lambda co: co.apply_coupon(code.strip()))

    def ask_points(self) -> None:
        """F6: points as money, or a reward of the catalogue (积分兑换)."""
        co = self.ctx.checkout
        if co is None or co.member_no is None:
            self.message.error(self.tr("Identify the member first (F2 or F3)"))
            return
        dialog = PointsDialog(self.summary, self)
        dialog.use_points.connect(lambda points: self._run(lambda c: c.set_redeem_points(points)))
        dialog.redeem.connect(lambda reward: self._run(lambda c: c.add_reward(reward)))

        def catalogue() -> dict[str, Any]:
            with co.db.sessions() as session:
                return dict(co.rules.rewards(session))

        Op(dialog, catalogue).success(dialog.show_catalogue).failure(
            lambda exc: dialog.message.error(error_text(exc))
        ).run()
        dialog.open()

    def hold_or_resume(self) -> None:
        co = self.ctx.checkout
        if co is None:
            return
        if co.lines:
            label = self.tr("held at the till")
            Op(self, lambda: co.suspend(label)).success(self._held).failure(self._failed).run()
            return

        def resume_last() -> PricedBasket:
            held = co.suspended()
            if not held:
                raise StateError("no_suspended_basket")
            return co.resume(held[-1].id)

        self._run(lambda _co: resume_last())

    def _held(self, _suspended_id: str) -> None:
        self.show_basket(None)
        self.member.show_summary(None)
        self.message.info(self.tr("Sale held; F7 brings it back"))

    def cancel_sale(self) -> None:
        co = self.ctx.checkout
        if co is None or not co.lines:
            return

        def cancel(c: Any, approver: Any) -> PricedBasket:
            c.cancel(approver)
            return c.quote()

        self._approved(cancel)


class _ScanWedge(QObject):
    """Forwards printable keys typed outside any text field to the scan field.

    It also gives Del its till meaning (void the selected line) while the scan
    field is empty, since a line edit keeps Del for itself.
    """

    void_requested = Signal()

    def __init__(self, scan: QLineEdit) -> None:
        super().__init__(scan)
        self.scan = scan

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not self.scan.isVisible():
            return False
        focus = self.scan.window().focusWidget()
        if watched is not focus:  # only the first delivery, to a widget of this window
            return False
        assert isinstance(event, QKeyEvent)
        if focus is self.scan and event.key() == Qt.Key.Key_Delete and not self.scan.text():
            self.void_requested.emit()  # the line edit would swallow Del: nothing to delete
            return True
        if focus is self.scan or isinstance(focus, QLineEdit):
            return False
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.scan.text():
            self.scan.returnPressed.emit()
            return True
        text = event.text()
        if (
            text
            and text.isprintable()
            and not event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            self.scan.setFocus(Qt.FocusReason.OtherFocusReason)
            self.scan.insert(text)
            return True
        return False

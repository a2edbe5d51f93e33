"""Member value at the GUI till: points and rewards (F6), the weight of a by-weight product,
the member's payment PIN (typed to pay, or set after showing the app code), and
stored-value top-ups (F11) with their refunds.

Each dialog collects what the cashier or member types and hands it to one
core call (:class:`~terminal.checkout.Checkout`, :mod:`terminal.topups`) on
the store thread; the core decides (enough points, the weight range, the
PIN, the bonus, who may refund) and its refusal is shown as one line.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from terminal import topups
from terminal.errors import InvalidInput
from terminal.member_summary import MemberSummary
from terminal.money import parse_yuan
from terminal.pricing.topup import TopUpOffer
from terminal.stored_value import Balance
from ui.qt.approval import approved
from ui.qt.context import AppContext
from ui.qt.ops import Op
from ui.qt.widgets import TOUCH, FieldDialog, MessageBar, error_text, keypad_footer, yuan

if TYPE_CHECKING:
    from ui.qt.payment import PaymentDialog


def _pad_into(field: QLineEdit) -> Callable[[str], None]:
    """What a touch pad key does to ``field``."""

    def press(key: str) -> None:
        if key == "back":
            field.backspace()
        elif key == "clear":
            field.clear()
        else:
            field.insert(key)

    return press


def _field(parent: QWidget, name: str, accessible: str, *, secret: bool = False) -> QLineEdit:
    field = QLineEdit(parent)
    field.setObjectName(name)
    field.setAccessibleName(accessible)
    field.setMinimumHeight(TOUCH)
    if secret:
        field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class PointsDialog(FieldDialog):
    """F6: pay part of the bill with points, or redeem a reward of the catalogue (积分兑换).

    Digits and Enter in the points field set the points to use; Down (or Tab)
    reaches the rewards list, where Enter redeems the selected reward. The
    dialog closes and the checkout screen runs the core call, whose refusal
    (not enough points …) lands on its message bar.
    """

    use_points = Signal(int)
    redeem = Signal(str)  # reward id

    def __init__(self, summary: MemberSummary | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pointsDialog")
        self.setWindowTitle(self.tr("Points and rewards"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        hint = QLabel(self)
        if summary is not None:
            hint.setText(
                self.tr("Points {points}; this sale can take up to {most} points = {value}").format(
                    points=summary.panel.points_balance,
                    most=summary.redeemable_points,
                    value=yuan(summary.redeemable_value),
                )
            )
        hint.setObjectName("pointsHint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        self.points = _field(self, "pointsToUse", "points to pay with")
        self.points.setPlaceholderText(self.tr("points, then Enter (0 = none)"))
        self.points.returnPressed.connect(self._points_given)
        form.addRow(self.tr("Pay with points"), self.points)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Rewards for points (Enter redeems)"), self))
        self.rewards = QListWidget(self)
        self.rewards.setObjectName("rewardsList")
        self.rewards.setAccessibleName("rewards catalogue")
        self.rewards.itemActivated.connect(self._reward_chosen)
        layout.addWidget(self.rewards)
        self.message = MessageBar(self)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.redeem_button = QPushButton(self.tr("Redeem"), self)
        self.redeem_button.setObjectName("redeemReward")
        self.redeem_button.setMinimumHeight(TOUCH)
        self.redeem_button.clicked.connect(self._redeem_selected)
        buttons.addButton(self.redeem_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.points.installEventFilter(self)
        self.points.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_catalogue(self, catalogue: dict[str, Any]) -> None:
        self.rewards.clear()
        if not catalogue:
            self.message.info(self.tr("No rewards in the catalogue"))
        for reward in catalogue.values():
            money = getattr(reward, "money", 0)
            text = self.tr("{name}   {points} points").format(
                name=reward.name, points=reward.points
            )
            if money:
                text += f" + {yuan(money)}"
            item = QListWidgetItem(text, self.rewards)
            item.setData(Qt.ItemDataRole.UserRole, reward.id)
        if self.rewards.count():
            self.rewards.setCurrentRow(0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Down from the points field goes to the rewards list."""
        if (
            watched is self.points
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            self.rewards.setFocus(Qt.FocusReason.OtherFocusReason)
            return True
        return False

    def _points_given(self) -> None:
        text = self.points.text().strip() or "0"
        if not (text.isascii() and text.isdigit()):
            self.message.error(error_text(InvalidInput("bad_points")))
            return
        self.use_points.emit(int(text))
        self.accept()

    def _redeem_selected(self) -> None:
        item = self.rewards.currentItem()
        if item is not None:
            self._reward_chosen(item)

    def _reward_chosen(self, item: QListWidgetItem) -> None:
        self.redeem.emit(str(item.data(Qt.ItemDataRole.UserRole)))
        self.accept()


class WeightDialog(FieldDialog):
    """The grams of a product sold by weight that was scanned without its scale label."""

    weighed = Signal(str, int)  # code, grams

    def __init__(self, code: str, why: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.setObjectName("weightDialog")
        self.setWindowTitle(self.tr("Weight"))
        layout = QVBoxLayout(self)
        label = QLabel(why, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        form = QFormLayout()
        self.grams = _field(self, "weightGrams", "weight in grams")
        self.grams.setPlaceholderText(self.tr("grams off the scale, then Enter"))
        self.grams.returnPressed.connect(self._given)
        form.addRow(self.tr("Weight (g)"), self.grams)
        layout.addLayout(form)
        self.message = keypad_footer(
            self, layout, key=_pad_into(self.grams), submit=self._given, focus=self.grams
        )

    def _given(self) -> None:
        text = self.grams.text().strip()
        if not (text.isascii() and text.isdigit()):
            self.message.error(self.tr("Type the weight in grams, e.g. 532"))
            return
        self.weighed.emit(self.code, int(text))
        self.accept()


class MemberPinDialog(FieldDialog):
    """The member types their own payment PIN (支付密码); the core checks it."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("memberPinDialog")
        self.setWindowTitle(self.tr("Member payment PIN"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Customer: please type your 6-digit payment PIN"), self))
        self.pin = _field(self, "memberPin", "member payment PIN", secret=True)
        self.pin.setMaxLength(6)
        self.pin.returnPressed.connect(self._submit)
        layout.addWidget(self.pin)
        self.message = keypad_footer(
            self, layout, key=_pad_into(self.pin), submit=self._submit, focus=self.pin
        )

    def _submit(self) -> None:
        co = self.ctx.checkout
        pin = self.pin.text()
        self.pin.clear()
        if co is None:
            return
        Op(self, lambda: co.verify_payment_pin(pin)).success(lambda _r: self.accept()).failure(
            lambda exc: self.message.error(error_text(exc))
        ).run()


class SetPinDialog(FieldDialog):
    """The member sets a new payment PIN, twice; the core needs their app code shown first."""

    pin_set = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("setPinDialog")
        self.setWindowTitle(self.tr("New payment PIN"))
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Customer: choose a 6-digit payment PIN"), self))
        form = QFormLayout()
        self.first = _field(self, "newPin", "new payment PIN", secret=True)
        self.again = _field(self, "newPinAgain", "new payment PIN again", secret=True)
        for field in (self.first, self.again):
            field.setMaxLength(6)
        self.first.returnPressed.connect(lambda: self.again.setFocus())
        self.again.returnPressed.connect(self._submit)
        form.addRow(self.tr("PIN"), self.first)
        form.addRow(self.tr("Again"), self.again)
        layout.addLayout(form)

        def into_either(key: str) -> None:  # the first field until it holds 6 digits
            _pad_into(self.first if len(self.first.text()) < 6 else self.again)(key)

        self.message = keypad_footer(
            self, layout, key=into_either, submit=self._submit, focus=self.first
        )

    def _submit(self) -> None:
        co = self.ctx.checkout
        pin, again = self.first.text(), self.again.text()
        self.first.clear()
        self.again.clear()
        self.first.setFocus(Qt.FocusReason.OtherFocusReason)
        if pin != again:
            self.message.error(self.tr("The two PINs differ: type them again"))
            return
        if co is None:
            return
        Op(self, lambda: co.set_payment_pin(pin)).success(lambda _r: self._done()).failure(
            lambda exc: self.message.error(error_text(exc))
        ).run()

    def _done(self) -> None:
        self.pin_set.emit()
        self.accept()


class TopUpDialog(FieldDialog):
    """F11: top up the member's stored value (储值充值), or refund a top-up (managers).

    Top-up: the amount and Enter show the bonus the core offers (充500送50);
    Enter again takes the money in the payment dialog (never by balance), then
    the core records the top-up. Refund: the top-up's receipt number, an
    optional amount and a reason; the core asks for a manager's approval.
    """

    reported = Signal(str)  # what happened, for the checkout's message bar
    printed = Signal(str)  # sale id whose slip to print

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.offer: TopUpOffer | None = None
        self.offered_for: int | None = None
        self.setObjectName("topUpDialog")
        self.setWindowTitle(self.tr("Stored value"))
        self.setMinimumWidth(600)
        layout = QVBoxLayout(self)
        self.balance = QLabel(self)
        self.balance.setObjectName("topUpBalance")
        self.balance.setWordWrap(True)
        layout.addWidget(self.balance)

        top = QGroupBox(self.tr("Top up"), self)
        top_form = QFormLayout(top)
        self.amount = _field(top, "topUpAmount", "top-up amount in yuan")
        self.amount.setPlaceholderText(self.tr("amount, Enter shows the bonus"))
        self.amount.returnPressed.connect(self._amount_given)
        self.amount.textEdited.connect(self._amount_changed)
        top_form.addRow(self.tr("Amount (yuan)"), self.amount)
        self.bonus = QLabel(top)
        self.bonus.setObjectName("topUpBonus")
        self.bonus.setWordWrap(True)
        top_form.addRow(self.bonus)
        self.take = QPushButton(self.tr("Take the money"), top)
        self.take.setObjectName("topUpTake")
        self.take.setMinimumHeight(TOUCH)
        self.take.clicked.connect(self._amount_given)
        top_form.addRow(self.take)
        layout.addWidget(top)

        back = QGroupBox(self.tr("Refund a top-up (manager)"), self)
        back_form = QFormLayout(back)
        self.receipt = _field(back, "refundReceipt", "top-up receipt number")
        self.refund_amount = _field(back, "refundAmount", "refund amount in yuan")
        self.refund_amount.setPlaceholderText(self.tr("empty = all unspent principal"))
        self.reason = _field(back, "refundReason", "refund reason")
        self.reason.returnPressed.connect(self.refund)
        back_form.addRow(self.tr("Top-up receipt"), self.receipt)
        back_form.addRow(self.tr("Amount (yuan)"), self.refund_amount)
        back_form.addRow(self.tr("Reason"), self.reason)
        refund = QPushButton(self.tr("Refund"), back)
        refund.setObjectName("topUpRefund")
        refund.setMinimumHeight(TOUCH)
        refund.clicked.connect(self.refund)
        back_form.addRow(refund)
        layout.addWidget(back)

        self.message = MessageBar(self)
        layout.addWidget(self.message)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.rejected.connect(self.reject)
        self.set_pin = QPushButton(self.tr("Member sets a payment PIN…"), self)
        self.set_pin.setObjectName("setPayPin")
        self.set_pin.setMinimumHeight(TOUCH)
        self.set_pin.clicked.connect(self.ask_new_pin)
        close.addButton(self.set_pin, QDialogButtonBox.ButtonRole.ActionRole)
        layout.addWidget(close)
        self.setTabOrder(self.amount, self.receipt)
        self.setTabOrder(self.receipt, self.refund_amount)
        self.setTabOrder(self.refund_amount, self.reason)
        self.amount.setFocus(Qt.FocusReason.OtherFocusReason)
        self._show_balance()

    # --- top-up ---------------------------------------------------------------------------

    def _show_balance(self) -> None:
        co = self.ctx.checkout
        if co is None or co.member_no is None:
            self.balance.setText(self.tr("No member: identify the member to top up (F2 or F3)"))
            return
        member_no = co.member_no
        text = self.tr("Member {member}: balance {total} (paid {principal}, bonus {bonus})")

        def show(value: tuple[Balance, int] | None) -> None:
            if value is not None:
                held = value[0]
                self.balance.setText(
                    text.format(
                        member=member_no,
                        total=yuan(held.total),
                        principal=yuan(held.principal),
                        bonus=yuan(held.bonus),
                    )
                )

        Op(self, co.stored_value).success(show).run()

    def _typed(self, field: QLineEdit) -> int | None:
        text = field.text().strip()
        try:
            return parse_yuan(text)
        except ValueError:
            self.message.error(
                self.tr("The amount {text} is not valid, e.g. 500").format(text=text)
            )
            return None

    def _amount_changed(self, _text: str) -> None:
        self.offer, self.offered_for = None, None
        self.bonus.setText("")

    def _amount_given(self) -> None:
        amount = self._typed(self.amount)
        co = self.ctx.checkout
        if amount is None or co is None:
            return
        if co.member_no is None:
            self.message.error(self.tr("Identify the member first (F2 or F3)"))
            return
        if self.offer is not None and self.offered_for == amount:
            self._take_money(amount)
            return
        ctx, member_no = self.ctx, co.member_no

        def offer() -> TopUpOffer:
            return topups.offer(ctx.home.db, ctx.settings, member_no, amount, at=ctx.clock())

        Op(self, offer).success(lambda o: self._offered(amount, o)).failure(
            lambda exc: self.message.error(error_text(exc))
        ).run()

    def _offered(self, amount: int, offer: TopUpOffer) -> None:
        self.offer, self.offered_for = offer, amount
        self.message.clear_message()
        if offer.bonus:
            text = self.tr("{rule}: bonus {bonus}, the balance grows by {total}").format(
                rule=offer.label, bonus=yuan(offer.bonus), total=yuan(amount + offer.bonus)
            )
        else:
            text = self.tr("No bonus for {amount}").format(amount=yuan(amount))
        self.bonus.setText(text + self.tr("  — Enter takes the money"))

    def _take_money(self, amount: int) -> None:
        from ui.qt.payment import PaymentDialog

        pay = PaymentDialog(amount, self, balance=False)
        pay.setWindowTitle(self.tr("Top-up payment"))
        pay.paid.connect(lambda tenders: self._record(amount, tenders))
        pay.open()

    def _record(self, amount: int, tenders: list[Any]) -> None:
        ctx, co = self.ctx, self.ctx.checkout
        cashier = ctx.cashier
        if co is None or co.member_no is None or cashier is None:
            return
        member_no = co.member_no

        def top_up() -> topups.TopUpResult:
            return topups.top_up(
                ctx.home.db,
                ctx.settings,
                cashier,
                member_no=member_no,
                amount=amount,
                tenders=tenders,
                clock=ctx.clock,
                vault=ctx.vault,
            )

        Op(self, top_up).success(self._topped_up).failure(
            lambda exc: self.message.error(error_text(exc))
        ).run()

    def _topped_up(self, result: topups.TopUpResult) -> None:
        text = self.tr(
            "Topped up {principal}, bonus {bonus}. Receipt {receipt}. Change {change}. "
            "Balance {balance}"
        ).format(
            principal=yuan(result.principal),
            bonus=yuan(result.bonus),
            receipt=result.receipt_no,
            change=yuan(result.change),
            balance=yuan(result.balance.total),
        )
        self.printed.emit(result.sale_id)
        self.reported.emit(text)
        self.accept()

    def ask_new_pin(self) -> None:
        """The member (who showed their app code) sets the PIN that lets them pay by balance."""
        dialog = SetPinDialog(self.ctx, self)
        dialog.pin_set.connect(lambda: self.message.info(self.tr("Payment PIN set")))
        dialog.open()

    # --- refund of a top-up ---------------------------------------------------------------

    def refund(self) -> None:
        ctx, cashier = self.ctx, self.ctx.cashier
        receipt, reason = self.receipt.text().strip(), self.reason.text()
        if cashier is None or not receipt:
            self.message.error(self.tr("Type the top-up's receipt number"))
            return
        amount: int | None = None
        if self.refund_amount.text().strip():
            amount = self._typed(self.refund_amount)
            if amount is None:
                return

        def act(approver: Any) -> topups.TopUpRefund:
            return topups.refund_topup(
                ctx.home.db,
                ctx.settings,
                cashier,
                receipt_no=receipt,
                reason=reason,
                amount=amount,
                approver=approver,
                clock=ctx.clock,
                vault=ctx.vault,
            )

        approved(self, ctx, act, self._refunded, lambda exc: self.message.error(error_text(exc)))

    def _refunded(self, result: topups.TopUpRefund) -> None:
        done = self.tr("Top-up refund {receipt}: {principal} back, bonus {bonus} taken back")
        text = done.format(
            receipt=result.receipt_no,
            principal=yuan(result.principal),
            bonus=yuan(result.bonus_taken_back),
        )
        self.printed.emit(result.refund_id)
        self.reported.emit(text)
        self.accept()


def pay_by_balance(dialog: PaymentDialog, ctx: AppContext, amount: int) -> None:
    """Add a stored-value tender to ``dialog`` once the core allows it.

    A member on the sale by card (no app code) types their payment PIN
    first; then the core checks the amount against the balance, or offline
    against what may be spent, and its refusal shows in the payment dialog.
    """
    co = ctx.checkout
    if co is None:
        return

    def check() -> None:
        Op(dialog, lambda: co.check_stored_value(amount)).success(
            lambda _r: dialog.add("stored_value", amount)
        ).failure(lambda exc: dialog.message.error(error_text(exc))).run()

    if co.member_id is not None and co.member_auth is None:
        pin = MemberPinDialog(ctx, dialog)
        pin.accepted.connect(check)
        pin.open()
        return
    check()

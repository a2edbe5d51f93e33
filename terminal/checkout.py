"""Ringing up a sale: the basket at the till, tenders, and the commit.

A :class:`Checkout` holds one basket in memory while the cashier works on it;
every change re-prices it through the pure :func:`terminal.pricing.price` and
returns the :class:`PricedBasket` the screen shows. :meth:`Checkout.pay`
writes the whole sale in ONE SQLite transaction (sale, lines, adjustments,
payments, points ledger rows, coupon redemptions, audit event, outbox row,
receipt number) and only then returns, so a receipt is printed for a sale that
is already safe on disk.

Permissions are checked here, in the core: a button hidden in the GUI is a
convenience, not the control.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from terminal import audit, ledger, membercodes, outbox, print_jobs
from terminal.auth import Actor, Permission, authorize
from terminal.catalogue import find_product, product_info
from terminal.classifier import classify
from terminal.errors import InvalidInput, NotFound, StateError
from terminal.members import birthday_month, find_member, member_info
from terminal.money import allocate, format_yuan
from terminal.pii import MemberVault
from terminal.pricing.engine import price
from terminal.pricing.model import (
    Basket,
    BasketLine,
    MemberInfo,
    PricedBasket,
    PricingConfig,
    ProductInfo,
)
from terminal.rules_store import RuleCache
from terminal.shifts import require_open_shift
from terminal.store.database import Database
from terminal.store.models import (
    Coupon,
    CouponRedemption,
    Member,
    Payment,
    Product,
    Sale,
    SaleAdjustment,
    SaleLine,
    SuspendedBasket,
    Terminal,
)
from terminal.store.types import new_id

if TYPE_CHECKING:
    from terminal.config import TerminalConfig

METHODS = ("cash", "card", "wechat", "alipay")
NEEDS_REFERENCE = ("wechat", "alipay")
MAX_QTY = 9999


@dataclass(frozen=True)
class CheckoutSettings:
    """What the checkout needs to know about this till, taken from the config."""

    terminal_id: str
    receipt_prefix: str
    tz: ZoneInfo
    pricing: PricingConfig = field(default_factory=PricingConfig)
    business_day_start: time = time(0, 0)
    points_expiry: str = "end_of_next_year"
    offline_redeem_limit: int = 20_000
    receipt_footer: str = ""

    @classmethod
    def from_config(cls, config: TerminalConfig, terminal_id: str) -> CheckoutSettings:
        """The settings of this till as its config file states them."""
        return cls(
            terminal_id=terminal_id,
            receipt_prefix=f"{config.store.code}{config.terminal.code}-",
            tz=ZoneInfo(config.store.timezone),
            pricing=PricingConfig(
                points_per_yuan=config.pricing.points_per_yuan,
                redeem_cap_bp=config.pricing.redeem_cap_bp,
                rounding=config.pricing.rounding,
            ),
            business_day_start=config.store.day_start,
            points_expiry=config.points.expiry,
            offline_redeem_limit=config.points.offline_redeem_limit,
            receipt_footer=config.receipt.footer,
        )

    def business_day(self, at: datetime) -> date:
        """The store's business day of an instant (a day may start after midnight)."""
        local = at.astimezone(self.tz)
        start = timedelta(
            hours=self.business_day_start.hour, minutes=self.business_day_start.minute
        )
        return (local - start).date()


@dataclass
class CartLine:
    """A line of the basket as the cashier built it (before pricing)."""

    line_id: str
    product: ProductInfo
    qty: int
    scanned: str = ""
    override_price: int | None = None
    override_reason: str = ""
    manual_discount: int = 0
    manual_reason: str = ""


@dataclass(frozen=True)
class Tender:
    """One way the customer pays: ``amount`` is what was handed over (cash) or charged."""

    method: str
    amount: int
    reference: str = ""


@dataclass(frozen=True)
class SaleResult:
    sale_id: str
    receipt_no: str
    payable: int
    change: int
    points_earned: int
    points_balance: int | None
    priced: PricedBasket


def take_receipt_number(session: Session, settings: CheckoutSettings) -> tuple[int, str]:
    """Take the next receipt number inside the caller's transaction.

    The counter lives on the terminal row and moves in the same transaction as
    the sale, so numbers are unique and gap-free: a rolled-back sale gives its
    number back.
    """
    seq = session.scalar(
        update(Terminal)
        .where(Terminal.id == settings.terminal_id)
        .values(next_receipt_seq=Terminal.next_receipt_seq + 1)
        .returning(Terminal.next_receipt_seq)
    )
    if seq is None:
        raise StateError("本机未登记 / this terminal is not registered")
    return seq - 1, f"{settings.receipt_prefix}{seq - 1:08d}"


def check_tenders(payable: int, tenders: Sequence[Tender]) -> int:
    """Validate tenders against the payable amount; return the change due (cash only).

    Non-cash tenders can never exceed what is payable (a card is charged
    exactly), and change comes only out of cash.
    """
    for t in tenders:
        if t.method not in METHODS:
            raise InvalidInput(f"不支持的支付方式 {t.method} / unknown tender")
        if t.amount <= 0:
            raise InvalidInput("支付金额必须大于零 / tender amount must be positive")
        if t.method in NEEDS_REFERENCE and not t.reference.strip():
            raise InvalidInput("请录入支付流水号 / the payment reference is required")
    non_cash = sum(t.amount for t in tenders if t.method != "cash")
    cash = sum(t.amount for t in tenders if t.method == "cash")
    if non_cash > payable:
        raise InvalidInput(
            f"非现金支付 {format_yuan(non_cash)} 超过应付 {format_yuan(payable)} / "
            "non-cash tenders exceed the amount due",
            code="over_tender",
        )
    if non_cash + cash < payable:
        raise InvalidInput(
            f"还差 {format_yuan(payable - non_cash - cash)} 元 / "
            "tenders do not cover the amount due",
            code="under_tender",
        )
    return non_cash + cash - payable


class Checkout:
    """One till's basket and the operations a cashier performs on it."""

    def __init__(
        self,
        db: Database,
        settings: CheckoutSettings,
        cashier: Actor,
        *,
        clock: Callable[[], datetime] | None = None,
        rules: RuleCache | None = None,
        hq_reachable: Callable[[], bool] = lambda: False,
        vault: MemberVault | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.cashier = cashier
        self.clock = clock or (lambda: datetime.now(UTC))
        self.rules = rules or RuleCache()
        self.hq_reachable = hq_reachable
        self.vault = vault
        self.lines: list[CartLine] = []
        self.member_id: str | None = None
        self.member_no: str | None = None
        self.coupon_codes: list[str] = []
        self.redeem_points = 0
        self._priced: PricedBasket | None = None
        self._member: MemberInfo | None = None

    # --- reading ----------------------------------------------------------------------

    @property
    def today(self) -> date:
        return self.settings.business_day(self.clock())

    def _member_info(self, session: Session, *, fresh: bool = False) -> MemberInfo | None:
        """The attached member as pricing sees it.

        Read once when the member is attached and kept while the basket is
        built (re-reading the points ledger on every scan would double the cost
        of a scan); :meth:`pay` asks for a ``fresh`` copy inside its transaction,
        so a balance spent meanwhile at another till is never over-redeemed.
        """
        if self.member_id is None:
            return None
        if fresh or self._member is None:
            member = session.get(Member, self.member_id)
            if member is None:
                raise NotFound("会员不存在 / member not found", code="unknown_member")
            month = birthday_month(self.vault, member) if self.vault is not None else None
            self._member = member_info(session, member, self.today, month)
        return self._member

    def _basket(self) -> Basket:
        return Basket(
            lines=tuple(
                BasketLine(
                    line_id=line.line_id,
                    product=line.product,
                    qty=line.qty,
                    override_price=line.override_price,
                    manual_discount=line.manual_discount,
                    manual_reason=line.manual_reason,
                )
                for line in self.lines
            ),
            coupon_codes=tuple(self.coupon_codes),
            redeem_points=self.redeem_points,
        )

    def _price_in(self, session: Session, *, fresh: bool = False) -> PricedBasket:
        member = self._member_info(session, fresh=fresh)
        rules = self.rules.ruleset(session, self.coupon_codes)
        return price(self._basket(), member, rules, self.clock(), self.settings.pricing)

    def quote(self) -> PricedBasket:
        """Price the basket as it stands (no write)."""
        with self.db.sessions() as session:
            self._priced = self._price_in(session)
        return self._priced

    @property
    def priced(self) -> PricedBasket:
        return self._priced if self._priced is not None else self.quote()

    def _line(self, line_id: str) -> CartLine:
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise NotFound("该行不存在 / no such line", code="no_line")

    def _approve(
        self, perm: Permission, approver: Actor | None, action: str, **details: Any
    ) -> None:
        """Check ``perm`` (the cashier's own, or the approver's) and audit the action.

        The audit row names the supervisor only when their authority was used.
        """
        who = authorize(self.cashier, perm, approver)
        with self.db.transaction() as session:
            audit.record(
                session,
                action,
                user_id=self.cashier.user_id,
                terminal_id=self.settings.terminal_id,
                approved_by=who.user_id if who is not self.cashier else None,
                **details,
            )

    # --- basket operations ------------------------------------------------------------

    def add(self, code: str, qty: int = 1) -> PricedBasket:
        """Add a product by barcode or SKU; an unknown code adds nothing and says so."""
        authorize(self.cashier, Permission.SELL)
        if not 1 <= qty <= MAX_QTY:
            raise InvalidInput(f"数量必须在 1 到 {MAX_QTY} 之间 / quantity out of range")
        with self.db.sessions() as session:
            product = find_product(session, code)
            info = product_info(product)
            last = self.lines[-1] if self.lines else None
            if (
                last is not None
                and last.product.product_id == info.product_id
                and last.override_price is None
                and last.manual_discount == 0
            ):
                if last.qty + qty > MAX_QTY:
                    raise InvalidInput(f"数量不能超过 {MAX_QTY} / quantity out of range")
                last.qty += qty
            else:
                self.lines.append(CartLine(new_id(), info, qty, scanned=code.strip()))
            self._priced = self._price_in(session)
        return self._priced

    def set_qty(self, line_id: str, qty: int, approver: Actor | None = None) -> PricedBasket:
        """Change a line's quantity; lowering it is a void and needs that permission."""
        line = self._line(line_id)
        if not 1 <= qty <= MAX_QTY:
            raise InvalidInput(f"数量必须在 1 到 {MAX_QTY} 之间 / quantity out of range")
        if qty < line.qty:
            self._approve(
                Permission.VOID_LINE,
                approver,
                "void_qty",
                sku=line.product.sku,
                before=line.qty,
                after=qty,
            )
        line.qty = qty
        return self.quote()

    def remove_line(self, line_id: str, approver: Actor | None = None) -> PricedBasket:
        """Void a line (needs VOID_LINE, from the cashier or a supervisor's override)."""
        line = self._line(line_id)
        self._approve(
            Permission.VOID_LINE, approver, "void_line", sku=line.product.sku, qty=line.qty
        )
        self.lines.remove(line)
        return self.quote()

    def override_price(
        self, line_id: str, unit_price: int, reason: str, approver: Actor | None = None
    ) -> PricedBasket:
        """Set a line's unit price by hand (permission-checked, reason required)."""
        line = self._line(line_id)
        if unit_price < 0:
            raise InvalidInput("价格不能为负 / price cannot be negative")
        if not reason.strip():
            raise InvalidInput("改价必须填写原因 / a reason is required", code="reason_required")
        self._approve(
            Permission.PRICE_OVERRIDE,
            approver,
            "price_override",
            sku=line.product.sku,
            old=line.product.price,
            new=unit_price,
            reason=reason,
        )
        line.override_price = unit_price
        line.override_reason = reason.strip()
        return self.quote()

    def discount_line(
        self, line_id: str, amount: int, reason: str, approver: Actor | None = None
    ) -> PricedBasket:
        """Take ``amount`` fen off a line by hand (permission-checked, reason required)."""
        line = self._line(line_id)
        if amount < 0:
            raise InvalidInput("折让金额不能为负 / discount cannot be negative")
        if (
            amount
            > (line.override_price if line.override_price is not None else line.product.price)
            * line.qty
        ):
            raise InvalidInput("折让超过商品金额 / discount exceeds the line amount")
        if not reason.strip():
            raise InvalidInput("折让必须填写原因 / a reason is required", code="reason_required")
        self._approve(
            Permission.MANUAL_DISCOUNT,
            approver,
            "manual_discount",
            sku=line.product.sku,
            amount=amount,
            reason=reason,
        )
        line.manual_discount = amount
        line.manual_reason = reason.strip()
        return self.quote()

    def scan(self, text: str) -> PricedBasket:
        """Whatever the scanner or keyboard produced: product, member code or coupon.

        One classifier (:func:`terminal.classifier.classify`) decides what the text
        is; a receipt number is refused with a pointer to returns.
        """
        scanned = classify(text)
        if scanned.kind in ("member_static", "member_dynamic"):
            return self.identify(scanned.value)
        if scanned.kind == "coupon":
            return self.apply_coupon(scanned.value)
        if scanned.kind == "receipt":
            raise InvalidInput(
                f"{scanned.value} 是小票号，退货请用退货功能 / a receipt number: use returns",
                code="receipt_scanned",
            )
        return self.add(scanned.value or text)

    def identify(self, code: str) -> PricedBasket:
        """Attach the member a card or app code names, after verifying it offline.

        A second read of the code of the member already on the sale (scanners
        often read twice) is not a replay: it changes nothing.
        """
        parsed = membercodes.parse(code)
        if self.member_no is not None and parsed.member_no == self.member_no:
            return self.priced
        verified = membercodes.accept(
            self.db, code, self.clock(), terminal_id=self.settings.terminal_id
        )
        return self.attach_member(verified.member_no)

    def attach_member(self, member_no: str) -> PricedBasket:
        with self.db.sessions() as session:
            member = find_member(session, member_no)
            self.member_id, self.member_no = member.id, member.member_no
            self._member = None
            self._priced = self._price_in(session)
        return self._priced

    def detach_member(self) -> PricedBasket:
        self.member_id = self.member_no = None
        self._member = None
        self.redeem_points = 0
        return self.quote()

    def apply_coupon(self, code: str) -> PricedBasket:
        """Add a coupon code. A coupon that cannot apply *yet* (minimum spend) stays
        on the basket with its reason shown; an unknown or used one is refused."""
        code = code.strip()
        if code in self.coupon_codes:
            raise InvalidInput("该券已添加 / coupon already added", code="duplicate_coupon")
        self.coupon_codes.append(code)
        priced = self.quote()
        result = next(c for c in priced.coupons if c.code == code)
        if not result.applied and result.reason in (
            "unknown",
            "already_used",
            "expired",
            "wrong_member",
            "member_only",
        ):
            self.coupon_codes.remove(code)
            self.quote()
            raise InvalidInput(result.message, code=f"coupon_{result.reason}")
        return priced

    def remove_coupon(self, code: str) -> PricedBasket:
        if code not in self.coupon_codes:
            raise NotFound("该券不在本单 / coupon is not on this sale")
        self.coupon_codes.remove(code)
        return self.quote()

    def set_redeem_points(self, points: int) -> PricedBasket:
        """Ask to pay ``points`` with points (the engine caps it by balance and share)."""
        if points < 0:
            raise InvalidInput("积分数不能为负 / points cannot be negative")
        if points and self.member_id is None:
            raise StateError("请先识别会员 / identify the member first", code="no_member")
        if not self.hq_reachable() and points > self.settings.offline_redeem_limit:
            raise StateError(
                f"离线状态下每单最多使用 {self.settings.offline_redeem_limit} 积分 / "
                "offline redemption limit",
                code="offline_limit",
            )
        self.redeem_points = points
        return self.quote()

    def clear(self) -> None:
        self.lines.clear()
        self.member_id = self.member_no = None
        self._member = None
        self.coupon_codes.clear()
        self.redeem_points = 0
        self._priced = None

    # --- suspend / resume -------------------------------------------------------------

    def suspend(self, label: str = "") -> str:
        """Park the basket (e.g. the customer forgot something) and start an empty one."""
        if not self.lines:
            raise StateError("空单不能挂起 / nothing to suspend")
        payload = {
            "lines": [
                {
                    "sku": line.product.sku,
                    "qty": line.qty,
                    "scanned": line.scanned,
                    "override_price": line.override_price,
                    "override_reason": line.override_reason,
                    "manual_discount": line.manual_discount,
                    "manual_reason": line.manual_reason,
                }
                for line in self.lines
            ],
            "member_no": self.member_no,
            "coupons": self.coupon_codes,
            "redeem_points": self.redeem_points,
        }
        row = SuspendedBasket(
            terminal_id=self.settings.terminal_id,
            user_id=self.cashier.user_id,
            label=label,
            payload=payload,
        )
        with self.db.transaction() as session:
            session.add(row)
            audit.record(
                session,
                "suspend",
                user_id=self.cashier.user_id,
                terminal_id=self.settings.terminal_id,
                target=row.id,
            )
        self.clear()
        return row.id

    def suspended(self) -> list[SuspendedBasket]:
        with self.db.sessions() as session:
            return list(
                session.scalars(
                    select(SuspendedBasket)
                    .where(SuspendedBasket.terminal_id == self.settings.terminal_id)
                    .order_by(SuspendedBasket.created_at)
                )
            )

    def resume(self, suspended_id: str) -> PricedBasket:
        """Bring a parked basket back, re-priced at today's prices."""
        if self.lines:
            raise StateError("请先完成或挂起当前单 / finish or suspend the current sale first")
        with self.db.transaction() as session:
            row = session.get(SuspendedBasket, suspended_id)
            if row is None or row.terminal_id != self.settings.terminal_id:
                raise NotFound("挂单不存在 / no such suspended sale")
            payload = row.payload
            lines = []
            for item in payload["lines"]:
                product = session.scalar(select(Product).where(Product.sku == item["sku"]))
                if product is None or not product.active:
                    raise NotFound(f"商品 {item['sku']} 已停售 / product no longer sold")
                lines.append(
                    CartLine(
                        new_id(),
                        product_info(product),
                        item["qty"],
                        scanned=item["scanned"],
                        override_price=item["override_price"],
                        override_reason=item["override_reason"],
                        manual_discount=item["manual_discount"],
                        manual_reason=item["manual_reason"],
                    )
                )
            session.delete(row)
        self.lines = lines
        if payload["member_no"]:
            self.attach_member(payload["member_no"])
        self.coupon_codes = list(payload["coupons"])
        self.redeem_points = payload["redeem_points"]
        return self.quote()

    # --- paying -----------------------------------------------------------------------

    def pay(self, tenders: Sequence[Tender], *, expected_payable: int | None = None) -> SaleResult:
        """Commit the sale in one transaction and start an empty basket.

        The basket is re-priced inside the transaction (coupon status and points
        balance as they are now); if that changes the amount the customer was
        shown (``expected_payable``), nothing is written and the cashier is told.
        """
        authorize(self.cashier, Permission.SELL)
        if not self.lines:
            raise StateError("购物车为空 / the basket is empty", code="empty_basket")
        now = self.clock()
        with self.db.transaction() as session:
            shift = require_open_shift(session, self.settings.terminal_id)
            priced = self._price_in(session, fresh=True)
            if expected_payable is not None and priced.payable != expected_payable:
                raise StateError(
                    f"应付金额已变为 {format_yuan(priced.payable)}，请重新确认 / "
                    "the amount due changed",
                    code="payable_changed",
                )
            refused_now = [
                c
                for c in priced.coupons
                if c.code in self.coupon_codes
                and not c.applied
                and c.reason in ("already_used", "unknown")
            ]
            if refused_now:
                raise StateError(refused_now[0].message, code="coupon_" + refused_now[0].reason)
            change = check_tenders(priced.payable, tenders)
            sale = self._write_sale(session, priced, tenders, change, shift.id, now)
            # the receipt is queued with the sale: it exists exactly when the sale does,
            # and a printer that is off only leaves the job waiting for reprint
            print_jobs.enqueue_sale(session, sale.id, now=now, **self.receipt_options())
            result = SaleResult(
                sale_id=sale.id,
                receipt_no=sale.receipt_no,
                payable=priced.payable,
                change=change,
                points_earned=priced.points_earned,
                points_balance=(
                    self._member.points_balance - priced.points_redeemed + priced.points_earned
                    if self._member is not None
                    else None
                ),
                priced=priced,
            )
        self.clear()
        return result

    def receipt_options(self) -> dict[str, Any]:
        """What the receipt document needs beyond the sale: footer and the member's phone."""
        options: dict[str, Any] = {"vault": self.vault}
        if self.settings.receipt_footer:
            options["footer"] = self.settings.receipt_footer
        return options

    def _write_sale(
        self,
        session: Session,
        priced: PricedBasket,
        tenders: Sequence[Tender],
        change: int,
        shift_id: str,
        now: datetime,
    ) -> Sale:
        seq, receipt_no = take_receipt_number(session, self.settings)
        business_day = self.settings.business_day(now)
        member = session.get(Member, self.member_id) if self.member_id else None
        earning = [
            line.paid if (line.product.earns_points and not line.is_gift) else 0
            for line in priced.lines
        ]
        earned_per_line = allocate(priced.points_earned, earning) if priced.lines else []
        redeemed_per_line = allocate(
            priced.points_redeemed, [line.points_value for line in priced.lines]
        )
        overrides = {line.line_id: line.override_reason for line in self.lines}
        sale = Sale(
            receipt_no=receipt_no,
            seq=seq,
            kind="sale",
            terminal_id=self.settings.terminal_id,
            shift_id=shift_id,
            cashier_id=self.cashier.user_id,
            member_id=self.member_id,
            tier_code=member.tier_code if member else None,
            subtotal=priced.subtotal,
            discount_total=priced.discount_total,
            points_redeemed=priced.points_redeemed,
            points_value=priced.points_value,
            rounding=priced.rounding,
            payable=priced.payable,
            points_earned=priced.points_earned,
            change_given=change,
            created_at=now,
            tz=self.settings.tz.key,
            business_day=business_day,
            explanation=list(priced.explanation),
        )
        for i, (line, earned, redeemed) in enumerate(
            zip(priced.lines, earned_per_line, redeemed_per_line, strict=True), start=1
        ):
            sale.lines.append(
                SaleLine(
                    line_no=i,
                    product_id=line.product.product_id,
                    sku=line.product.sku,
                    name=line.product.name,
                    qty=line.qty,
                    unit_price=line.unit_price,
                    gross=line.gross,
                    discount=line.gross - line.net - line.points_value,
                    points_value=line.points_value,
                    points_redeemed=redeemed,
                    net=line.net,
                    paid=line.paid,
                    points_earned=earned,
                    is_gift=line.is_gift,
                    override_reason=overrides.get(line.line_id, ""),
                )
            )
        line_nos = {line.line_id: i for i, line in enumerate(priced.lines, start=1)}
        for adj in priced.adjustments:
            sale.adjustments.append(
                SaleAdjustment(
                    rule_id=adj.rule_id,
                    step=adj.step,
                    label=adj.label,
                    amount=adj.amount,
                    line_no=line_nos.get(adj.line_ids[0]) if len(adj.line_ids) == 1 else None,
                )
            )
        left = change  # change comes out of the cash tenders, one after another
        for t in tenders:
            kept = t.amount
            if t.method == "cash":
                back = min(left, t.amount)
                kept, left = t.amount - back, left - back
            sale.payments.append(
                Payment(method=t.method, amount=kept, tendered=t.amount, reference=t.reference)
            )
        session.add(sale)
        session.flush()
        coupons_used: list[dict[str, Any]] = []
        for result in priced.coupons:
            if not result.applied:
                continue
            taken = session.execute(
                update(Coupon)
                .where(Coupon.code == result.code, Coupon.status == "issued")
                .values(status="redeemed")
            )
            if taken.rowcount != 1:
                raise StateError(
                    f"券 {result.code} 已被使用 / coupon already used", code="coupon_already_used"
                )
            session.add(
                CouponRedemption(
                    coupon_code=result.code, sale_id=sale.id, kind="redeem", amount=result.amount
                )
            )
            coupons_used.append({"code": result.code, "amount": result.amount})
        points_rows: list[dict[str, Any]] = []
        if member is not None:
            for entry in ledger.redeem(
                session,
                member.id,
                priced.points_redeemed,
                business_day,
                sale_id=sale.id,
                reason=receipt_no,
            ):
                points_rows.append(
                    {
                        "id": entry.id,
                        "kind": "redeem",
                        "points": entry.points,
                        "lot_id": entry.lot_id,
                    }
                )
            lot = ledger.earn(
                session,
                member.id,
                priced.points_earned,
                expires_on=ledger.expiry_for(business_day, self.settings.points_expiry),
                sale_id=sale.id,
                reason=receipt_no,
            )
            if lot is not None:
                points_rows.append(
                    {
                        "id": lot.id,
                        "kind": "earn",
                        "points": lot.points,
                        "expires_on": lot.expires_on.isoformat() if lot.expires_on else None,
                    }
                )
        audit.record(
            session,
            "sale",
            user_id=self.cashier.user_id,
            terminal_id=self.settings.terminal_id,
            target=receipt_no,
            payable=priced.payable,
            lines=len(priced.lines),
        )
        outbox.enqueue(
            session,
            "sale",
            sale.id,
            sale_payload(sale, coupons_used, points_rows, member.member_no if member else None),
        )
        return sale


def sale_payload(
    sale: Sale,
    coupons: list[dict[str, Any]],
    points: list[dict[str, Any]],
    member_no: str | None,
) -> dict[str, Any]:
    """The record of a sale or return as HQ receives it (ids made here, amounts in fen)."""
    return {
        "id": sale.id,
        "receipt_no": sale.receipt_no,
        "seq": sale.seq,
        "kind": sale.kind,
        "original_sale_id": sale.original_sale_id,
        "terminal_id": sale.terminal_id,
        "shift_id": sale.shift_id,
        "cashier_id": sale.cashier_id,
        "approved_by": sale.approved_by,
        "member_id": sale.member_id,
        "member_no": member_no,
        "created_at": sale.created_at.isoformat(),
        "tz": sale.tz,
        "business_day": sale.business_day.isoformat(),
        "subtotal": sale.subtotal,
        "discount_total": sale.discount_total,
        "points_redeemed": sale.points_redeemed,
        "points_value": sale.points_value,
        "rounding": sale.rounding,
        "payable": sale.payable,
        "points_earned": sale.points_earned,
        "lines": [
            {
                "id": line.id,
                "line_no": line.line_no,
                "sku": line.sku,
                "qty": line.qty,
                "unit_price": line.unit_price,
                "gross": line.gross,
                "discount": line.discount,
                "points_value": line.points_value,
                "net": line.net,
                "paid": line.paid,
                "points_earned": line.points_earned,
                "points_redeemed": line.points_redeemed,
                "is_gift": line.is_gift,
                "returned_line_id": line.returned_line_id,
            }
            for line in sale.lines
        ],
        "payments": [
            {"id": p.id, "method": p.method, "amount": p.amount, "reference": p.reference}
            for p in sale.payments
        ],
        "adjustments": [
            {"rule_id": a.rule_id, "step": a.step, "label": a.label, "amount": a.amount}
            for a in sale.adjustments
        ],
        "coupons": coupons,
        "points": points,
    }

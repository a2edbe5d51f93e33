"""Ringing up a sale: the basket at the till and the commit.

A :class:`Checkout` holds one basket in memory while the cashier works on it;
every change re-prices it through the pure :func:`terminal.pricing.price` and
returns the :class:`PricedBasket` the screen shows. :meth:`Checkout.pay`
writes the whole sale in ONE SQLite transaction (sale, lines, adjustments,
payments, points ledger rows, coupon redemptions, audit event, outbox row,
receipt number and receipt job, see :mod:`terminal.sale_writer`) and only then
returns, so a receipt is printed for a sale that is already safe on disk.

Every rule lives here, not in a front end: each operation validates what was
asked first and checks the permission second, so a supervisor is never asked
to approve a request that is then refused. A refusal for a missing permission
is a :class:`~terminal.auth.NeedsApproval`; the front end may ask for an
approval and call again with ``approver=``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal import (
    audit,
    events,
    issued_coupons,
    ledger,
    membercodes,
    members,
    offline_policy,
    promotion_use,
    stored_value,
    suspended,
)
from terminal.auth import Actor, Permission, authorize, authorize_role
from terminal.catalogue import check_grams, find_product, find_scanned, product_info
from terminal.checkout_settings import CheckoutSettings
from terminal.classifier import COUPON_PATTERN, classify
from terminal.errors import InvalidInput, NotFound, StateError
from terminal.money import MAX_AMOUNT, format_yuan
from terminal.nudge import Nudge, nearest
from terminal.pii import MemberVault
from terminal.pricing.engine import price
from terminal.pricing.model import (
    Basket,
    BasketLine,
    MemberInfo,
    PricedBasket,
    ProductInfo,
    RuleUsage,
)
from terminal.pricing.rules import ProductReward
from terminal.records import (
    CouponUseRecord,
    IssuedCouponRecord,
    PointsRecord,
    StoredValueRow,
    TaxRecord,
)
from terminal.rules_store import RuleCache
from terminal.sale_writer import SaleExtras, finish, insert_sale, priced_rows, sale_head
from terminal.shifts import open_shift_id
from terminal.store.database import Database
from terminal.store.direct import fetch, insert_rows
from terminal.store.models import (
    CouponRedemption,
    Member,
    Product,
    Sale,
    SuspendedBasket,
)
from terminal.store.types import new_id, stored_utc, utcnow
from terminal.tenders import Tender, check_tenders

MAX_QTY = 9999

# Coupons refused outright when added (anything else, e.g. a minimum spend not
# yet reached, stays on the basket with its reason shown).
_REFUSED_COUPON_REASONS = ("unknown", "already_used", "expired", "wrong_member", "member_only")

# On the driver (one per coupon a sale uses): a coupon is taken only while still issued.
_TAKE_COUPON = (
    "UPDATE coupon SET status = 'redeemed', updated_at = ? "
    "WHERE code = ? AND status = 'issued' RETURNING code"
)


@dataclass
class CartLine:
    """A line of the basket as the cashier built it (before pricing).

    ``qty`` is grams for a product sold by weight; ``label_amount`` the price a
    scale label printed; ``reward_id`` makes it a reward paid with points.
    """

    line_id: str
    product: ProductInfo
    qty: int
    scanned: str = ""
    override_price: int | None = None
    override_reason: str = ""
    manual_discount: int = 0
    manual_reason: str = ""
    label_amount: int | None = None
    reward_id: str | None = None


@dataclass(frozen=True)
class SaleResult:
    sale_id: str
    receipt_no: str
    payable: int
    change: int
    points_earned: int
    points_balance: int | None
    priced: PricedBasket
    cash_tendered: int = 0
    coupons_issued: tuple[IssuedCouponRecord, ...] = ()
    stored_value_balance: int | None = None  # set when the sale was paid by stored value


@dataclass(frozen=True)
class MemberFound:
    """What :meth:`Checkout.find_member` found: the basket with the member on it,
    or, for the last 4 digits of a phone, the masked matches to choose from."""

    priced: PricedBasket | None
    choices: members.MemberSearch | None = None


def _check_qty(qty: int) -> None:
    if not isinstance(qty, int) or isinstance(qty, bool) or not 1 <= qty <= MAX_QTY:
        raise InvalidInput("bad_qty", max=MAX_QTY)


def _reason(reason: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise InvalidInput("reason_required")
    return cleaned[:200]


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
        bus: events.EventBus | None = None,
    ) -> None:
        self.db = db
        self.settings = settings
        self.cashier = cashier
        self.clock = clock or (lambda: datetime.now(UTC))
        self.rules = rules or RuleCache()
        self.hq_reachable = hq_reachable
        self.vault = vault
        self.bus = bus or events.bus
        self.lines: list[CartLine] = []
        self.member_id: str | None = None
        self.member_no: str | None = None
        self.coupon_codes: list[str] = []
        self.redeem_points = 0
        self.reward_coupons: list[str] = []
        # how the member on the sale proved presence, which paying by balance needs:
        # "app" (a member-app code verified here) or "pin" (their payment PIN)
        self.member_auth: str | None = None
        # the member-app code (key id, time step) that identified the member, for HQ to
        # find one code used at two tills
        self.member_code: tuple[str, int] | None = None
        self._priced: PricedBasket | None = None
        self._member: MemberInfo | None = None
        self._usage: dict[str, RuleUsage] | None = None

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
                raise NotFound("unknown_member")
            self._member = members.pricing_member(session, self.vault, member, self.today)
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
                    label_amount=line.label_amount,
                    reward_id=line.reward_id,
                )
                for line in self.lines
            ),
            coupon_codes=tuple(self.coupon_codes),
            redeem_points=self.redeem_points,
            reward_coupons=tuple(self.reward_coupons),
        )

    def _local_now(self) -> datetime:
        """Now in the store's time zone: rules read weekdays and times of day in it."""
        return self.clock().astimezone(self.settings.tz)

    def _rule_usage(self, session: Session, *, fresh: bool = False) -> dict[str, RuleUsage]:
        """What the limited promotions have used (for the member on the sale and in all).

        Kept while the basket is built, like the member; :meth:`pay` counts afresh.
        """
        if fresh or self._usage is None:
            self._usage = promotion_use.usage(
                session, self.rules.limited(session), self.member_id, self.today
            )
        return self._usage

    def _price_in(self, session: Session, *, fresh: bool = False) -> PricedBasket:
        member = self._member_info(session, fresh=fresh)
        usage = self._rule_usage(session, fresh=fresh)
        rules = self.rules.ruleset(session, self.coupon_codes, usage)
        return price(self._basket(), member, rules, self._local_now(), self.settings.pricing)

    def quote(self) -> PricedBasket:
        """Price the basket as it stands (no write)."""
        with self.db.sessions() as session:
            self._priced = self._price_in(session)
        return self._priced

    @property
    def priced(self) -> PricedBasket:
        return self._priced if self._priced is not None else self.quote()

    def line_id(self, number: int) -> str:
        """The id of the ``number``-th line as the screen numbers them (from 1)."""
        if not isinstance(number, int) or not 1 <= number <= len(self.lines):
            raise NotFound("no_line_number", number=number)
        return self.lines[number - 1].line_id

    def _line(self, line_id: str) -> CartLine:
        for line in self.lines:
            if line.line_id == line_id:
                return line
        raise NotFound("no_line")

    def _approve(
        self, perm: Permission, approver: Actor | None, action: str, **details: Any
    ) -> None:
        """Check ``perm`` (the cashier's own, or the approver's) and audit the action.

        Called after the request was validated. The audit row names the
        supervisor only when their authority was used.
        """
        who = authorize(self.cashier, perm, approver)
        with self.db.transaction() as session:
            audit.record(
                session,
                action,
                user_id=self.cashier.user_id,
                terminal_id=self.settings.terminal_id,
                approved_by=who.user_id if who is not self.cashier else None,
                at=self.clock(),
                **details,
            )

    # --- basket operations ------------------------------------------------------------

    def add(self, code: str, qty: int = 1) -> PricedBasket:
        """Add a product by barcode, SKU or scale label; an unknown code adds nothing and says so.

        A scale label (称重码) carries the weight or the price: the line takes
        its grams (``qty`` is then the number of labelled packs, normally 1)
        and never merges with another. A product sold by weight needs its
        label, or :meth:`add_weighed` with the grams.
        """
        _check_qty(qty)
        authorize(self.cashier, Permission.SELL)
        with self.db.sessions() as session:
            found = find_scanned(session, code, self.settings.scale_formats)
            info = product_info(found.product)
            if found.qty is not None:
                for _ in range(qty):
                    self.lines.append(
                        CartLine(
                            new_id(),
                            info,
                            found.qty,
                            scanned=code.strip(),
                            label_amount=found.label_amount,
                        )
                    )
                self._priced = self._price_in(session)
                return self._priced
            if info.weighed:
                raise InvalidInput("weight_needed", name=info.name)
            last = self.lines[-1] if self.lines else None
            if (
                last is not None
                and last.product.product_id == info.product_id
                and last.override_price is None
                and last.manual_discount == 0
                and last.reward_id is None
            ):
                _check_qty(last.qty + qty)
                last.qty += qty
            else:
                self.lines.append(CartLine(new_id(), info, qty, scanned=code.strip()))
            self._priced = self._price_in(session)
        return self._priced

    def add_weighed(self, code: str, grams: int) -> PricedBasket:
        """Add a product sold by weight with the grams the cashier read off the scale."""
        check_grams(grams)
        authorize(self.cashier, Permission.SELL)
        with self.db.sessions() as session:
            info = product_info(find_product(session, code))
            if not info.weighed:
                raise InvalidInput("not_weighed", name=info.name)
            self.lines.append(CartLine(new_id(), info, grams, scanned=code.strip()))
            self._priced = self._price_in(session)
        return self._priced

    # --- rewards (积分兑换) -------------------------------------------------------------

    def add_reward(self, reward_id: str, qty: int = 1) -> PricedBasket:
        """Redeem a reward of the catalogue: a product line paid with points, or a coupon.

        Refused (nothing added) when the reward cannot apply: no member, not
        enough points, not valid now … with the engine's reason.
        """
        _check_qty(qty)
        authorize(self.cashier, Permission.SELL)
        reward_id = reward_id.strip()
        lines, coupons = list(self.lines), list(self.reward_coupons)
        with self.db.sessions() as session:
            reward = self.rules.rewards(session).get(reward_id)
            if reward is None:
                raise NotFound("reward_unknown", reward=reward_id[:40])
            if isinstance(reward, ProductReward):
                info = product_info(find_product(session, reward.sku))
                self.lines.append(
                    CartLine(new_id(), info, qty, scanned=reward.sku, reward_id=reward_id)
                )
            else:
                self.reward_coupons.extend([reward_id] * qty)
            priced = self._price_in(session)
            limit = self._policy_points_limit(session)
        refused = next(
            (r for r in priced.rewards if r.reward_id == reward_id and not r.applied), None
        )
        if refused is not None:
            self.lines, self.reward_coupons = lines, coupons
            self.quote()
            raise InvalidInput(f"reward_{refused.reason}", reward=reward.name)
        if limit is not None and priced.reward_points + priced.points_redeemed > limit.amount:
            self.lines, self.reward_coupons = lines, coupons
            self.quote()
            raise limit.refusal()
        self._priced = priced
        return priced

    def remove_reward_coupon(self, reward_id: str) -> PricedBasket:
        """Take a coupon reward off the basket (nothing is spent until the sale is paid)."""
        if reward_id not in self.reward_coupons:
            raise NotFound("reward_not_on_sale", reward=reward_id[:40])
        self.reward_coupons.remove(reward_id)
        return self.quote()

    def set_qty(self, line_id: str, qty: int, approver: Actor | None = None) -> PricedBasket:
        """Change a line's quantity; lowering it is a void and needs that permission."""
        line = self._line(line_id)
        _check_qty(qty)
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
            raise InvalidInput("negative_price")
        if unit_price > MAX_AMOUNT:
            raise InvalidInput("amount_too_large", max=format_yuan(MAX_AMOUNT))
        why = _reason(reason)
        self._approve(
            Permission.PRICE_OVERRIDE,
            approver,
            "price_override",
            sku=line.product.sku,
            old=line.product.price,
            new=unit_price,
            reason=why,
        )
        line.override_price = unit_price
        line.override_reason = why
        return self.quote()

    def discount_line(
        self, line_id: str, amount: int, reason: str, approver: Actor | None = None
    ) -> PricedBasket:
        """Take ``amount`` fen off a line by hand (permission-checked, reason required)."""
        line = self._line(line_id)
        if amount < 0:
            raise InvalidInput("negative_discount")
        unit = line.override_price if line.override_price is not None else line.product.price
        if amount > unit * line.qty:
            raise InvalidInput("discount_exceeds_line")
        why = _reason(reason)
        self._approve(
            Permission.MANUAL_DISCOUNT,
            approver,
            "manual_discount",
            sku=line.product.sku,
            amount=amount,
            reason=why,
        )
        line.manual_discount = amount
        line.manual_reason = why
        return self.quote()

    def scan(self, text: str) -> PricedBasket:
        """Whatever the scanner or keyboard produced: product, member code or coupon.

        One classifier (:func:`terminal.classifier.classify`) decides what the
        text is; a receipt number is refused with a pointer to returns.
        """
        scanned = classify(text)
        if scanned.kind in ("member_static", "member_dynamic"):
            return self.identify(scanned.value)
        if scanned.kind == "coupon":
            return self.apply_coupon(scanned.value)
        if scanned.kind == "receipt":
            raise InvalidInput("receipt_scanned", receipt_no=scanned.value)
        return self.add(scanned.value or text)

    def identify(self, code: str, *, replace: bool = False) -> PricedBasket:
        """Attach the member a card or app code names, after verifying it offline.

        A second read of the code of the member already on the sale (scanners
        often read twice) is not a replay: it changes nothing. A member-app
        (dynamic) code lets the member pay by stored value; shown for a member
        already on the sale by card, it is verified for that.
        """
        parsed = membercodes.parse(code)
        same = self.member_no is not None and parsed.member_no == self.member_no
        if same and (parsed.kind == "static" or self.member_auth is not None):
            return self.priced
        if not same:
            self._check_replace(replace)
        verified = membercodes.accept(
            self.db, code, self.clock(), terminal_id=self.settings.terminal_id
        )
        priced = self.attach_member(verified.member_no, replace=True)
        if verified.kind == "dynamic":
            self.member_auth = "app"  # the member's own phone: enough to pay by balance
            assert parsed.key_id is not None and parsed.step is not None
            self.member_code = (parsed.key_id, parsed.step)
        return priced

    def find_member(self, text: str, *, replace: bool = False) -> MemberFound:
        """Find the member typed text names (one rule: :func:`terminal.members.member_query`).

        A card or app code is verified and attached; a phone number is looked
        up and attached; the last 4 digits of a phone give the masked matches to
        choose from (then :meth:`attach_member` with the chosen number).
        """
        query = members.member_query(text)
        if query.kind == "code":
            return MemberFound(self.identify(query.value, replace=replace))
        if self.vault is None:
            raise StateError("member_keys_not_loaded")
        with self.db.sessions() as session:
            if query.kind == "last4":
                found = members.find_by_last4(session, self.vault, query.value)
                return MemberFound(None, members.MemberSearch(found.matches, found.more))
            member_no = members.find_by_phone(session, self.vault, query.value).member_no
        return MemberFound(self.attach_member(member_no, replace=replace))

    def _check_replace(self, replace: bool) -> None:
        if self.member_no is not None and not replace:
            raise StateError("member_already_attached", member_no=self.member_no)

    def attach_member(self, member_no: str, *, replace: bool = False) -> PricedBasket:
        """Put the member with this number on the basket.

        Another member already on it is replaced only with ``replace=True`` (the
        front end asks the cashier first); the same member again changes nothing.
        """
        if self.member_no is not None and member_no.strip() == self.member_no:
            return self.priced
        self._check_replace(replace)
        with self.db.sessions() as session:
            member = members.find_member(session, member_no)
            self._set_member(member.id, member.member_no)
            self._priced = self._price_in(session)
        self.bus.emit("member_attached", member_no=self.member_no)
        return self._priced

    def _set_member(self, member_id: str | None, member_no: str | None) -> None:
        """The member on the sale from now on; what was read or proved of the last one goes."""
        self.member_id, self.member_no = member_id, member_no
        self._member = None
        self._usage = None
        self.member_auth = None
        self.member_code = None

    def detach_member(self) -> PricedBasket:
        self._set_member(None, None)
        self.redeem_points = 0
        self.bus.emit("member_attached", member_no=None)
        return self.quote()

    # --- stored value (储值) ------------------------------------------------------------

    def verify_payment_pin(self, pin: str) -> None:
        """The member types their own payment PIN: the sale may then be paid by balance."""
        if self.member_id is None:
            raise StateError("sv_needs_member")
        stored_value.check_pay_pin(self.db, self.member_id, pin, self.clock())
        self.member_auth = "pin"

    def set_payment_pin(self, pin: str) -> None:
        """Set the member's payment PIN; the member must have shown their app code here."""
        if self.member_id is None:
            raise StateError("sv_needs_member")
        if self.member_auth != "app":
            raise StateError("pay_pin_needs_app_code")
        with self.db.transaction() as session:
            stored_value.set_pay_pin(session, self.member_id, pin, self.clock())
            audit.record(
                session,
                "pay_pin_set",
                user_id=self.cashier.user_id,
                terminal_id=self.settings.terminal_id,
                target=self.member_id,
                at=self.clock(),
            )

    def stored_value(self) -> tuple[stored_value.Balance, int] | None:
        """The member's balance, and what they may pay by it now (offline: the allowance,
        and HQ's daily cap while the till has not synced for long)."""
        if self.member_id is None:
            return None
        with self.db.sessions() as session:
            held = stored_value.balance(session, self.member_id)
            can = stored_value.spendable(session, self.member_id, online=self.hq_reachable())
            cap = self._sv_cap(session)
        return held, can if cap is None else min(can, cap.amount)

    def _sv_cap(self, session: Session) -> offline_policy.Limit | None:
        """HQ's daily stored-value cap left for the member, while the till is long offline."""
        if self.member_id is None:
            return None
        return offline_policy.stored_value_cap(
            session, self.member_id, today=self.today, now=self.clock()
        )

    def _policy_points_limit(self, session: Session) -> offline_policy.Limit | None:
        """HQ's offline policy for the member's points (enrolled tills); None: no limit."""
        if self.member_id is None:
            return None
        return offline_policy.points_limit(
            session,
            self.member_id,
            today=self.today,
            now=self.clock(),
            reachable=self.hq_reachable(),
        )

    def _points_limit(self, session: Session) -> offline_policy.Limit | None:
        """The most points the member may redeem now: HQ's policy on an enrolled till; on
        a standalone till offline, the config's per-sale ``offline_redeem_limit``."""
        if offline_policy.enrolled(session):
            return self._policy_points_limit(session)
        if self.hq_reachable():
            return None
        limit = self.settings.offline_redeem_limit
        return offline_policy.Limit(limit, "offline_limit", {"limit": limit})

    def check_stored_value(self, amount: int) -> None:
        """Refuse, before the sale is paid, a balance tender the member cannot cover now.

        Offline, the words say it is the offline limit (the balance HQ confirmed
        less this till's unsynced spending), not the balance, that falls short.
        """
        if self.member_id is None:
            raise StateError("sv_needs_member")
        if self.member_auth is None:
            raise StateError("sv_needs_auth")
        if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
            raise InvalidInput("sv_bad_amount")
        value = self.stored_value()
        assert value is not None
        held, can = value
        if amount <= can:
            return
        with self.db.sessions() as session:
            cap = self._sv_cap(session)
        if cap is not None and cap.amount == can:
            raise cap.refusal()
        if can < held.total:
            raise StateError(
                "sv_offline_limit", available=format_yuan(can), balance=format_yuan(held.total)
            )
        raise StateError("sv_insufficient", available=format_yuan(can))

    def apply_coupon(self, code: str) -> PricedBasket:
        """Add a coupon code. A coupon that cannot apply *yet* (minimum spend) stays
        on the basket with its reason shown; an unknown or used one is refused."""
        code = code.strip()
        if code in self.coupon_codes:
            raise InvalidInput("duplicate_coupon")
        self.coupon_codes.append(code)
        priced = self.quote()
        result = next(c for c in priced.coupons if c.code == code)
        if not result.applied and result.reason in _REFUSED_COUPON_REASONS:
            self.coupon_codes.remove(code)
            self.quote()
            if result.reason == "unknown" and not COUPON_PATTERN.fullmatch(code):
                raise InvalidInput("not_a_coupon_code")  # maybe a phone number: not repeated
            raise InvalidInput(f"coupon_{result.reason}", code=code)
        return priced

    def remove_coupon(self, code: str) -> PricedBasket:
        if code not in self.coupon_codes:
            raise NotFound("coupon_not_on_sale")
        self.coupon_codes.remove(code)
        return self.quote()

    def set_redeem_points(self, points: int) -> PricedBasket:
        """Ask to pay ``points`` with points (the engine caps it by balance and share)."""
        if not isinstance(points, int) or isinstance(points, bool) or points < 0:
            raise InvalidInput("bad_points")
        if points and self.member_id is None:
            raise StateError("no_member")
        if points:
            with self.db.sessions() as session:
                limit = self._points_limit(session)
                member = self._member_info(session)
            # HQ's limits refuse only where they hold below the balance; at the balance
            # the engine takes what the member has, as it always did
            policy_slack = (
                limit is not None
                and limit.code != "offline_limit"
                and member is not None
                and member.points_balance <= limit.amount
            )
            if limit is not None and points > limit.amount and not policy_slack:
                raise limit.refusal()
        self.redeem_points = points
        return self.quote()

    def redeemable_points(self) -> tuple[int, int]:
        """(points, fen): the most the attached member could pay in points on this basket now.

        The pricing engine's caps apply (balance, share of the bill), and the
        offline limits (HQ's policy, or the config's on a standalone till);
        (0, 0) without a member.
        """
        if self.member_id is None or not self.lines:
            return 0, 0
        with self.db.sessions() as session:
            member = self._member_info(session)
            assert member is not None
            asked = member.points_balance
            limit = self._points_limit(session)
            if limit is not None:
                asked = min(asked, limit.amount)
            basket = replace(self._basket(), redeem_points=asked)
            rules = self.rules.ruleset(session, self.coupon_codes, self._rule_usage(session))
            best = price(basket, member, rules, self._local_now(), self.settings.pricing)
        return best.points_redeemed, best.points_value

    def nudge(self) -> Nudge | None:
        """The reward this basket is closest to reaching (满减 or a coupon's minimum), if any."""
        priced = self.priced
        with self.db.sessions() as session:
            member = self._member_info(session)
            rules = self.rules.ruleset(session, self.coupon_codes, self._rule_usage(session))
        return nearest(priced, rules, self._local_now(), member)

    def clear(self) -> None:
        """Forget the basket (after a sale, or once it was parked or cancelled)."""
        self.lines.clear()
        self._set_member(None, None)
        self.coupon_codes.clear()
        self.reward_coupons.clear()
        self.redeem_points = 0
        self._priced = None

    def _basket_summary(self) -> dict[str, Any]:
        """What an audit row records of a basket: its lines and amount (no personal data)."""
        priced = self._priced or self.quote()
        return {
            "lines": [{"sku": line.product.sku, "qty": line.qty} for line in self.lines],
            "amount": priced.payable,
            "member_no": self.member_no,
        }

    def cancel(self, approver: Actor | None = None) -> None:
        """Cancel the basket. With lines on it this needs the store's cancel role.

        The role is ``[security] cancel_basket_role`` (default supervisor); a
        cashier below it asks for an approval, or suspends the basket instead.
        Audited with the lines and the amount.
        """
        if not self.lines and not self.reward_coupons:
            self.clear()
            return
        summary = self._basket_summary()
        who = authorize_role(
            self.cashier, Permission.CANCEL_BASKET, self.settings.cancel_basket_role, approver
        )
        with self.db.transaction() as session:
            audit.record(
                session,
                "basket_cancelled",
                user_id=self.cashier.user_id,
                terminal_id=self.settings.terminal_id,
                approved_by=who.user_id if who is not self.cashier else None,
                at=self.clock(),
                **summary,
            )
        self.clear()

    # --- suspend / resume -------------------------------------------------------------

    def suspend(self, label: str = "", *, why: str = "suspend") -> str:
        """Park the basket (e.g. the customer forgot something) and start an empty one.

        ``why`` is ``suspend`` (the cashier chose to), ``quit`` (the till was
        closed with a basket open) or ``interrupted`` (Ctrl-C, a crash of the
        front end); each is audited with the lines and amount.
        """
        if not self.lines and not self.reward_coupons:
            raise StateError("nothing_to_suspend")
        summary = self._basket_summary()
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
                    "label_amount": line.label_amount,
                    "reward_id": line.reward_id,
                }
                for line in self.lines
            ],
            "member_no": self.member_no,
            "coupons": self.coupon_codes,
            "redeem_points": self.redeem_points,
            "reward_coupons": self.reward_coupons,
        }
        with self.db.transaction() as session:
            row = suspended.park(
                session,
                terminal_id=self.settings.terminal_id,
                user_id=self.cashier.user_id,
                label=label,
                payload=payload,
            )
            audit.record(
                session,
                "suspend",
                user_id=self.cashier.user_id,
                terminal_id=self.settings.terminal_id,
                target=row.id,
                why=why,
                at=self.clock(),
                **summary,
            )
        self.clear()
        return row.id

    def suspended(self) -> list[SuspendedBasket]:
        with self.db.sessions() as session:
            return suspended.parked(session, self.settings.terminal_id)

    def resume(self, suspended_id: str) -> PricedBasket:
        """Bring a parked basket back, re-priced at today's prices."""
        if self.lines:
            raise StateError("finish_current_sale_first")
        with self.db.transaction() as session:
            payload = suspended.take(session, self.settings.terminal_id, suspended_id)
            lines = []
            for item in payload["lines"]:
                product = session.scalar(select(Product).where(Product.sku == item["sku"]))
                if product is None or not product.active:
                    raise NotFound("product_no_longer_sold", sku=item["sku"])
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
                        label_amount=item.get("label_amount"),
                        reward_id=item.get("reward_id"),
                    )
                )
        self.lines = lines
        if payload["member_no"]:
            self.attach_member(payload["member_no"])
        self.coupon_codes = list(payload["coupons"])
        self.redeem_points = payload["redeem_points"]
        self.reward_coupons = list(payload.get("reward_coupons", []))
        return self.quote()

    # --- paying -----------------------------------------------------------------------

    def pay(self, tenders: Sequence[Tender], *, expected_payable: int | None = None) -> SaleResult:
        """Commit the sale in one transaction and start an empty basket.

        The basket is re-priced inside the transaction (coupon status, points
        and stored-value balances, promotion limits as they are now); if that
        changes the amount the customer was shown (``expected_payable``), or a
        reward can no longer be paid with points, nothing is written and the
        cashier is told. Any failure (a full disk included) leaves the basket as
        it was, so the payment can simply be tried again.

        Paying by stored value (``Tender("stored_value", …)``) needs the member
        to have shown their app code or typed their payment PIN, and never
        spends more than the balance (offline: the allowance, see
        :mod:`terminal.stored_value`).
        """
        authorize(self.cashier, Permission.SELL)
        if not self.lines and not self.reward_coupons:
            raise StateError("empty_basket")
        by_balance = sum(t.amount for t in tenders if t.method == "stored_value")
        if by_balance:
            if self.member_id is None:
                raise StateError("sv_needs_member")
            if self.member_auth is None:
                raise StateError("sv_needs_auth")
        now = self.clock()
        with self.db.transaction() as session:
            shift_id = open_shift_id(session, self.settings.terminal_id)
            # read once: held here, the row (and its tier) stays in the session for
            # pricing, the ledger and the receipt (the session keeps rows only while used)
            member = session.get(Member, self.member_id) if self.member_id else None
            priced = self._price_in(session, fresh=True)
            if expected_payable is not None and priced.payable != expected_payable:
                raise StateError("payable_changed", payable=format_yuan(priced.payable))
            refused_now = [
                c
                for c in priced.coupons
                if c.code in self.coupon_codes
                and not c.applied
                and c.reason in ("already_used", "unknown")
            ]
            if refused_now:
                raise StateError(f"coupon_{refused_now[0].reason}", code=refused_now[0].code)
            refused_reward = next((r for r in priced.rewards if not r.applied), None)
            if refused_reward is not None:
                raise StateError(f"reward_{refused_reward.reason}", reward=refused_reward.reward_id)
            change = check_tenders(priced.payable, tenders)
            self._check_policy(session, priced, by_balance)
            points_after = (
                self._member.points_balance
                - priced.points_redeemed
                - priced.reward_points
                + priced.points_earned
                if self._member is not None
                else None
            )
            sale, issued = self._write_sale(
                session, member, priced, tenders, change, shift_id, now, points_after
            )
            sv_after = (  # what the member has left, shown when they paid with it
                stored_value.balance(session, self.member_id).total
                if by_balance and self.member_id is not None
                else None
            )
            result = SaleResult(
                sale_id=sale.id,
                receipt_no=sale.receipt_no,
                payable=priced.payable,
                change=change,
                points_earned=priced.points_earned,
                points_balance=points_after,
                priced=priced,
                cash_tendered=sum(t.amount for t in tenders if t.method == "cash"),
                coupons_issued=tuple(issued),
                stored_value_balance=sv_after,
            )
        self.clear()
        self.bus.emit("sale_committed", sale_id=result.sale_id, receipt_no=result.receipt_no)
        self.bus.emit("print_queue_changed")
        self.bus.emit("outbox_changed")
        return result

    def _check_policy(self, session: Session, priced: PricedBasket, by_balance: int) -> None:
        """Refuse, inside the sale's transaction, what HQ's offline policy does not allow now."""
        if priced.points_redeemed or priced.reward_points:
            limit = self._policy_points_limit(session)
            if limit is not None and priced.points_redeemed + priced.reward_points > limit.amount:
                raise limit.refusal()
        if by_balance:
            cap = self._sv_cap(session)
            if cap is not None and by_balance > cap.amount:
                raise cap.refusal()

    def _write_sale(
        self,
        session: Session,
        member: Member | None,
        priced: PricedBasket,
        tenders: Sequence[Tender],
        change: int,
        shift_id: str,
        now: datetime,
        points_after: int | None,
    ) -> tuple[Sale, list[IssuedCouponRecord]]:
        sale = sale_head(
            session,
            self.settings,
            kind="sale",
            shift_id=shift_id,
            cashier_id=self.cashier.user_id,
            now=now,
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
            reward_points=priced.reward_points,
            explanation=list(priced.explanation),
        )
        rows, line_nos = priced_rows(
            sale,
            priced,
            tenders,
            change,
            {line.line_id: line.override_reason for line in self.lines},
        )
        promotions, rewards = self.rules.promotions(session), self.rules.rewards(session)
        with session.no_autoflush:  # the coupons it issues are written after the sale
            issued, issued_extras = issued_coupons.issue(
                session,
                priced.coupons_issued,
                sale=sale,
                member_id=self.member_id,
                line_nos=line_nos,
                promotions=promotions,
                rewards=rewards,
            )
            extras: dict[str, Any] = {"issued": issued_extras} if issued_extras else {}
            if priced.limits:  # the receipt says which limit held a promotion back
                extras["limits"] = [n.message for n in priced.limits]
            sale.extras = extras
            insert_sale(session, sale, rows)
        line_ids = {
            priced_line.line_id: row["id"]
            for priced_line, row in zip(priced.lines, rows.lines, strict=True)
        }
        coupons_used: list[CouponUseRecord] = []
        for result in priced.coupons:
            if not result.applied:
                continue
            if not fetch(session, _TAKE_COUPON, (stored_utc(utcnow()), result.code)):
                raise StateError("coupon_already_used", code=result.code)
            insert_rows(
                session,
                CouponRedemption,
                [
                    {
                        "coupon_code": result.code,
                        "sale_id": sale.id,
                        "kind": "redeem",
                        "amount": result.amount,
                    }
                ],
            )
            coupons_used.append(CouponUseRecord(code=result.code, amount=result.amount))
        points_rows: list[PointsRecord] = []
        sv_rows: list[StoredValueRow] = []
        if member is not None:
            for entry in ledger.redeem(
                session,
                member.id,
                priced.points_redeemed + priced.reward_points,
                sale.business_day,
                sale_id=sale.id,
                reason=sale.receipt_no,
                now=now,
            ):
                points_rows.append(
                    PointsRecord(
                        id=entry.id, kind="redeem", points=entry.points, lot_id=entry.lot_id
                    )
                )
            lot = ledger.earn(
                session,
                member.id,
                priced.points_earned,
                expires_on=ledger.expiry_for(sale.business_day, self.settings.points_expiry),
                sale_id=sale.id,
                reason=sale.receipt_no,
                now=now,
            )
            if lot is not None:
                points_rows.append(
                    PointsRecord(
                        id=lot.id, kind="earn", points=lot.points, expires_on=lot.expires_on
                    )
                )
            by_balance = sum(p["amount"] for p in rows.payments if p["method"] == "stored_value")
            limit = (
                None
                if not by_balance or self.hq_reachable()
                else stored_value.offline_allowance(session, member.id)
            )
            for row in stored_value.spend(
                session,
                member.id,
                by_balance,
                sale_id=sale.id,
                reason=sale.receipt_no,
                now=now,
                limit=limit,
            ):
                sv_rows.append(
                    StoredValueRow(
                        id=row.id,
                        kind="spend",
                        bucket=row.bucket,  # type: ignore[arg-type]  # checked by the schema
                        amount=row.amount,
                    )
                )
        uses = promotion_use.record(
            session,
            priced.rule_uses,
            sale_id=sale.id,
            member_id=self.member_id,
            day=sale.business_day,
            line_ids=line_ids,
        )
        finish(
            session,
            self.settings,
            sale,
            coupons=coupons_used,
            points=points_rows,
            member_no=member.member_no if member else None,
            vault=self.vault,
            now=now,
            audit_action="sale",
            rows=rows,
            extra=SaleExtras(
                reward_points=priced.reward_points,
                coupons_issued=issued,
                rule_uses=uses,
                stored_value=sv_rows,
                taxes=[
                    TaxRecord(vat=t.vat, amount=t.amount, tax=t.tax, net=t.net)  # type: ignore[arg-type]
                    for t in priced.taxes
                ],
                member_code=self.member_code if member is not None else None,
            ),
            points_balance=points_after,
            tier_name=self._member.tier.name if self._member is not None else None,
            payable=priced.payable,
            lines=len(priced.lines),
        )
        return sale, issued

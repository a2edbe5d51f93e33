"""A trading history for a demo store: days of sales, returns, voids, loyalty and cash.

Deterministic for a seed, written with bulk Core inserts (a year of a busy
store: 300,000 sales and 1,500,000 lines), so the reports have something to
read: the reports screen in a demo, the report tests (which recompute every
figure from these rows on their own) and ``bench/bench_reports.py``.

Rows are shaped as the till writes them: every sale has its lines (discounts
allocated to lines, points value, paid, VAT), payments (cash kept, change),
adjustments naming the promotion or coupon, points earned and redeemed,
stored value spent; some sales are partly returned later the same day (with
a supervisor's approval); baskets lines are voided and baskets cancelled in
the audit trail; one shift a day is opened and closed with a counted drawer;
members join throughout; coupons are issued on sales and come back.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, bindparam, insert, select, update

from terminal.checkout_settings import business_day
from terminal.ledger import expiry_for
from terminal.money import allocate, mul_div_half_up
from terminal.pricing.tax import vat_of
from terminal.store.database import Database
from terminal.store.models import (
    AuditEvent,
    CashMovement,
    Coupon,
    CouponDefinitionRow,
    CouponRedemption,
    Member,
    Payment,
    PointsEntry,
    Product,
    PromotionRow,
    Sale,
    SaleAdjustment,
    SaleLine,
    Shift,
    StoredValueEntry,
    Terminal,
    User,
)
from terminal.store.types import new_id

# local hour of a sale (7 = 07:00, 24 = 00:00 the next night) and how busy it is
HOURS = list(range(7, 26))
HOUR_WEIGHTS = [2, 4, 6, 7, 9, 12, 10, 7, 6, 7, 9, 13, 14, 11, 8, 5, 3, 1, 1]
TENDERS = ("wechat", "alipay", "cash", "card", "stored_value")
TENDER_WEIGHTS = (45, 25, 20, 7, 3)


@dataclass
class HistorySummary:
    """What was made (counts), for a caller to print."""

    days: int = 0
    sales: int = 0
    lines: int = 0
    returns: int = 0
    topups: int = 0
    members: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _Item:
    id: str
    sku: str
    name: str
    price: int
    sold_by: str
    vat: str
    earns: bool


@dataclass
class _Day:
    """Rows of one business day, inserted together."""

    rows: dict[type, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, model: type, row: dict[str, Any]) -> None:
        self.rows.setdefault(model, []).append(row)


ORDER = (
    Shift,
    CashMovement,
    Sale,
    SaleLine,
    SaleAdjustment,
    Payment,
    PointsEntry,
    StoredValueEntry,
    AuditEvent,
)


class _Generator:
    def __init__(
        self,
        conn: Connection,
        *,
        seed: int,
        tz: ZoneInfo,
        day_start: time,
        member_share: float,  # float ok: a probability, not money
        lines_per_sale: int,
    ) -> None:
        self.conn = conn
        self.rng = random.Random(seed)
        self.tz = tz
        self.day_start = day_start
        self.member_share = member_share
        self.lines_per_sale = lines_per_sale
        # basket sizes 1 … 2L−1, most often L: L lines a sale on average
        self.sizes = list(range(1, 2 * lines_per_sale))
        self.size_weights = [lines_per_sale - abs(k - lines_per_sale) for k in self.sizes]
        terminal = conn.execute(select(Terminal.id, Terminal.code, Terminal.store_id)).first()
        assert terminal is not None, "build the demo store first"
        self.terminal_id = terminal[0]
        self.prefix = f"HIST{terminal[1]}-"
        users = {k: v for k, v in conn.execute(select(User.role, User.id))}
        self.cashiers = [users["cashier"], users["supervisor"]]
        self.supervisor = users["supervisor"]
        self.items = [
            _Item(*row)
            for row in conn.execute(
                select(
                    Product.id,
                    Product.sku,
                    Product.name,
                    Product.price,
                    Product.sold_by,
                    Product.vat,
                    Product.earns_points,
                ).order_by(Product.sku)
            )
        ]
        # popular goods sell far more often than the long tail
        weights = [1.0 / (k + 10) for k in range(len(self.items))]
        self.rng.shuffle(weights)
        # and dear goods (a carton of cigarettes) far less often than cheap ones
        weights = [
            w * min(1.0, 3000 / max(1, i.price)) for w, i in zip(weights, self.items, strict=True)
        ]
        acc = 0.0  # float ok: cumulative weights for random choice, not money
        self.cum: list[float] = []  # float ok
        for w in weights:
            acc += w
            self.cum.append(acc)
        self.promotions = [
            str(r)
            for r in conn.execute(select(PromotionRow.id).order_by(PromotionRow.id)).scalars()
        ][:12] or ["P-DEMO"]
        self.coupon_defs = [
            str(r)
            for r in conn.execute(
                select(CouponDefinitionRow.id).order_by(CouponDefinitionRow.id)
            ).scalars()
        ][:3]
        self.members: list[tuple[str, str]] = []  # (id, tier) in joining order
        self.joined_by: list[datetime] = []
        self.coupons: dict[str, dict[str, Any]] = {}
        self.open_coupons: dict[str, list[str]] = {}  # member id -> issued coupon codes
        self.redemptions: list[dict[str, Any]] = []
        self.seq = int(
            conn.execute(
                select(Terminal.next_receipt_seq).where(Terminal.id == self.terminal_id)
            ).scalar_one()
        )
        self.summary = HistorySummary()

    # --- members ------------------------------------------------------------------------

    def spread_members(
        self,
        first: date,
        days: int,
        joined_share: float,  # float ok: a share of members
    ) -> None:
        """Date the demo's members: most joined before the history, the rest during it."""
        rows = self.conn.execute(select(Member.id, Member.tier_code).order_by(Member.member_no))
        members = [(str(m), str(t)) for m, t in rows]
        start = datetime.combine(first, time(10), tzinfo=self.tz).astimezone(UTC)
        updates = []
        dated = []
        for member_id, tier in members:
            if self.rng.random() < joined_share:
                at = start + timedelta(
                    days=self.rng.randrange(days), minutes=self.rng.randrange(600)
                )
            else:
                at = start - timedelta(days=self.rng.randrange(30, 700))
            dated.append((at, member_id, tier))
            updates.append({"mid": member_id, "at": at})
        if updates:
            self.conn.execute(
                update(Member)
                .where(Member.id == bindparam("mid"))
                .values(created_at=bindparam("at")),
                updates,
            )
        dated.sort()
        self.joined_by = [at for at, _, _ in dated]
        self.members = [(m, t) for _, m, t in dated]
        self.summary.members = len(members)

    def _member(self, at: datetime) -> tuple[str, str] | None:
        if not self.members or self.rng.random() >= self.member_share:
            return None
        # members on file at ``at``; the ones who joined lately come a bit more often
        lo, hi = 0, len(self.joined_by)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.joined_by[mid] <= at:
                lo = mid + 1
            else:
                hi = mid
        if lo == 0:
            return None
        k = int(lo * (1 - self.rng.random() ** 1.5))
        return self.members[min(k, lo - 1)]

    # --- one day ------------------------------------------------------------------------

    def day(self, day: date, sales: int) -> _Day:
        out = _Day()
        local0 = datetime.combine(day, time(0), tzinfo=self.tz)
        opened = (local0 + timedelta(hours=6, minutes=50)).astimezone(UTC)
        closed = (local0 + timedelta(hours=26, minutes=10)).astimezone(UTC)
        cashier = self.cashiers[day.toordinal() % 2]
        shift_id = new_id()
        cash = 0
        float_ = 50_000
        minutes = sorted(
            self.rng.choices(HOURS, HOUR_WEIGHTS, k=sales)[k] * 60 + self.rng.randrange(60)
            for k in range(sales)
        )
        for minute in minutes:
            at = (local0 + timedelta(minutes=minute, seconds=self.rng.randrange(60))).astimezone(
                UTC
            )
            cash += self._sale(out, at, shift_id, cashier)
        for _ in range(max(1, sales // 150)):
            cash += self._topup(
                out, opened + timedelta(hours=self.rng.randrange(1, 15)), shift_id, cashier
            )
        for _ in range(max(1, sales // 40)):
            self._void(out, opened + timedelta(minutes=self.rng.randrange(30, 1000)), cashier)
        if self.rng.random() < 0.3:
            self._audit(
                out,
                "basket_cancelled",
                opened + timedelta(minutes=self.rng.randrange(30, 1000)),
                cashier,
                approved=self.supervisor,
                amount=self.rng.randrange(500, 20_000),
                lines=self.rng.randrange(1, 6),
            )
        if day.day == 1 and self.members:
            self._expire(out, opened)
        expected = float_ + cash
        counted = expected + self.rng.choice((0, 0, 0, 0, -100, 100, -1000, 50))
        out.add(
            Shift,
            {
                "id": shift_id,
                "terminal_id": self.terminal_id,
                "status": "closed",
                "opened_by": cashier,
                "opened_at": opened,
                "opening_float": float_,
                "closed_by": self.supervisor,
                "closed_at": closed,
                "expected_cash": expected,
                "counted_cash": counted,
                "variance": counted - expected,
                "counts": {"10000": counted // 10000, "10": (counted % 10000) // 10},
            },
        )
        out.add(
            CashMovement,
            {
                "id": new_id(),
                "shift_id": shift_id,
                "kind": "float",
                "amount": float_,
                "reason": "opening float",
                "user_id": cashier,
                "created_at": opened,
            },
        )
        self.summary.days += 1
        return out

    def _receipt(self) -> tuple[int, str]:
        seq = self.seq
        self.seq += 1
        return seq, f"{self.prefix}{seq:08d}"

    def _sale(self, out: _Day, at: datetime, shift_id: str, cashier: str) -> int:
        """One sale (and maybe its return); returns the cash it left in the drawer."""
        rng = self.rng
        member = self._member(at)
        business = business_day(at, self.tz, self.day_start)
        n = rng.choices(self.sizes, self.size_weights)[0]
        picks = rng.choices(self.items, cum_weights=self.cum, k=n)
        sale_id = new_id()
        lines: list[dict[str, Any]] = []
        adjustments: list[dict[str, Any]] = []
        for no, item in enumerate(picks, start=1):
            if item.sold_by == "weight":
                qty = rng.randrange(150, 1500)
                gross = mul_div_half_up(item.price, qty, 1000)
            else:
                qty = rng.choice((1, 1, 1, 1, 2, 2, 3))
                gross = item.price * qty
            off = 0
            if rng.random() < 0.15 and gross >= 100:
                off = gross // 10
                adjustments.append(
                    {
                        "id": new_id(),
                        "sale_id": sale_id,
                        "rule_id": rng.choice(self.promotions[:6]),
                        "step": "item",
                        "label": "促销",
                        "amount": off,
                        "line_no": no,
                        "business_day": business,
                    }
                )
            lines.append(
                {
                    "id": new_id(),
                    "sale_id": sale_id,
                    "line_no": no,
                    "product_id": item.id,
                    "sku": item.sku,
                    "name": item.name,
                    "qty": qty,
                    "unit_price": item.price,
                    "gross": gross,
                    "discount": off,
                    "points_value": 0,
                    "points_redeemed": 0,
                    "sold_by": item.sold_by,
                    "vat": item.vat,
                    "is_gift": False,
                    "override_reason": "",
                    "reward_id": None,
                    "returned_line_id": None,
                    "business_day": business,
                    "_earns": item.earns,
                }
            )
        subtotal = sum(x["gross"] for x in lines)
        after_items = subtotal - sum(x["discount"] for x in lines)
        # a basket threshold promotion (满减)
        if after_items >= 10_000 and rng.random() < 0.5:
            self._spread(lines, 1000, "discount")
            adjustments.append(
                self._adj(
                    sale_id, self.promotions[6 % len(self.promotions)], "threshold", 1000, business
                )
            )
        coupon_code = None
        if member is not None:
            codes = self.open_coupons.get(member[0])
            if codes and rng.random() < 0.4 and after_items >= 3000:
                coupon_code = codes.pop()
                amount = 500
                self._spread(lines, amount, "discount")
                definition = self.coupons[coupon_code]["definition_id"]
                adjustments.append(self._adj(sale_id, definition, "coupon", amount, business))
                self.coupons[coupon_code]["status"] = "redeemed"
                self.redemptions.append(
                    {
                        "id": new_id(),
                        "coupon_code": coupon_code,
                        "sale_id": sale_id,
                        "kind": "redeem",
                        "amount": amount,
                        "created_at": at,
                    }
                )
        for x in lines:
            x["net"] = x["gross"] - x["discount"]
        net_total = sum(x["net"] for x in lines)
        points_redeemed = 0
        points_value = 0
        if member is not None and rng.random() < 0.05 and net_total >= 2000:
            points_redeemed = rng.randrange(5, 11) * 100
            points_value = points_redeemed  # 100 points = 1 yuan = 100 fen
            adjustments.append(self._adj(sale_id, "points", "points", points_value, business))
        for x, part in zip(lines, allocate(points_value, [x["net"] for x in lines]), strict=True):
            x["points_value"] = part
            x["paid"] = x["net"] - part
            x["tax"] = vat_of(x["paid"], x["vat"])
        for x, part in zip(
            lines, allocate(points_redeemed, [x["net"] for x in lines]), strict=True
        ):
            x["points_redeemed"] = part
        payable = sum(x["paid"] for x in lines)
        earned = 0
        if member is not None:
            earned = sum(x["paid"] for x in lines if x["_earns"]) // 100
            for x, part in zip(
                lines,
                allocate(earned, [x["paid"] if x["_earns"] else 0 for x in lines]),
                strict=True,
            ):
                x["points_earned"] = part
        else:
            for x in lines:
                x["points_earned"] = 0
        method = rng.choices(TENDERS, TENDER_WEIGHTS)[0]
        if method == "stored_value" and member is None:
            method = "cash"
        tendered = payable
        change = 0
        if method == "cash":
            tendered = -(-payable // 1000) * 1000
            change = tendered - payable
        seq, receipt_no = self._receipt()
        returned = rng.random() < 0.01 and len(lines) >= 1
        out.add(
            Sale,
            {
                "id": sale_id,
                "receipt_no": receipt_no,
                "seq": seq,
                "kind": "sale",
                "status": "partly_returned" if returned else "completed",
                "original_sale_id": None,
                "terminal_id": self.terminal_id,
                "shift_id": shift_id,
                "cashier_id": cashier,
                "approved_by": None,
                "member_id": member[0] if member else None,
                "tier_code": member[1] if member else None,
                "subtotal": subtotal,
                "discount_total": sum(x["discount"] for x in lines),
                "points_redeemed": points_redeemed,
                "points_value": points_value,
                "rounding": 0,
                "payable": payable,
                "points_earned": earned,
                "change_given": change,
                "reward_points": 0,
                "extras": {},
                "reason": "",
                "created_at": at,
                "tz": str(self.tz),
                "business_day": business,
                "explanation": [],
            },
        )
        for x in lines:
            x.pop("_earns")
            out.add(SaleLine, x)
        seen: set[tuple[str, str]] = set()
        for a in adjustments:
            a["sale_payable"] = payable
            a["rule_first"] = int((a["step"], a["rule_id"]) not in seen)
            seen.add((a["step"], a["rule_id"]))
            out.add(SaleAdjustment, a)
        out.add(
            Payment,
            {
                "id": new_id(),
                "sale_id": sale_id,
                "method": method,
                "amount": payable,
                "tendered": tendered,
                "reference": "",
                "business_day": business,
                "sale_kind": "sale",
            },
        )
        if member is not None:
            if earned:
                out.add(PointsEntry, self._points(member[0], "earn", earned, sale_id, at, business))
            if points_redeemed:
                out.add(
                    PointsEntry, self._points(member[0], "redeem", -points_redeemed, sale_id, at)
                )
            if method == "stored_value":
                out.add(
                    StoredValueEntry,
                    self._sv(member[0], "spend", "principal", -payable, at, sale_id),
                )
            if rng.random() < 0.03:
                self._issue_coupon(member[0], sale_id, at)
        self.summary.sales += 1
        self.summary.lines += len(lines)
        cash = payable if method == "cash" else 0
        if returned:
            cash += self._return(out, at, shift_id, cashier, sale_id, lines, method, member)
        return cash

    def _adj(self, sale_id: str, rule_id: str, step: str, amount: int, day: date) -> dict[str, Any]:
        return {
            "business_day": day,
            "id": new_id(),
            "sale_id": sale_id,
            "rule_id": rule_id,
            "step": step,
            "label": step,
            "amount": amount,
            "line_no": None,
        }

    @staticmethod
    def _spread(lines: list[dict[str, Any]], amount: int, key: str) -> None:
        weights = [x["gross"] - x["discount"] for x in lines]
        amount = min(amount, sum(weights))
        for x, part in zip(lines, allocate(amount, weights), strict=True):
            x[key] += part

    def _points(
        self,
        member_id: str,
        kind: str,
        points: int,
        sale_id: str | None,
        at: datetime,
        earned_on: date | None = None,
    ) -> dict[str, Any]:
        return {
            "id": new_id(),
            "member_id": member_id,
            "kind": kind,
            "points": points,
            "lot_id": None,
            "expires_on": expiry_for(earned_on, "end_of_next_year") if earned_on else None,
            "sale_id": sale_id,
            "reason": "",
            "origin": "till",
            "created_at": at,
        }

    def _sv(
        self,
        member_id: str,
        kind: str,
        bucket: str,
        amount: int,
        at: datetime,
        sale_id: str | None,
    ) -> dict[str, Any]:
        return {
            "id": new_id(),
            "member_id": member_id,
            "kind": kind,
            "bucket": bucket,
            "amount": amount,
            "sale_id": sale_id,
            "record_id": sale_id,
            "origin": "till",
            "reason": "",
            "created_at": at,
        }

    def _issue_coupon(self, member_id: str, sale_id: str, at: datetime) -> None:
        if not self.coupon_defs:
            return
        code = f"HC{len(self.coupons) + 1:08d}"
        self.coupons[code] = {
            "code": code,
            "definition_id": self.coupon_defs[len(self.coupons) % len(self.coupon_defs)],
            "member_id": member_id,
            "status": "issued",
            "valid_from": at,
            "valid_to": at + timedelta(days=60),
            "issued_sale_id": sale_id,
            "issued_by": "P-RET",
        }
        self.open_coupons.setdefault(member_id, []).append(code)

    def _return(
        self,
        out: _Day,
        sold_at: datetime,
        shift_id: str,
        cashier: str,
        sale_id: str,
        lines: list[dict[str, Any]],
        method: str,
        member: tuple[str, str] | None,
    ) -> int:
        """Return the first line of a sale a little later; returns the cash given back."""
        line = lines[0]
        at = sold_at + timedelta(minutes=self.rng.randrange(5, 90))
        seq, receipt_no = self._receipt()
        ret_id = new_id()
        business = business_day(at, self.tz, self.day_start)
        out.add(
            Sale,
            {
                "id": ret_id,
                "receipt_no": receipt_no,
                "seq": seq,
                "kind": "return",
                "status": "completed",
                "original_sale_id": sale_id,
                "terminal_id": self.terminal_id,
                "shift_id": shift_id,
                "cashier_id": cashier,
                "approved_by": self.supervisor,
                "member_id": member[0] if member else None,
                "tier_code": member[1] if member else None,
                "subtotal": -line["gross"],
                "discount_total": -line["discount"],
                "points_redeemed": -line["points_redeemed"],
                "points_value": -line["points_value"],
                "rounding": 0,
                "payable": -line["paid"],
                "points_earned": -line["points_earned"],
                "change_given": 0,
                "reward_points": 0,
                "extras": {},
                "reason": "顾客退货",
                "created_at": at,
                "tz": str(self.tz),
                "business_day": business,
                "explanation": [],
            },
        )
        out.add(
            SaleLine,
            {
                **line,
                "id": new_id(),
                "sale_id": ret_id,
                "line_no": 1,
                "qty": -line["qty"],
                "gross": -line["gross"],
                "discount": -line["discount"],
                "points_value": -line["points_value"],
                "points_redeemed": -line["points_redeemed"],
                "net": -line["net"],
                "paid": -line["paid"],
                "tax": -line["tax"],
                "points_earned": -line["points_earned"],
                "returned_line_id": line["id"],
                "business_day": business,
            },
        )
        out.add(
            Payment,
            {
                "id": new_id(),
                "sale_id": ret_id,
                "method": method,
                "amount": -line["paid"],
                "tendered": -line["paid"],
                "reference": "",
                "business_day": business,
                "sale_kind": "return",
            },
        )
        if member is not None and line["points_earned"]:
            out.add(
                PointsEntry,
                self._points(member[0], "reverse", -line["points_earned"], ret_id, at),
            )
        if method == "stored_value" and member is not None:
            out.add(
                StoredValueEntry,
                self._sv(member[0], "refund", "principal", line["paid"], at, ret_id),
            )
        self.summary.returns += 1
        return -line["paid"] if method == "cash" else 0

    def _topup(self, out: _Day, at: datetime, shift_id: str, cashier: str) -> int:
        member = self._member(at) if self.members else None
        if member is None:
            return 0
        amount = self.rng.choice((20_000, 50_000, 100_000))
        bonus = amount // 10
        method = self.rng.choice(("cash", "wechat", "alipay"))
        seq, receipt_no = self._receipt()
        topup_id = new_id()
        day = business_day(at, self.tz, self.day_start)
        out.add(
            Sale,
            {
                "id": topup_id,
                "receipt_no": receipt_no,
                "seq": seq,
                "kind": "topup",
                "status": "completed",
                "original_sale_id": None,
                "terminal_id": self.terminal_id,
                "shift_id": shift_id,
                "cashier_id": cashier,
                "approved_by": None,
                "member_id": member[0],
                "tier_code": member[1],
                "subtotal": amount,
                "discount_total": 0,
                "points_redeemed": 0,
                "points_value": 0,
                "rounding": 0,
                "payable": amount,
                "points_earned": 0,
                "change_given": 0,
                "reward_points": 0,
                "extras": {},
                "reason": "",
                "created_at": at,
                "tz": str(self.tz),
                "business_day": day,
                "explanation": [],
            },
        )
        out.add(
            Payment,
            {
                "id": new_id(),
                "sale_id": topup_id,
                "method": method,
                "amount": amount,
                "tendered": amount,
                "reference": "",
                "business_day": day,
                "sale_kind": "topup",
            },
        )
        out.add(StoredValueEntry, self._sv(member[0], "topup", "principal", amount, at, topup_id))
        out.add(StoredValueEntry, self._sv(member[0], "bonus", "bonus", bonus, at, topup_id))
        self.summary.topups += 1
        return amount if method == "cash" else 0

    def _audit(
        self,
        out: _Day,
        action: str,
        at: datetime,
        user: str,
        approved: str | None = None,
        **details: Any,
    ) -> None:
        out.add(
            AuditEvent,
            {
                "id": new_id(),
                "at": at,
                "terminal_id": self.terminal_id,
                "user_id": user,
                "approved_by": approved,
                "action": action,
                "target": "",
                "details": details,
            },
        )

    def _void(self, out: _Day, at: datetime, cashier: str) -> None:
        item = self.rng.choice(self.items)
        approved = self.supervisor if cashier != self.supervisor else None
        if self.rng.random() < 0.8:
            self._audit(out, "void_line", at, cashier, approved, sku=item.sku, qty=1)
        else:
            self._audit(out, "void_qty", at, cashier, approved, sku=item.sku, before=3, after=1)

    def _expire(self, out: _Day, at: datetime) -> None:
        for _ in range(min(50, len(self.members))):
            member_id = self.rng.choice(self.members)[0]
            out.add(
                PointsEntry,
                self._points(member_id, "expire", -self.rng.randrange(1, 20) * 50, None, at),
            )

    def write(self, out: _Day) -> None:
        for model in ORDER:
            rows = out.rows.get(model)
            if rows:
                self.conn.execute(insert(model), rows)

    def finish(self) -> None:
        if self.coupons:
            self.conn.execute(insert(Coupon), list(self.coupons.values()))
        if self.redemptions:
            self.conn.execute(insert(CouponRedemption), self.redemptions)
        self.conn.execute(
            update(Terminal)
            .where(Terminal.id == self.terminal_id)
            .values(next_receipt_seq=self.seq)
        )
        self.summary.counts = {"coupons": len(self.coupons), "redeemed": len(self.redemptions)}


def generate_history(
    db: Database,
    *,
    first: date,
    days: int,
    sales_per_day: int,
    lines_per_sale: int = 5,
    seed: int = 14,
    tz: ZoneInfo | None = None,
    day_start: time = time(0, 0),
    member_share: float = 0.45,  # float ok: shares of sales and members, not money
    joined_share: float = 0.3,  # float ok
    progress: Any = None,
) -> HistorySummary:
    """Write ``days`` days of trading from ``first`` into a demo store (see the module).

    ``sales_per_day`` varies ±20 % by day (weekends busier); ``joined_share``
    of the members get a joining date inside the history, the rest before it.
    ``progress(day_index)`` is called after each day, if given.
    """
    zone = tz or ZoneInfo("Asia/Shanghai")
    with db.engine.begin() as conn:
        gen = _Generator(
            conn,
            seed=seed,
            tz=zone,
            day_start=day_start,
            member_share=member_share,
            lines_per_sale=lines_per_sale,
        )
        gen.spread_members(first, days, joined_share)
        for k in range(days):
            day = first + timedelta(days=k)
            busy = 1.2 if day.weekday() >= 5 else 0.93
            count = max(1, int(sales_per_day * busy * gen.rng.uniform(0.9, 1.1)))
            gen.write(gen.day(day, count))
            if progress is not None:
                progress(k)
        gen.finish()
    return gen.summary

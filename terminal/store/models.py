"""The local store's schema (SQLAlchemy 2 ORM).

Amounts are integer fen, rates integer basis points, times aware UTC
(:class:`UTCDateTime`). Every record that travels to HQ has a UUID made here.
Schema changes go through Alembic revisions in ``terminal/migrations``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    literal_column,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from terminal.store.types import JSONText, UTCDateTime, new_id, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _id() -> Mapped[str]:
    return mapped_column(String(36), primary_key=True, default=new_id)


def _updated_at() -> Mapped[datetime]:
    """When the row last changed: set on insert and on every ORM or Core update.

    A restore with carry-over keeps the current store's row wherever this is
    newer than the backup's (see :mod:`terminal.store.carry`), so every table
    whose rows change after they are written has one.
    """
    return mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


# --- store, terminal, users -------------------------------------------------------------


class Store(Base):
    __tablename__ = "store"
    id: Mapped[str] = _id()
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    updated_at: Mapped[datetime] = _updated_at()


class Terminal(Base):
    __tablename__ = "terminal"
    id: Mapped[str] = _id()
    store_id: Mapped[str] = mapped_column(ForeignKey("store.id"))
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100), default="")
    next_receipt_seq: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = _updated_at()
    store: Mapped[Store] = relationship()


class User(Base):
    __tablename__ = "user"
    id: Mapped[str] = _id()
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    pin_hash: Mapped[str] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = _updated_at()
    __table_args__ = (
        CheckConstraint("role IN ('cashier','supervisor','manager','admin')", name="role"),
    )


# --- catalogue ----------------------------------------------------------------------------


class Category(Base):
    __tablename__ = "category"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("category.id"), nullable=True)
    updated_at: Mapped[datetime] = _updated_at()


class Product(Base):
    """A product. ``price`` is per unit, or per kg when ``sold_by`` is ``weight``.

    ``plu`` is the number a scale prints in its barcodes (称重码); ``vat`` the
    VAT rate code (13, 9, 6, 0 or exempt) the price includes.
    """

    __tablename__ = "product"
    id: Mapped[str] = _id()
    sku: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    category_id: Mapped[str] = mapped_column(ForeignKey("category.id"), index=True)
    price: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(8), default="件")
    discountable: Mapped[bool] = mapped_column(Boolean, default=True)
    earns_points: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = _updated_at()
    sold_by: Mapped[str] = mapped_column(String(8), default="unit", server_default="unit")
    plu: Mapped[str | None] = mapped_column(String(8), nullable=True)
    vat: Mapped[str] = mapped_column(String(8), default="13", server_default="13")
    barcodes: Mapped[list[ProductBarcode]] = relationship(
        back_populates="product", cascade="all, delete-orphan"
    )
    __table_args__ = (
        CheckConstraint("price >= 0", name="price"),
        CheckConstraint("sold_by IN ('unit','weight')", name="sold_by"),
        CheckConstraint("vat IN ('13','9','6','0','exempt')", name="vat"),
        Index("uq_product_plu", "plu", unique=True),
    )


class ProductBarcode(Base):
    __tablename__ = "product_barcode"
    barcode: Mapped[str] = mapped_column(String(32), primary_key=True)
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"), index=True)
    updated_at: Mapped[datetime] = _updated_at()
    product: Mapped[Product] = relationship(back_populates="barcodes")


# --- members and loyalty --------------------------------------------------------------


class Tier(Base):
    __tablename__ = "tier"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(32))
    rank: Mapped[int] = mapped_column(Integer, unique=True)
    threshold_points: Mapped[int] = mapped_column(Integer, default=0)
    discount_bp: Mapped[int] = mapped_column(Integer, default=0)
    points_multiplier_bp: Mapped[int] = mapped_column(Integer, default=10_000)
    updated_at: Mapped[datetime] = _updated_at()


class Member(Base):
    """Local replica of an HQ member. Personal fields are AES-GCM ciphertext."""

    __tablename__ = "member"
    id: Mapped[str] = _id()
    member_no: Mapped[str] = mapped_column(String(20), unique=True)
    tier_code: Mapped[str] = mapped_column(ForeignKey("tier.code"))
    status: Mapped[str] = mapped_column(String(12), default="active")
    name_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    phone_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    birthday_enc: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    phone_index: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    phone_last4_index: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    referrer_no: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = _updated_at()
    tier: Mapped[Tier] = relationship()
    __table_args__ = (
        CheckConstraint("status IN ('active','blocked','erased')", name="status"),
        Index("ix_member_report", "created_at", "status"),  # new members per period
    )


class MemberConsent(Base):
    """A consent given or withdrawn, with the version of the text the member saw."""

    __tablename__ = "member_consent"
    id: Mapped[str] = _id()
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # marketing | data_processing
    granted: Mapped[bool] = mapped_column(Boolean)
    text_version: Mapped[str] = mapped_column(String(32))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class MemberKey(Base):
    """A member app's public key (Ed25519), sent by HQ; several may be valid at once."""

    __tablename__ = "member_key"
    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), index=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = _updated_at()


class SeenCode(Base):
    """A dynamic member code already accepted at this till (replay detection)."""

    __tablename__ = "seen_code"
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(36))
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class PointsEntry(Base):
    """One line of the points ledger; a balance is the sum of ``points``.

    ``earn`` (and HQ ``opening``/positive ``adjust``) rows are lots with an
    expiry date; ``redeem``/``expire``/``reverse`` rows that consume a lot point
    at it through ``lot_id``, so a lot's remainder is derived, never stored.
    """

    __tablename__ = "points_entry"
    id: Mapped[str] = _id()
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"))
    kind: Mapped[str] = mapped_column(String(10))
    points: Mapped[int] = mapped_column(Integer)
    lot_id: Mapped[str | None] = mapped_column(ForeignKey("points_entry.id"), nullable=True)
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    sale_id: Mapped[str | None] = mapped_column(ForeignKey("sale.id"), nullable=True, index=True)
    reason: Mapped[str] = mapped_column(String(200), default="")
    origin: Mapped[str] = mapped_column(String(8), default="till")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (
        CheckConstraint(
            "kind IN ('earn','redeem','expire','adjust','reverse','opening','restore')",
            name="kind",
        ),
        Index("ix_points_entry_member", "member_id", "created_at"),
        Index("ix_points_entry_lot", "lot_id"),
        Index("ix_points_entry_report", "created_at", "kind", "points"),
    )


class StoredValueEntry(Base):
    """One line of the stored-value (储值) ledger; a balance is the sum of ``amount``.

    Two buckets never mix: ``principal`` (money the member paid in, refundable
    while unspent) and ``bonus`` (top-up bonuses, 充500送50). ``record_id`` is
    the id of the outbox record that carries the row to HQ (the top-up's or
    the sale's id), so the till knows which rows HQ has acknowledged; rows HQ
    sends (``origin`` hq) are known to HQ already. See terminal/stored_value.py.
    """

    __tablename__ = "stored_value_entry"
    id: Mapped[str] = _id()
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"))
    kind: Mapped[str] = mapped_column(String(16))
    bucket: Mapped[str] = mapped_column(String(10))
    amount: Mapped[int] = mapped_column(Integer)
    sale_id: Mapped[str | None] = mapped_column(ForeignKey("sale.id"), nullable=True, index=True)
    record_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    origin: Mapped[str] = mapped_column(String(8), default="till")
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (
        CheckConstraint(
            "kind IN ('opening','topup','bonus','spend','refund','topup_refund','bonus_void',"
            "'adjust')",
            name="kind",
        ),
        CheckConstraint("bucket IN ('principal','bonus')", name="bucket"),
        CheckConstraint("origin IN ('till','hq')", name="origin"),
        Index("ix_stored_value_entry_member", "member_id", "created_at"),
    )


class MemberPayPin(Base):
    """A member's own payment PIN (argon2id hash) for paying by stored value."""

    __tablename__ = "member_pay_pin"
    member_id: Mapped[str] = mapped_column(ForeignKey("member.id"), primary_key=True)
    pin_hash: Mapped[str] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = _updated_at()


# --- promotions and coupons ------------------------------------------------------------


class PromotionRow(Base):
    """A promotion as JSON data (see docs/promotions.md); validated on load."""

    __tablename__ = "promotion"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSONText)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = _updated_at()


class RewardRow(Base):
    """An entry of the rewards catalogue (积分兑换) as JSON data; validated on load."""

    __tablename__ = "reward"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSONText)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = _updated_at()


class PromotionUse(Base):
    """A use of a promotion with limits, counted at this till (HQ reconciles across tills).

    One row per sale line the promotion covered (``units``); ``times`` is 1 on
    the first row of a sale. A return writes rows with negative counts.
    """

    __tablename__ = "promotion_use"
    id: Mapped[str] = _id()
    rule_id: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[str | None] = mapped_column(ForeignKey("member.id"), nullable=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sale.id"), index=True)
    sale_line_id: Mapped[str | None] = mapped_column(ForeignKey("sale_line.id"), nullable=True)
    business_day: Mapped[date] = mapped_column(Date)
    times: Mapped[int] = mapped_column(Integer, default=0)
    units: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (
        Index("ix_promotion_use_rule", "rule_id", "business_day"),
        Index("ix_promotion_use_member", "member_id", "rule_id"),
    )


class PromotionTotal(Base):
    """What a limited promotion has used in the whole chain, as HQ last counted it (feed).

    ``times`` (sales) and ``units`` are HQ's totals over every till, this
    till's synced sales included; :func:`terminal.promotion_use.usage` adds
    this till's uses HQ has not counted yet.
    """

    __tablename__ = "promotion_total"
    rule_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    times: Mapped[int] = mapped_column(Integer, default=0)
    units: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = _updated_at()


class CouponDefinitionRow(Base):
    __tablename__ = "coupon_definition"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSONText)
    updated_at: Mapped[datetime] = _updated_at()


class Coupon(Base):
    """One issued coupon code. ``status`` moves issued -> redeemed (-> issued on a full return).

    A coupon this till issued (满额返券, a coupon reward) names the sale that
    issued it and the rule or reward (``issued_by``), and has its own window;
    a return that cancels it moves it to ``void``.
    """

    __tablename__ = "coupon"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    definition_id: Mapped[str] = mapped_column(ForeignKey("coupon_definition.id"))
    member_id: Mapped[str | None] = mapped_column(
        ForeignKey("member.id"), nullable=True, index=True
    )
    status: Mapped[str] = mapped_column(String(10), default="issued")
    updated_at: Mapped[datetime] = _updated_at()
    valid_from: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    valid_to: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    issued_sale_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    issued_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    __table_args__ = (CheckConstraint("status IN ('issued','redeemed','void')", name="status"),)


class CouponRedemption(Base):
    __tablename__ = "coupon_redemption"
    id: Mapped[str] = _id()
    coupon_code: Mapped[str] = mapped_column(ForeignKey("coupon.code"), index=True)
    sale_id: Mapped[str] = mapped_column(ForeignKey("sale.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # redeem | restore
    amount: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- shifts and cash -------------------------------------------------------------------


class Shift(Base):
    __tablename__ = "shift"
    id: Mapped[str] = _id()
    terminal_id: Mapped[str] = mapped_column(ForeignKey("terminal.id"))
    status: Mapped[str] = mapped_column(String(8), default="open")
    opened_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opening_float: Mapped[int] = mapped_column(Integer)
    closed_by: Mapped[str | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    expected_cash: Mapped[int | None] = mapped_column(Integer, nullable=True)
    counted_cash: Mapped[int | None] = mapped_column(Integer, nullable=True)
    variance: Mapped[int | None] = mapped_column(Integer, nullable=True)
    counts: Mapped[dict[str, int] | None] = mapped_column(JSONText, nullable=True)
    updated_at: Mapped[datetime] = _updated_at()
    __table_args__ = (
        CheckConstraint("status IN ('open','closed')", name="status"),
        # one open shift per terminal, enforced by the database itself
        Index(
            "uq_shift_open_per_terminal",
            "terminal_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )


class CashMovement(Base):
    __tablename__ = "cash_movement"
    id: Mapped[str] = _id()
    shift_id: Mapped[str] = mapped_column(ForeignKey("shift.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))  # float | in | out
    amount: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(200), default="")
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ZReport(Base):
    """The end-of-day Z report of one terminal for one business day: taken once, never changed.

    ``z_no`` counts the terminal's Z reports 1, 2, 3 … without gaps; ``figures``
    holds the report as it was taken (see :mod:`terminal.reports.zreport`).
    Triggers in the schema refuse any UPDATE or DELETE, so a Z report is
    immutable whoever writes to the file.
    """

    __tablename__ = "z_report"
    id: Mapped[str] = _id()
    terminal_id: Mapped[str] = mapped_column(ForeignKey("terminal.id"))
    z_no: Mapped[int] = mapped_column(Integer)
    business_day: Mapped[date] = mapped_column(Date)
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    taken_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    figures: Mapped[dict[str, Any]] = mapped_column(JSONText)
    __table_args__ = (
        Index("uq_z_report_day", "terminal_id", "business_day", unique=True),
        Index("uq_z_report_no", "terminal_id", "z_no", unique=True),
    )


# --- sales --------------------------------------------------------------------------------


class Sale(Base):
    """A committed sale or return (``kind``); immutable once written, except ``status``.

    Status transitions of a sale: completed -> partly_returned -> returned.
    A return row (kind ``return``) is always ``completed`` and points at its origin.
    A stored-value top-up is a row of kind ``topup`` (no lines; its payments are
    the money taken) and its refund one of kind ``topup_refund``.
    ``reward_points`` are the points rewards (积分兑换) spent; ``extras`` holds
    what a return must know beyond the lines (the basis of coupons issued).
    """

    __tablename__ = "sale"
    id: Mapped[str] = _id()
    receipt_no: Mapped[str] = mapped_column(String(32), unique=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8), default="sale")
    status: Mapped[str] = mapped_column(String(16), default="completed")
    original_sale_id: Mapped[str | None] = mapped_column(
        ForeignKey("sale.id"), nullable=True, index=True
    )
    terminal_id: Mapped[str] = mapped_column(ForeignKey("terminal.id"))
    shift_id: Mapped[str] = mapped_column(ForeignKey("shift.id"), index=True)
    cashier_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    approved_by: Mapped[str | None] = mapped_column(ForeignKey("user.id"), nullable=True)
    member_id: Mapped[str | None] = mapped_column(
        ForeignKey("member.id"), nullable=True, index=True
    )
    tier_code: Mapped[str | None] = mapped_column(String(16), nullable=True)
    subtotal: Mapped[int] = mapped_column(Integer)
    discount_total: Mapped[int] = mapped_column(Integer)
    points_redeemed: Mapped[int] = mapped_column(Integer, default=0)
    points_value: Mapped[int] = mapped_column(Integer, default=0)
    rounding: Mapped[int] = mapped_column(Integer, default=0)
    payable: Mapped[int] = mapped_column(Integer)
    points_earned: Mapped[int] = mapped_column(Integer, default=0)
    change_given: Mapped[int] = mapped_column(Integer, default=0)
    reward_points: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    extras: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict, server_default="{}")
    reason: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    tz: Mapped[str] = mapped_column(String(64))
    business_day: Mapped[date] = mapped_column(Date, index=True)
    explanation: Mapped[list[str]] = mapped_column(JSONText, default=list)
    updated_at: Mapped[datetime] = _updated_at()
    lines: Mapped[list[SaleLine]] = relationship(
        back_populates="sale", order_by="SaleLine.line_no", cascade="all, delete-orphan"
    )
    # in the order paid (the order written): refund slips and receipts list tenders so;
    # rowid names the table itself, so load them lazily or with selectinload, not joined
    payments: Mapped[list[Payment]] = relationship(
        back_populates="sale",
        cascade="all, delete-orphan",
        order_by=lambda: literal_column("payment.rowid"),
    )
    adjustments: Mapped[list[SaleAdjustment]] = relationship(
        back_populates="sale", cascade="all, delete-orphan"
    )
    __table_args__ = (
        CheckConstraint("kind IN ('sale','return','topup','topup_refund')", name="kind"),
        CheckConstraint("status IN ('completed','partly_returned','returned')", name="status"),
        Index("uq_sale_terminal_seq", "terminal_id", "seq", unique=True),
        # the reports' figures of a sale, read from the index alone (docs/reports.md)
        Index(
            "ix_sale_report",
            "business_day",
            "kind",
            "member_id",
            "payable",
            "subtotal",
            "discount_total",
            "cashier_id",
            "tier_code",
            "created_at",
            "reward_points",
            "id",
        ),
    )


class SaleLine(Base):
    __tablename__ = "sale_line"
    id: Mapped[str] = _id()
    sale_id: Mapped[str] = mapped_column(ForeignKey("sale.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[str] = mapped_column(ForeignKey("product.id"))
    sku: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(100))
    qty: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[int] = mapped_column(Integer)
    gross: Mapped[int] = mapped_column(Integer)
    discount: Mapped[int] = mapped_column(Integer)
    points_value: Mapped[int] = mapped_column(Integer, default=0)
    points_redeemed: Mapped[int] = mapped_column(Integer, default=0)
    net: Mapped[int] = mapped_column(Integer)
    paid: Mapped[int] = mapped_column(Integer)
    points_earned: Mapped[int] = mapped_column(Integer, default=0)
    is_gift: Mapped[bool] = mapped_column(Boolean, default=False)
    override_reason: Mapped[str] = mapped_column(String(200), default="")
    # qty is grams when sold_by is "weight" (unit_price per kg); vat the rate code, tax
    # the VAT inside paid; reward_id the reward (积分兑换) the line was bought with
    sold_by: Mapped[str] = mapped_column(String(8), default="unit", server_default="unit")
    vat: Mapped[str] = mapped_column(String(8), default="13", server_default="13")
    tax: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    reward_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    returned_line_id: Mapped[str | None] = mapped_column(
        ForeignKey("sale_line.id"), nullable=True, index=True
    )
    # the sale's business day, repeated so reports read lines without joining the sale
    business_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    sale: Mapped[Sale] = relationship(back_populates="lines")
    __table_args__ = (
        Index(
            "ix_sale_line_report",
            "business_day",
            "product_id",
            "sold_by",
            "qty",
            "gross",
            "paid",
            "tax",
            "vat",
        ),
        # the same, product (and VAT) first: a long period's per-product sums read in
        # order, unsorted
        Index(
            "ix_sale_line_product_report",
            "product_id",
            "vat",
            "business_day",
            "sold_by",
            "qty",
            "gross",
            "paid",
            "tax",
        ),
        Index(
            "ix_sale_line_reward",
            "business_day",
            sqlite_where=text("reward_id IS NOT NULL"),
            postgresql_where=text("reward_id IS NOT NULL"),
        ),
    )


class SaleAdjustment(Base):
    """Why a price changed: one row per adjustment the pricing made."""

    __tablename__ = "sale_adjustment"
    id: Mapped[str] = _id()
    sale_id: Mapped[str] = mapped_column(ForeignKey("sale.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(64))
    step: Mapped[str] = mapped_column(String(12))
    label: Mapped[str] = mapped_column(String(200))
    amount: Mapped[int] = mapped_column(Integer)
    # the sale line it applied to, for an adjustment of one line (an item promotion,
    # a gift, a manual discount); None for one spread over the basket
    line_no: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # the sale's business day, repeated so reports read adjustments without the sale
    business_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    # the sale's amount, and 1 on the first adjustment a rule made on the sale: the
    # promotion report counts each sale once from the index alone (revision 0007)
    sale_payable: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rule_first: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sale: Mapped[Sale] = relationship(back_populates="adjustments")
    __table_args__ = (
        Index(
            "ix_sale_adjustment_report",
            "business_day",
            "step",
            "rule_id",
            "rule_first",
            "amount",
            "sale_payable",
        ),
    )


class Payment(Base):
    __tablename__ = "payment"
    id: Mapped[str] = _id()
    sale_id: Mapped[str] = mapped_column(ForeignKey("sale.id"), index=True)
    method: Mapped[str] = mapped_column(String(12))
    amount: Mapped[int] = mapped_column(Integer)
    tendered: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(64), default="")
    # the sale's business day and kind, repeated so the tender report reads payments
    # without finding their sales (revision 0007)
    business_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    sale_kind: Mapped[str | None] = mapped_column(String(12), nullable=True)
    sale: Mapped[Sale] = relationship(back_populates="payments")
    __table_args__ = (
        CheckConstraint(
            "method IN ('cash','card','wechat','alipay','stored_value')", name="method"
        ),
        # by day first: a sale's own payments are still found through ix_payment_sale_id
        Index("ix_payment_report", "business_day", "sale_kind", "method", "amount"),
    )


class SuspendedBasket(Base):
    __tablename__ = "suspended_basket"
    id: Mapped[str] = _id()
    terminal_id: Mapped[str] = mapped_column(ForeignKey("terminal.id"))
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    label: Mapped[str] = mapped_column(String(64), default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PrintJob(Base):
    """A document waiting for (or done on) the receipt printer.

    The document is the printer-independent receipt (JSON) built by the core;
    a job that failed (printer off, paper out) stays ``failed`` for reprint
    and never blocks or loses the sale it belongs to. ``sent`` is recorded
    before the bytes go out and lasts until the printer confirms; ``sent_at``
    says the printer may have printed the job already, so its next print is
    marked as a copy (see ``terminal/print_jobs.py``).
    """

    __tablename__ = "print_job"
    id: Mapped[str] = _id()
    kind: Mapped[str] = mapped_column(String(16))  # receipt | refund | z_report | reprint
    sale_id: Mapped[str | None] = mapped_column(ForeignKey("sale.id"), nullable=True, index=True)
    document: Mapped[dict[str, Any]] = mapped_column(JSONText)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")  # a message code
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    printed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    updated_at: Mapped[datetime] = _updated_at()
    __table_args__ = (
        CheckConstraint("status IN ('pending','sent','printed','failed')", name="status"),
    )


# --- audit and outbox ------------------------------------------------------------------


class AuditEvent(Base):
    """Who did what sensitive thing, when. Never holds personal data in clear."""

    __tablename__ = "audit_event"
    id: Mapped[str] = _id()
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    terminal_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    user_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    approved_by: Mapped[str | None] = mapped_column(String(36), nullable=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    target: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSONText, default=dict)


class OutboxRow(Base):
    """A record waiting to reach HQ (transactional outbox).

    Written in the same transaction as the record it carries; the sync agent
    sends rows in ``id`` order and marks ``sent_at`` once HQ acknowledged them.
    A row HQ rejected is parked (``parked_at``, reason in ``last_error``).
    """

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(24))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = _updated_at()
    # HQ rejected it (last_error says why): parked for the manager, never sent again
    parked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class SyncState(Base):
    """Facts of the sync with HQ: its URL, the sealed credential, the feed cursor."""

    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = _updated_at()


class HqPolicy(Base):
    """A setting HQ decides for every till (``offline_max_hours``, ``daily_cap_points`` ...).

    Sent through the feed (entity ``hq_policy``); a name HQ unset is deleted.
    Read by :mod:`terminal.offline_policy`.
    """

    __tablename__ = "hq_policy"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = _updated_at()


class MemberRange(Base):
    """A block of member numbers HQ gave this till (``first``..``last``, both included).

    Numbers are the digits of ``M`` + 8 digits. Registration takes the next free
    number from these blocks (:mod:`terminal.member_ranges`), so a member
    registered offline gets a number no other till of the chain gives.
    """

    __tablename__ = "member_range"
    first: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (CheckConstraint("first >= 1 AND last >= first", name="span"),)


# --- the file itself ------------------------------------------------------------------------


class StoreMeta(Base):
    """Facts about the store file, e.g. ``program_version``: the posterm that last opened it.

    Lets an older posterm that finds a schema it does not know name the
    version to install.
    """

    __tablename__ = "store_meta"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))

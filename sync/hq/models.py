"""HQ's schema (SQLAlchemy 2 ORM), migrated by ``sync/hq/migrations``.

Identifiers of records are the UUIDs the tills made; HQ de-duplicates on
them through primary keys, so a record pushed twice (even by two requests at
once) is stored, and applied, once.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from terminal.store.types import UTCDateTime, new_id, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class HqBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class HqStore(HqBase):
    __tablename__ = "hq_store"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HqTerminal(HqBase):
    """A till HQ knows: its enrolment, credential (hashed), and last contact."""

    __tablename__ = "hq_terminal"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    store_id: Mapped[str] = mapped_column(ForeignKey("hq_store.id"))
    code: Mapped[str] = mapped_column(String(16))
    enroll_code_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    enroll_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    local_terminal_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_contact: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    clock_skew_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    program_version: Mapped[str] = mapped_column(String(32), default="")
    protocol_version: Mapped[int] = mapped_column(Integer, default=0)
    records_waiting: Mapped[int] = mapped_column(Integer, default=0)
    """What the till said it still had to send, at its last contact."""
    __table_args__ = (UniqueConstraint("store_id", "code", name="uq_hq_terminal_store_code"),)


class HqRecord(HqBase):
    """Every record a till pushed, once (the primary key is the till's UUID)."""

    __tablename__ = "hq_record"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    terminal_id: Mapped[str] = mapped_column(ForeignKey("hq_terminal.id"))
    store_id: Mapped[str] = mapped_column(ForeignKey("hq_store.id"))
    kind: Mapped[str] = mapped_column(String(24))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    __table_args__ = (Index("ix_hq_record_terminal", "terminal_id", "received_at"),)


class HqPoints(HqBase):
    """The chain's points ledger: every entry of every till (and HQ's own), once."""

    __tablename__ = "hq_points"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    points: Mapped[int] = mapped_column(Integer)
    lot_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    expires_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    record_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HqCouponUse(HqBase):
    """A coupon redeemed (or given back by a return) in a record; finds double spending."""

    __tablename__ = "hq_coupon_use"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    record_id: Mapped[str] = mapped_column(String(36))
    store_id: Mapped[str] = mapped_column(String(36))
    restored: Mapped[bool] = mapped_column(Boolean, default=False)


class HqStoredValue(HqBase):
    """The chain's stored-value (储值) ledger: every till's top-ups and spending, once.

    ``bucket`` keeps paid principal and top-up bonus apart, as at the till;
    a member's balance is the sum of their rows (see :mod:`sync.hq.value`).
    """

    __tablename__ = "hq_stored_value"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(36), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    bucket: Mapped[str] = mapped_column(String(10))
    amount: Mapped[int] = mapped_column(Integer)
    record_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    terminal_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HqRuleUse(HqBase):
    """A use of a limited promotion (限量, 每人限享/限购) in a record; negative on returns."""

    __tablename__ = "hq_rule_use"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule_id: Mapped[str] = mapped_column(String(64))
    member_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    record_id: Mapped[str] = mapped_column(String(36))
    terminal_id: Mapped[str] = mapped_column(String(36))
    business_day: Mapped[date] = mapped_column(Date)
    times: Mapped[int] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        Index("ix_hq_rule_use_rule", "rule_id", "business_day"),
        Index("ix_hq_rule_use_member", "member_id", "rule_id"),
    )


class HqMemberCodeUse(HqBase):
    """A dynamic member code (key id + time step) a synced sale was made with."""

    __tablename__ = "hq_member_code_use"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    key_id: Mapped[str] = mapped_column(String(32))
    step: Mapped[int] = mapped_column(BigInteger)
    terminal_id: Mapped[str] = mapped_column(String(36))
    record_id: Mapped[str] = mapped_column(String(36))
    member_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    used_at: Mapped[datetime] = mapped_column(UTCDateTime)
    __table_args__ = (Index("ix_hq_member_code_use_code", "key_id", "step"),)


class HqCoupon(HqBase):
    """One coupon code's life at HQ: issued -> redeemed (or void), and by which records.

    Filled in whichever order the records arrive: a use that reaches HQ before
    the sale that issued the coupon makes the row (``redeemed``, issuer
    unknown), and the issuing sale fills the issuer in later.
    """

    __tablename__ = "hq_coupon"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    status: Mapped[str] = mapped_column(String(10))
    definition_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    member_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    issued_record_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    redeemed_record_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    void_record_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HqConflict(HqBase):
    """Something two offline stores did that cannot both be true; both sales are kept."""

    __tablename__ = "hq_conflict"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(24))
    subject: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[str] = mapped_column(String(36))
    other_record_id: Mapped[str] = mapped_column(String(36))
    detected_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)


class HqEntity(HqBase):
    """The latest state of one row HQ owns, as the tills' feed sends it.

    ``seq`` is NULL while the change is waiting to be numbered: the feed
    numbers waiting rows under one lock right before it reads (see
    :mod:`sync.hq.feed`), so a number is only ever given to a committed
    change and a reader never skips one that commits late.
    """

    __tablename__ = "hq_entity"
    entity: Mapped[str] = mapped_column(String(32), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, default=0)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    __table_args__ = (
        Index("uq_hq_entity_seq", "seq", unique=True),
        Index(
            "ix_hq_entity_waiting",
            "rank",
            sqlite_where=text("seq IS NULL"),
            postgresql_where=text("seq IS NULL"),
        ),
    )


class HqMemberRange(HqBase):
    """A block of member numbers given to one terminal (``first``..``last``, both included).

    Blocks never overlap: they are handed out one at a time under a lock, each
    above every block before it, and ``first`` is unique besides (see
    :mod:`sync.hq.policy`).
    """

    __tablename__ = "hq_member_range"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    terminal_id: Mapped[str] = mapped_column(ForeignKey("hq_terminal.id"), index=True)
    first: Mapped[int] = mapped_column(BigInteger, unique=True)
    last: Mapped[int] = mapped_column(BigInteger, unique=True)
    allocated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HqMeta(HqBase):
    """Facts about HQ's database (``feed_floor``: the oldest cursor still served)."""

    __tablename__ = "hq_meta"
    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class HqMemberSale(HqBase):
    """What a member paid in one sale (negative for a return): the 12-month spend of tiers."""

    __tablename__ = "hq_member_sale"
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    member_id: Mapped[str] = mapped_column(String(36))
    business_day: Mapped[date] = mapped_column(Date)
    amount: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_hq_member_sale_member", "member_id", "business_day"),)


class HqLoyaltyGrant(HqBase):
    """Something HQ gives once (a referral, a welcome or a year's birthday coupon).

    The primary key is the once-guard: two requests granting the same thing
    at once meet on it, and only the one whose row went in grants.
    """

    __tablename__ = "hq_loyalty_grant"
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    subject: Mapped[str] = mapped_column(String(36), primary_key=True)
    period: Mapped[str] = mapped_column(String(8), primary_key=True, default="")
    ref: Mapped[str] = mapped_column(String(40), default="")
    """What was given: the points entry's id or the coupon's code."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class HqMemberPersonal(HqBase):
    """A member's personal data, sealed with HQ's data key (see :mod:`sync.hq.personal`).

    Each field is AES-GCM sealed, bound to the member id (and field); the phone
    is also kept as a keyed HMAC (``phone_index``) to find a member by phone.
    Nothing in clear. Replaces ``hq_member_birthday`` (revision 0005).
    """

    __tablename__ = "hq_member_personal"
    member_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    phone_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    birthday_sealed: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    phone_index: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

"""Helpers for tests that ring up sales on the demo store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from terminal import auth, shifts
from terminal.checkout import Checkout, SaleResult
from terminal.checkout_settings import CheckoutSettings
from terminal.store.database import Database
from terminal.store.models import Member, Product, ProductBarcode, Terminal
from terminal.tenders import Tender
from tests.conftest import DEMO_NOW, SHANGHAI

PINS = {
    "cashier": ("1001", "1111"),
    "supervisor": ("2001", "2222"),
    "manager": ("3001", "3333"),
    "admin": ("9001", "9999"),
}


@dataclass
class Shop:
    db: Database
    settings: CheckoutSettings
    cashier: auth.Actor
    supervisor: auth.Actor
    manager: auth.Actor
    now: datetime

    def checkout(self, actor: auth.Actor | None = None) -> Checkout:
        return Checkout(self.db, self.settings, actor or self.cashier, clock=lambda: self.now)


def login(db: Database, role: str, now: datetime = DEMO_NOW) -> auth.Actor:
    username, pin = PINS[role]
    with db.transaction() as session:
        return auth.login(session, username, pin, now=now)


def till_settings(db: Database) -> CheckoutSettings:
    with db.sessions() as session:
        terminal = session.scalars(select(Terminal)).one()
    return CheckoutSettings(terminal_id=terminal.id, receipt_prefix="S001T01-", tz=SHANGHAI)


def make_till(db: Database, *, open_shift: bool = True, now: datetime = DEMO_NOW) -> Shop:
    settings = till_settings(db)
    till = Shop(
        db,
        settings,
        login(db, "cashier", now),
        login(db, "supervisor", now),
        login(db, "manager", now),
        now,
    )
    if open_shift:
        with db.transaction() as session:
            shifts.open_shift(
                session,
                terminal_id=settings.terminal_id,
                actor=till.cashier,
                opening_float=50_000,
                now=now,
            )
    return till


def barcode_of(db: Database, sku: str) -> str:
    with db.sessions() as session:
        return session.scalars(
            select(ProductBarcode.barcode).join(Product).where(Product.sku == sku)
        ).one()


def member_no(db: Database, tier: str = "normal", nth: int = 0) -> str:
    with db.sessions() as session:
        return session.scalars(
            select(Member.member_no).where(Member.tier_code == tier).order_by(Member.member_no)
        ).all()[nth]


def ring(
    till: Shop,
    items: list[tuple[str, int]],
    *,
    member: str | None = None,
    coupon: str | None = None,
    points: int = 0,
    tenders: list[Tender] | None = None,
) -> SaleResult:
    """Ring up and pay one sale (cash with a little change unless ``tenders`` say otherwise)."""
    co = till.checkout()
    for sku, qty in items:
        co.add(sku, qty)
    if member:
        co.attach_member(member)
    if coupon:
        co.apply_coupon(coupon)
    if points:
        co.set_redeem_points(points)
    priced = co.quote()
    return co.pay(tenders or [Tender("cash", priced.payable + 1000)])

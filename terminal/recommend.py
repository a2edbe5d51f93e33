"""个性化推荐 at the till: the member's usual items that are not in today's basket.

Computed from this till's local sales history only (no network, no profile
sent anywhere): the products a member bought on the most separate visits in
the last :data:`WINDOW_DAYS` days, most recent first among equals, still for
sale, not in the basket, not gifts and not returned in full.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from terminal.store.models import Product, Sale, SaleLine

WINDOW_DAYS = 180


@dataclass(frozen=True)
class UsualItem:
    """A product the member often buys: how many visits included it, and its price now."""

    sku: str
    name: str
    price: int
    visits: int


def usual_items(
    session: Session,
    member_id: str,
    today: date,
    *,
    exclude_skus: Iterable[str] = (),
    limit: int = 3,
) -> list[UsualItem]:
    """Up to ``limit`` of the member's usual items, leaving out ``exclude_skus``."""
    excluded = set(exclude_skus)
    since = today - timedelta(days=WINDOW_DAYS)
    visits = func.count(func.distinct(SaleLine.sale_id))
    rows = session.execute(
        select(Product.sku, Product.name, Product.price, visits, func.max(Sale.business_day))
        .join(SaleLine, SaleLine.sale_id == Sale.id)
        .join(Product, Product.id == SaleLine.product_id)
        .where(
            Sale.member_id == member_id,
            Sale.kind == "sale",
            Sale.status != "returned",
            Sale.business_day >= since,
            SaleLine.is_gift.is_(False),
            Product.active.is_(True),
        )
        .group_by(Product.id)
        .order_by(visits.desc(), func.max(Sale.business_day).desc(), Product.sku)
        .limit(limit + len(excluded))
    ).all()
    found = [
        UsualItem(sku, name, price, int(n))
        for sku, name, price, n, _last in rows
        if sku not in excluded
    ]
    return found[:limit]

"""Importing the rewards catalogue (积分兑换): the JSON bodies of docs/promotions.md.

Each reward is validated by the pricing's own schema
(:func:`~terminal.pricing.rules.load_rewards`), so what imports is what the
till redeems. On top of the schema, what a reward names must exist in the
store: the product (``sku``) of a product reward, the coupon definition
(``coupon_id``) of a coupon reward, and the tiers it is limited to. A reward
whose id the store has is replaced and made active again; rewards not in the
file stay as they are.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal.imports.problems import ImportRefused, RowProblem
from terminal.imports.rows import Counts, chunks
from terminal.imports.rules import check_rules, store_bodies
from terminal.imports.sources import Source
from terminal.pricing.rules import load_rewards
from terminal.store.models import CouponDefinitionRow, Product, RewardRow, Tier


class _Catalogue:
    """The products, coupon definitions and tiers a reward may name."""

    def __init__(self, session: Session, bodies: list[dict[str, Any]]) -> None:
        skus = sorted({b["sku"] for b in bodies if isinstance(b.get("sku"), str)})
        self.skus: set[str] = set()
        for batch in chunks(skus):
            self.skus.update(session.scalars(select(Product.sku).where(Product.sku.in_(batch))))
        self.coupons = set(session.scalars(select(CouponDefinitionRow.id)))
        self.tiers = set(session.scalars(select(Tier.code)))

    def problems(self, row: int, reward: Any) -> list[RowProblem]:
        out: list[RowProblem] = []
        sku = getattr(reward, "sku", None)
        if sku is not None and sku not in self.skus:
            out.append(RowProblem(row, "sku", "import_unknown_reference", {"values": sku}))
        coupon = getattr(reward, "coupon_id", None)
        if coupon is not None and coupon not in self.coupons:
            out.append(RowProblem(row, "coupon_id", "import_unknown_reference", {"values": coupon}))
        missing = [t for t in reward.tiers or () if t not in self.tiers]
        if missing:
            out.append(
                RowProblem(row, "tiers", "import_unknown_reference", {"values": ", ".join(missing)})
            )
        return out


def import_rewards(session: Session, source: Source, *, dry_run: bool, now: datetime) -> Counts:
    """Check every reward, then (unless ``dry_run``) store them all in ``session``."""
    bodies = [(r.row, r.values) for r in source.rows]
    catalogue = _Catalogue(session, [b for _, b in bodies])
    rewards, problems = check_rules(bodies, load_rewards, catalogue.problems)
    problems = [*source.problems, *problems]
    if problems:
        raise ImportRefused(source.name, problems)
    counts = Counts()
    store_bodies(session, RewardRow, rewards, counts, dry_run=dry_run, now=now)
    return counts

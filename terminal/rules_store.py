"""Promotions and coupons as the till reads them from the local store.

Rules are JSON rows (see docs/promotions.md), validated by the pricing schema
when loaded. They change only when HQ sends new ones, so a :class:`RuleCache`
keeps them parsed between re-pricings; coupons are read fresh every time
because their status changes with every sale.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal.catalogue import product_info, products_by_sku
from terminal.pricing.model import CouponInstance, ProductInfo, RuleSet, RuleUsage
from terminal.pricing.rules import (
    CouponDefinition,
    Promotion,
    Reward,
    RuleError,
    load_coupon_definitions,
    load_promotions,
    load_rewards,
)
from terminal.store.models import Coupon, CouponDefinitionRow, PromotionRow, RewardRow

log = logging.getLogger(__name__)
T = TypeVar("T")


def _valid(
    bodies: Iterable[Any], load: Callable[[list[Any]], list[T]], problems: list[str]
) -> list[T]:
    """Parse rows one by one: a malformed rule is left out and named, the rest still apply.

    Refusing to sell because one promotion from HQ is malformed would stop the
    store; selling without that one rule is the lesser harm, and the problem is
    logged and shown to the manager.
    """
    out: list[T] = []
    for body in bodies:
        try:
            out.extend(load([body]))
        except RuleError as exc:
            log.warning("rule left out: %s", exc)
            problems.append(str(exc))
    return out


class RuleCache:
    """Parsed promotions, coupon definitions, rewards and gift products; call :meth:`reload`
    on change.

    ``problems`` lists the rules that were left out because they are malformed.
    """

    def __init__(self) -> None:
        self._promotions: list[Promotion] | None = None
        self._definitions: dict[str, CouponDefinition] = {}
        self._rewards: dict[str, Reward] = {}
        self._gifts: dict[str, ProductInfo] = {}
        self.problems: list[str] = []

    def reload(self) -> None:
        self._promotions = None

    def _load(self, session: Session) -> list[Promotion]:
        if self._promotions is None:
            bodies = session.scalars(
                select(PromotionRow.body).where(PromotionRow.active.is_(True))
            ).all()
            self.problems = []
            self._promotions = _valid(bodies, load_promotions, self.problems)
            defs = session.scalars(select(CouponDefinitionRow.body)).all()
            self._definitions = {
                d.id: d for d in _valid(defs, load_coupon_definitions, self.problems)
            }
            rewards = session.scalars(select(RewardRow.body).where(RewardRow.active.is_(True)))
            self._rewards = {r.id: r for r in _valid(rewards.all(), load_rewards, self.problems)}
            gift_skus = {
                sku for p in self._promotions if (sku := getattr(p, "gift_sku", None)) is not None
            }
            self._gifts = {
                sku: product_info(p) for sku, p in products_by_sku(session, gift_skus).items()
            }
        return self._promotions

    def promotions(self, session: Session) -> list[Promotion]:
        return self._load(session)

    def rewards(self, session: Session) -> dict[str, Reward]:
        self._load(session)
        return self._rewards

    def limited(self, session: Session) -> list[Promotion]:
        """The promotions with limits (their usage must be counted)."""
        return [p for p in self._load(session) if p.limits is not None]

    def ruleset(
        self,
        session: Session,
        coupon_codes: Iterable[str],
        usage: dict[str, RuleUsage] | None = None,
    ) -> RuleSet:
        """The rules to price by; ``usage`` counts the limited promotions (see
        :mod:`terminal.promotion_use`)."""
        promotions = self._load(session)
        codes = list(coupon_codes)
        lookup: dict[str, CouponInstance] = {}
        if codes:
            for coupon in session.scalars(select(Coupon).where(Coupon.code.in_(codes))):
                definition = self._definitions.get(coupon.definition_id)
                if definition is None:
                    continue
                lookup[coupon.code] = CouponInstance(
                    code=coupon.code,
                    definition=definition,
                    used=coupon.status != "issued",
                    member_id=coupon.member_id,
                    valid_from=coupon.valid_from,
                    valid_to=coupon.valid_to,
                )
        return RuleSet(
            promotions=promotions,
            coupon_lookup=lookup,
            gift_products=self._gifts,
            rewards=self._rewards,
            coupon_definitions=self._definitions,
            usage=usage or {},
        )

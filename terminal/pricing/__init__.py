"""The pricing engine: a pure function from a basket, a member, rules and a time to a priced
basket (see :func:`terminal.pricing.engine.price` and docs/promotions.md)."""

from terminal.pricing.engine import price
from terminal.pricing.points import earn_points
from terminal.pricing.rules import RuleError, load_coupon_definitions, load_promotions

__all__ = ["RuleError", "earn_points", "load_coupon_definitions", "load_promotions", "price"]

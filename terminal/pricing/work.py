"""The engine's scratch state while it prices one basket (internal to the package).

Every step takes fen off lines through :meth:`PricingState.take`, which keeps
the running amount of each line, the per-step totals, the per-line and the
basket-level adjustments, and the explanation in step with one another.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from terminal.messages import Text
from terminal.money import format_yuan, line_amount
from terminal.pricing.model import Adjustment, LimitNote, ProductInfo, RuleUse


@dataclass
class WorkLine:
    line_id: str
    product: ProductInfo
    qty: int
    unit_price: int
    is_gift: bool = False
    overridden: bool = False
    manual_discount: int = 0
    manual_reason: str = ""
    amount: int = 0  # what is still to pay on the line after the steps so far
    tier_ok: bool = True  # false once an item rule with tier_discount=false touched it
    by_step: dict[str, int] = field(default_factory=dict)
    adjustments: list[Adjustment] = field(default_factory=list)
    label_amount: int | None = None
    reward_id: str | None = None  # set once the reward step accepted the reward
    reward_points: int = 0

    @property
    def gross(self) -> int:
        if self.label_amount is not None:
            return self.label_amount
        return line_amount(self.unit_price, self.qty, weighed=self.product.weighed)

    @property
    def counted(self) -> bool:
        """Whether the line's quantity counts in units (not grams) for unit-counting rules."""
        return not self.product.weighed

    @property
    def priced_by_rules(self) -> bool:
        """Whether promotions, tier, thresholds, coupons and points may touch the line."""
        return not self.is_gift and self.reward_id is None


@dataclass
class PricingState:
    lines: list[WorkLine]
    adjustments: list[Adjustment] = field(default_factory=list)
    explanation: list[Text] = field(default_factory=list)  # rendered when shown
    limit_notes: list[LimitNote] = field(default_factory=list)
    rule_uses: list[RuleUse] = field(default_factory=list)
    _index: tuple[int, dict[str, list[WorkLine]], dict[str, list[WorkLine]]] | None = None

    def targeted(self, rule: Any) -> list[WorkLine]:
        """The lines whose product a rule targets (its SKUs or categories; none = all), in
        basket order, through an index built once (a basket meets hundreds of rules)."""
        if not rule.skus and not rule.categories:
            return list(self.lines)
        if self._index is None or self._index[0] != len(self.lines):
            by_sku: dict[str, list[WorkLine]] = {}
            by_category: dict[str, list[WorkLine]] = {}
            for w in self.lines:
                by_sku.setdefault(w.product.sku, []).append(w)
                by_category.setdefault(w.product.category_id, []).append(w)
            self._index = (len(self.lines), by_sku, by_category)
        _, by_sku, by_category = self._index
        hits = [by_sku[k] for k in rule.skus if k in by_sku]
        hits += [by_category[k] for k in rule.categories if k in by_category]
        if not hits:
            return []
        if len(hits) == 1:
            return list(hits[0])
        mine = {id(w) for group in hits for w in group}
        return [w for w in self.lines if id(w) in mine]

    def line(self, line_id: str) -> WorkLine:
        for w in self.lines:
            if w.line_id == line_id:
                return w
        raise KeyError(line_id)

    def explain(self, code: str, /, **params: object) -> None:
        """Add a line to the explanation: message ``code`` of :mod:`terminal.messages.pricing`."""
        self.explanation.append(Text(code, params))

    def take(
        self,
        step: str,
        kind: str,
        rule_id: str,
        label: str,
        shares: Mapping[str, int],
        explain: Text | None = None,
    ) -> int:
        """Take ``shares[line_id]`` fen off each line; record one basket adjustment.

        Zero shares are dropped; nothing is recorded when every share is zero.
        A share may be negative only for rounding up. Returns the total taken.
        """
        shares = {k: v for k, v in shares.items() if v}
        total = sum(shares.values())
        if not shares:
            return 0
        for line_id, amount in shares.items():
            w = self.line(line_id)
            if amount > w.amount:
                raise AssertionError(f"step {step} would take line {line_id} below zero")
            w.amount -= amount
            w.by_step[step] = w.by_step.get(step, 0) + amount
            w.adjustments.append(Adjustment(rule_id, step, kind, label, amount, (line_id,)))
        self.adjustments.append(Adjustment(rule_id, step, kind, label, total, tuple(shares)))
        if explain is None:
            explain = Text(
                "px_adjust", {"label": label, "amount": signed_yuan(total), "rule": rule_id}
            )
        self.explanation.append(explain)
        return total


def percent(bp: int) -> str:
    """``5000`` -> ``"50%"``, ``1250`` -> ``"12.5%"``."""
    if bp % 100 == 0:
        return f"{bp // 100}%"
    return f"{bp // 100}.{bp % 100:02d}".rstrip("0") + "%"


def signed_yuan(discount: int) -> str:
    """A discount as the receipt shows it: ``200`` -> ``"-2.00"``, ``-3`` -> ``"+0.03"``."""
    return f"-{format_yuan(discount)}" if discount >= 0 else f"+{format_yuan(-discount)}"

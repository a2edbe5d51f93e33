"""Counting the uses of promotions with limits (每人限享/限购, 限量), at this till.

A sale that used a limited promotion writes :class:`PromotionUse` rows: one per
sale line the promotion covered, with the units, and ``times`` = 1 on the
first. A return writes the same with negative counts (units in proportion to
what it returns; the time once the whole sale is back). The counts travel to
HQ in the sale record, where they are added up across tills. HQ sends its
chain-wide totals back (:class:`PromotionTotal`); a quota then counts the
larger of what this till sold and HQ's total plus this till's uses HQ has not
counted yet. Member and daily limits are counted here only (HQ records a
conflict when two stores together went past one).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal.money import mul_div_half_up
from terminal.pricing.model import RuleUsage, RuleUse
from terminal.pricing.rules import ITEM_KINDS, Promotion
from terminal.records import RuleUseRecord
from terminal.store.direct import fetch
from terminal.store.models import PromotionUse, SaleLine


def _total(column: str, when: str) -> str:
    return f"coalesce(sum(CASE WHEN {when} THEN {column} ELSE 0 END), 0)"


_MINE = "member_id = :member"  # NULL (no member): never mine
_TODAY = "business_day = :day"

# Plain SQL on the driver: it is counted on every payment, and through Core
# building the statement for the rule list cost more than running it.
_USAGE = (
    "SELECT rule_id, "
    + ", ".join(
        [
            _total("times", _MINE),
            _total("units", _MINE),
            _total("times", f"{_MINE} AND {_TODAY}"),
            _total("units", f"{_MINE} AND {_TODAY}"),
            "sum(times)",
            "sum(units)",
            _total("times", _TODAY),
            _total("units", _TODAY),
        ]
    )
    + " FROM promotion_use WHERE rule_id IN ({rules}) GROUP BY rule_id"
)


def _marks(names: Sequence[str], prefix: str) -> tuple[str, dict[str, str]]:
    """Named marks for an IN list: ``(:r0, :r1)`` and their values."""
    values = {f"{prefix}{i}": name for i, name in enumerate(names)}
    return ", ".join(f":{key}" for key in values), values


def usage(
    session: Session, rules: Iterable[Promotion], member_id: str | None, day: date
) -> dict[str, RuleUsage]:
    """What each limited rule has used: by this member (ever, and on ``day``) and by all."""
    by_id = {r.id: r for r in rules}
    if not by_id:
        return {}
    marks, names = _marks(list(by_id), "r")
    rows = fetch(
        session, _USAGE.format(rules=marks), {"member": member_id, "day": day.isoformat(), **names}
    )
    out: dict[str, RuleUsage] = {}
    for rule_id, mt, mu, mdt, mdu, qt, qu, qdt, qdu in rows:
        units = isinstance(by_id[rule_id], ITEM_KINDS)
        out[rule_id] = RuleUsage(
            member_times=int(mt),
            member_units=int(mu),
            member_day_times=int(mdt),
            member_day_units=int(mdu),
            quota=int(qu if units else qt),
            quota_day=int(qdu if units else qdt),
        )
    for rule_id, (chain_times, chain_units) in _chain(session, list(by_id)).items():
        counted = chain_units if isinstance(by_id[rule_id], ITEM_KINDS) else chain_times
        here = out.get(rule_id, RuleUsage())
        out[rule_id] = replace(here, quota=max(here.quota, counted))
    return out


def _chain(session: Session, rule_ids: list[str]) -> dict[str, tuple[int, int]]:
    """(times, units) each rule has used in the chain: HQ's last total, plus this till's
    uses in sales HQ has not acknowledged (its total cannot hold them yet)."""
    marks, names = _marks(rule_ids, "r")
    totals = {
        rule_id: (int(times), int(units))
        for rule_id, times, units in fetch(
            session,
            f"SELECT rule_id, times, units FROM promotion_total WHERE rule_id IN ({marks})",
            names,
        )
    }
    if not totals:
        return {}
    marks, names = _marks(list(totals), "t")
    unsent = fetch(
        session,
        "SELECT u.rule_id, sum(u.times), sum(u.units) FROM promotion_use AS u "
        "JOIN outbox AS o ON o.record_id = u.sale_id "
        f"WHERE u.rule_id IN ({marks}) AND o.sent_at IS NULL GROUP BY u.rule_id",
        names,
    )
    for rule_id, times, units in unsent:
        t, u = totals[rule_id]
        totals[rule_id] = (t + int(times or 0), u + int(units or 0))
    return totals


def record(
    session: Session,
    uses: Sequence[RuleUse],
    *,
    sale_id: str,
    member_id: str | None,
    day: date,
    line_ids: Mapping[str, str],
) -> list[RuleUseRecord]:
    """Write a sale's uses (``line_ids``: pricing line id -> sale line id)."""
    out: list[RuleUseRecord] = []
    seen: set[str] = set()
    for use in uses:
        times = 0 if use.rule_id in seen else 1
        seen.add(use.rule_id)
        line = line_ids.get(use.line_id) if use.line_id is not None else None
        session.add(
            PromotionUse(
                rule_id=use.rule_id,
                member_id=member_id,
                sale_id=sale_id,
                sale_line_id=line,
                business_day=day,
                times=times,
                units=use.units,
            )
        )
        out.append(RuleUseRecord(rule_id=use.rule_id, line_id=line, times=times, units=use.units))
    return out


def give_back(
    session: Session,
    *,
    original_sale_id: str,
    return_id: str,
    member_id: str | None,
    day: date,
    returned: Mapping[str, tuple[int, int]],
    whole: bool,
) -> list[RuleUseRecord]:
    """Take back the uses a return undoes.

    ``returned`` maps each returned sale line id to (units returned before,
    units returned now); each use row of that line gives back its cumulative
    share of units. The sale's ``times`` come back once the whole sale is back.
    """
    uses = session.scalars(
        select(PromotionUse).where(PromotionUse.sale_id == original_sale_id)
    ).all()
    if not uses:
        return []
    qty = {
        line_id: n
        for line_id, n in session.execute(
            select(SaleLine.id, SaleLine.qty).where(
                SaleLine.id.in_([u.sale_line_id for u in uses if u.sale_line_id])
            )
        ).all()
    }
    out: list[RuleUseRecord] = []
    for use in uses:
        units = 0
        line_id = use.sale_line_id
        if line_id is not None and line_id in returned and use.units:
            before, now = returned[line_id]
            whole_qty = qty[line_id]
            units = mul_div_half_up(use.units, before + now, whole_qty) - mul_div_half_up(
                use.units, before, whole_qty
            )
        times = use.times if whole else 0
        if not units and not times:
            continue
        session.add(
            PromotionUse(
                rule_id=use.rule_id,
                member_id=member_id,
                sale_id=return_id,
                sale_line_id=use.sale_line_id,
                business_day=day,
                times=-times,
                units=-units,
            )
        )
        out.append(
            RuleUseRecord(rule_id=use.rule_id, line_id=use.sale_line_id, times=-times, units=-units)
        )
    return out

"""Importing promotions and coupons: the JSON bodies of docs/promotions.md.

Each promotion and coupon definition is validated by the pricing's own
schema (:func:`~terminal.pricing.rules.load_promotions`,
:func:`~terminal.pricing.rules.load_coupon_definitions`), so what imports is
exactly what the till will price with. On top of the schema, the SKUs,
categories, gift SKU and tiers a rule names must exist in the store (a typo
would silently make a rule apply to nothing). A rule whose id the store has
is replaced (and a promotion made active again).

A coupon definition may carry the codes to issue under ``coupons``: a list
of codes (``"CP10A00001"``) or objects ``{"code": ..., "member_no": ...}``
binding the coupon to a member. Codes follow the pattern the till's scanner
recognises (``CP`` + 4 to 38 capital letters or digits). A code the store
already has keeps its status; it may be re-bound to another member only
while it is unused.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from terminal.classifier import COUPON_PATTERN, STATIC_PATTERN
from terminal.imports.problems import ImportRefused, RowProblem
from terminal.imports.rows import Counts, chunks
from terminal.imports.sources import Source
from terminal.pricing.rules import RuleError, load_coupon_definitions, load_promotions
from terminal.store.models import (
    Category,
    Coupon,
    CouponDefinitionRow,
    Member,
    Product,
    PromotionRow,
    Tier,
)

RULE_ID_MAX = 36
ISSUE_KEY = "coupons"


class _Store:
    """The SKUs, categories and tiers a rule may name."""

    def __init__(self, session: Session, skus: set[str]) -> None:
        self.skus: set[str] = set()
        for batch in chunks(sorted(skus)):
            self.skus.update(session.scalars(select(Product.sku).where(Product.sku.in_(batch))))
        self.categories = set(session.scalars(select(Category.id)))
        self.tiers = set(session.scalars(select(Tier.code)))

    def problems(self, row: int, rule: Any) -> list[RowProblem]:
        out: list[RowProblem] = []
        for name, wanted, known in (
            ("skus", getattr(rule, "skus", ()), self.skus),
            ("categories", getattr(rule, "categories", ()), self.categories),
            ("tiers", getattr(rule, "tiers", None) or (), self.tiers),
        ):
            missing = [value for value in wanted if value not in known]
            if missing:
                out.append(
                    RowProblem(
                        row, name, "import_unknown_reference", {"values": ", ".join(missing)}
                    )
                )
        gift = getattr(rule, "gift_sku", None)
        if gift is not None and gift not in self.skus:
            out.append(RowProblem(row, "gift_sku", "import_unknown_reference", {"values": gift}))
        return out


def _named_skus(bodies: Sequence[dict[str, Any]]) -> set[str]:
    skus: set[str] = set()
    for body in bodies:
        named = body.get("skus")
        if isinstance(named, list):
            skus.update(value for value in named if isinstance(value, str))
        if isinstance(body.get("gift_sku"), str):
            skus.add(body["gift_sku"])
    return skus


def check_rules(
    bodies: list[tuple[int, dict[str, Any]]],
    load: Callable[[list[Any]], list[Any]],
    references: Callable[[int, Any], list[RowProblem]],
) -> tuple[list[tuple[int, dict[str, Any], Any]], list[RowProblem]]:
    """Each valid rule as ``(row, body, model)``; the problems of the others.

    ``references(row, rule)`` lists what the rule names that the store lacks.
    """
    problems: list[RowProblem] = []
    rules: list[tuple[int, dict[str, Any], Any]] = []
    first: dict[str, int] = {}
    for row, body in bodies:
        try:
            (rule,) = load([body])
        except RuleError as exc:
            problems.append(
                RowProblem(row, exc.field, "import_rule_invalid", {"problem": exc.problem})
            )
            continue
        if len(rule.id) > RULE_ID_MAX:
            problems.append(RowProblem(row, "id", "import_too_long", {"max": RULE_ID_MAX}))
            continue
        if rule.id in first:
            problems.append(
                RowProblem(row, "id", "import_duplicate_in_file", {"first": first[rule.id]})
            )
            continue
        first[rule.id] = row
        found = references(row, rule)
        problems.extend(found)
        if not found:
            rules.append((row, body, rule))
    return rules, problems


def import_promotions(session: Session, source: Source, *, dry_run: bool, now: datetime) -> Counts:
    """Check every promotion, then (unless ``dry_run``) store them all in ``session``."""
    bodies = [(r.row, r.values) for r in source.rows]
    store = _Store(session, _named_skus([b for _, b in bodies]))
    rules, problems = check_rules(bodies, load_promotions, store.problems)
    problems = [*source.problems, *problems]
    if problems:
        raise ImportRefused(source.name, problems)
    counts = Counts()
    store_bodies(session, PromotionRow, rules, counts, dry_run=dry_run, now=now)
    return counts


def store_bodies(
    session: Session,
    model: Any,
    rules: list[tuple[int, dict[str, Any], Any]],
    counts: Counts,
    *,
    dry_run: bool,
    now: datetime,
) -> None:
    """Create or update one JSON-body row per checked rule (promotions, coupon definitions,
    rewards) and count each; a row that was deactivated and comes again is active again."""
    has_active = hasattr(model, "active")
    existing = _by_id(session, model, [rule.id for _, _, rule in rules])
    for _row, body, rule in rules:
        held = existing.get(rule.id)
        if held is None:
            counts.created += 1
            if not dry_run:
                active = {"active": True} if has_active else {}
                session.add(model(id=rule.id, body=body, updated_at=now, **active))
        elif held.body == body and (not has_active or held.active):
            counts.unchanged += 1
        else:
            counts.updated += 1
            if not dry_run:
                held.body, held.updated_at = body, now
                if has_active:
                    held.active = True
    if not dry_run:
        session.flush()


def _by_id(session: Session, model: Any, ids: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for batch in chunks(ids):
        for record in session.scalars(select(model).where(model.id.in_(batch))):
            found[record.id] = record
    return found


def _issued(row: int, value: Any) -> tuple[list[tuple[str, str | None, str]], list[RowProblem]]:
    """The ``coupons`` list of one definition as ``(code, member_no, field)``."""
    if not isinstance(value, list):
        return [], [RowProblem(row, ISSUE_KEY, "import_not_list")]
    out: list[tuple[str, str | None, str]] = []
    problems: list[RowProblem] = []
    for n, entry in enumerate(value, start=1):
        where = f"{ISSUE_KEY}[{n}]"
        member_no: Any = None
        if isinstance(entry, dict):
            unknown = sorted(set(entry) - {"code", "member_no"})
            if unknown:
                problems.append(RowProblem(row, f"{where}.{unknown[0]}", "import_unknown_field"))
                continue
            code, member_no = entry.get("code"), entry.get("member_no")
        else:
            code = entry
        if not isinstance(code, str) or not COUPON_PATTERN.fullmatch(code.strip()):
            problems.append(RowProblem(row, f"{where}.code", "import_bad_coupon_code"))
            continue
        if member_no is not None and (
            not isinstance(member_no, str)
            or not STATIC_PATTERN.fullmatch(member_no.strip().upper())
        ):
            problems.append(RowProblem(row, f"{where}.member_no", "import_bad_member_no"))
            continue
        out.append((code.strip(), member_no.strip().upper() if member_no else None, where))
    return out, problems


def import_coupons(session: Session, source: Source, *, dry_run: bool, now: datetime) -> Counts:
    """Check every coupon definition and code, then (unless ``dry_run``) store them all."""
    problems = list(source.problems)
    bodies: list[tuple[int, dict[str, Any]]] = []
    issues: dict[int, list[tuple[str, str | None, str]]] = {}
    for r in source.rows:
        body = {k: v for k, v in r.values.items() if k != ISSUE_KEY}
        bodies.append((r.row, body))
        found, bad = _issued(r.row, r.values.get(ISSUE_KEY, []))
        issues[r.row] = found
        problems.extend(bad)
    store = _Store(session, _named_skus([b for _, b in bodies]))
    rules, bad_rules = check_rules(bodies, load_coupon_definitions, store.problems)
    problems.extend(bad_rules)

    codes = [code for found in issues.values() for code, _, _ in found]
    existing_coupons: dict[str, Coupon] = {}
    for batch in chunks(codes):
        for held in session.scalars(select(Coupon).where(Coupon.code.in_(batch))):
            existing_coupons[held.code] = held
    members = _member_ids(session, {m for found in issues.values() for _, m, _ in found if m})
    first_code: dict[str, int] = {}
    plan: list[tuple[str, str, str | None, Coupon | None]] = []  # code, definition, member id
    for row, _body, rule in rules:
        for code, member_no, where in issues[row]:
            if code in first_code:
                problems.append(
                    RowProblem(
                        row,
                        f"{where}.code",
                        "import_duplicate_in_file",
                        {"first": first_code[code]},
                    )
                )
                continue
            first_code[code] = row
            member_id = members.get(member_no) if member_no else None
            if member_no and member_id is None:
                problems.append(
                    RowProblem(
                        row, f"{where}.member_no", "import_unknown_member", {"no": member_no}
                    )
                )
                continue
            coupon = existing_coupons.get(code)
            if coupon is not None and coupon.definition_id != rule.id:
                problems.append(
                    RowProblem(
                        row,
                        f"{where}.code",
                        "import_coupon_other_definition",
                        {"id": coupon.definition_id},
                    )
                )
                continue
            if coupon is not None and coupon.member_id != member_id and coupon.status != "issued":
                problems.append(RowProblem(row, f"{where}.code", "import_coupon_used"))
                continue
            plan.append((code, rule.id, member_id, coupon))
    if problems:
        raise ImportRefused(source.name, problems)

    counts = Counts(extra={"coupons_created": 0, "coupons_updated": 0})
    store_bodies(session, CouponDefinitionRow, rules, counts, dry_run=dry_run, now=now)
    for code, definition_id, member_id, coupon in plan:
        if coupon is None:
            counts.extra["coupons_created"] += 1
            if not dry_run:
                session.add(
                    Coupon(
                        code=code, definition_id=definition_id, member_id=member_id, status="issued"
                    )
                )
        elif coupon.member_id != member_id:
            counts.extra["coupons_updated"] += 1
            if not dry_run:
                coupon.member_id = member_id
    if not dry_run:
        session.flush()
    return counts


def _member_ids(session: Session, member_nos: set[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for batch in chunks(sorted(member_nos)):
        for member_id, member_no in session.execute(
            select(Member.id, Member.member_no).where(
                Member.member_no.in_(batch), Member.status != "erased"
            )
        ):
            found[member_no] = member_id
    return found

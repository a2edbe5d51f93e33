"""The demo store shows every member-value kind (issue 11), so a new user meets each at the till."""

from __future__ import annotations

from sqlalchemy import func, select

from terminal import stored_value
from terminal.demo import DEMO_PAY_PIN, scale_label
from terminal.members import find_member
from terminal.pricing.rules import load_promotions, load_rewards
from terminal.store.database import Database
from terminal.store.models import MemberPayPin, Product, PromotionRow, RewardRow
from terminal.tenders import Tender
from tests.terminal.tillkit import make_till


def test_the_demo_store_holds_each_kind(demo_db: Database) -> None:
    with demo_db.sessions() as s:
        promotions = load_promotions([r.body for r in s.scalars(select(PromotionRow))])
        rewards = load_rewards([r.body for r in s.scalars(select(RewardRow))])
        weighed = s.scalar(
            select(func.count()).select_from(Product).where(Product.sold_by == "weight")
        )
        rates = set(s.scalars(select(Product.vat).distinct()))
        member = find_member(s, "M00000001")
        balance = stored_value.balance(s, member.id)
        pins = s.scalar(select(func.count()).select_from(MemberPayPin))
    nth = [p for p in promotions if p.kind == "nth_item"]
    assert {p.same_product for p in nth} == {True, False}  # 第二件半价 and 买三免一 (cheapest)
    assert any(p.kind == "coupon_issue" for p in promotions)  # 满额返券
    assert any(p.kind == "topup_bonus" for p in promotions)  # 充500送50
    limits = [p.limits for p in promotions if p.limits is not None]
    assert any(lim.per_member_units for lim in limits) and any(lim.quota for lim in limits)
    assert any(lim.per_member_day for lim in limits)
    assert {r.kind for r in rewards} == {"product", "coupon"}
    assert any(getattr(r, "money", 0) for r in rewards)  # points plus money
    assert weighed and {"13", "9", "exempt"} <= rates
    assert balance.principal and balance.bonus and pins


def test_one_demo_sale_meets_every_kind_at_the_till(demo_db: Database) -> None:
    """Weighed goods by scale label, 第二件半价, 买三免一, a limit, rewards, 满额返券, VAT and
    paying by stored value with the member's PIN: one basket, all explained."""
    till = make_till(demo_db)
    co = till.checkout()
    co.add(scale_label("SKU900101", 532))
    co.add("SKU000084", 2)  # 酸奶 第二件半价
    for sku in ("SKU000043", "SKU000044", "SKU000046"):  # 零食 买三免一
        co.add(sku)
    co.add("SKU000154", 3)  # 鸡蛋 每人限购 2 件
    co.add("SKU000505", 4)  # 个护 满100返10元券
    co.attach_member("M00000001")
    co.add_reward("RW-NOODLE")
    priced = co.add_reward("RW-COUPON10")
    rules = {a.rule_id for a in priced.adjustments}
    assert {"P-YOGURT-2ND", "P-SNACK-3FOR2", "P-EGGS-LIMIT", "RW-NOODLE"} <= rules
    assert priced.limits and priced.limits[0].limit == "per_member_units"
    assert {t.vat for t in priced.taxes} >= {"13", "9", "exempt"}
    co.verify_payment_pin(DEMO_PAY_PIN)
    sale = co.pay([Tender("stored_value", priced.payable)])
    assert {c.definition_id for c in sale.coupons_issued} == {"CD-R10", "CD-RET10"}
    assert sale.stored_value_balance == 55_000 - priced.payable
    from devices.printer.layout import layout_document, text_layer
    from terminal.receipts import sale_document

    with demo_db.sessions() as s:
        doc = sale_document(s, sale.sale_id)
    [note] = doc["notes"]  # the limit that held the eggs back, without the rule id
    assert "每人限购" in note and "本单 3 件中 2 件享受优惠" in note and "规则" not in note
    printed = "".join(text_layer(layout_document(doc, 32))).replace(" ", "")
    assert "本单3件中2件享受优惠" in printed


def test_the_flash_sale_is_once_a_day_per_member(demo_db: Database) -> None:
    """每人每天限享 1 次: the demo's 18:00–20:00 秒杀 shows a per-day limit at the till."""
    from datetime import timedelta

    from tests.conftest import DEMO_NOW
    from tests.terminal.tillkit import member_no, ring

    till = make_till(demo_db, now=DEMO_NOW.replace(hour=18, minute=30))
    mno = member_no(demo_db, "silver")
    with demo_db.sessions() as s:
        nuts = s.scalar(select(Product.sku).where(Product.name.contains("每日坚果")))
    first = ring(till, [(nuts, 1)], member=mno)
    assert any(a.rule_id == "P-FLASH" for a in first.priced.adjustments)
    again = ring(till, [(nuts, 1)], member=mno)
    assert not any(a.rule_id == "P-FLASH" for a in again.priced.adjustments)
    [note] = again.priced.limits
    assert note.limit == "per_member_day" and note.remaining == 0 and "已用完" in note.message
    till.now += timedelta(days=1)
    tomorrow = ring(till, [(nuts, 1)], member=mno)
    assert any(a.rule_id == "P-FLASH" for a in tomorrow.priced.adjustments)

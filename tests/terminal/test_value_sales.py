"""Member value at the till, end to end on the demo store: sold, recorded and returned.

Each kind goes through the same entry point the keyboard till and ``posterm
quote`` use (:class:`~terminal.checkout.Checkout`), is paid in one transaction,
and is reversed by a return, whole and partial.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, update

from terminal import ledger, stored_value, topups
from terminal.auth import NeedsApproval
from terminal.checkout_settings import CheckoutSettings
from terminal.classifier import ScaleFormat, gtin_check_digit, scale_barcode
from terminal.config import load_config
from terminal.demo import DEMO_PAY_PIN, scale_label
from terminal.errors import InvalidInput, PermissionDenied, PosError, StateError
from terminal.membercodes import demo_app_key, demo_key_id, encode_dynamic, install_demo_keys
from terminal.members import find_member
from terminal.money import mul_div_half_up
from terminal.returns import process_return
from terminal.store.database import Database
from terminal.store.models import (
    Coupon,
    Member,
    OutboxRow,
    Product,
    PromotionRow,
    PromotionUse,
    Sale,
    SaleLine,
)
from terminal.tenders import Tender
from tests.terminal.tillkit import Shop, make_till, member_no, ring

SEED = bytes(range(32))
APP_MEMBER = "M00000001"  # holds 500.00 + 50.00 bonus and the demo payment PIN


@pytest.fixture
def till(demo_db: Database) -> Iterator[Shop]:
    with demo_db.transaction() as s:
        rows = s.execute(
            select(Member.id, Member.member_no).where(Member.member_no == APP_MEMBER)
        ).all()
        install_demo_keys(s, SEED, rows, created_at=datetime.now(UTC))
    yield make_till(demo_db)


def app_code(till: Shop, member: str = APP_MEMBER) -> str:
    return encode_dynamic(member, demo_key_id(SEED, member), demo_app_key(SEED, member), till.now)


def refund(till: Shop, receipt: str, quantities: dict[int, int] | None = None, **kw: Any):
    return process_return(
        till.db,
        till.settings,
        till.cashier,
        receipt_no=receipt,
        reason="顾客退货",
        quantities=quantities,
        approver=till.supervisor,
        clock=lambda: till.now,
        **kw,
    )


def points(till: Shop, mno: str) -> int:
    with till.db.sessions() as s:
        return ledger.balance(s, find_member(s, mno).id, till.settings.business_day(till.now))


def balance(till: Shop, mno: str = APP_MEMBER) -> stored_value.Balance:
    with till.db.sessions() as s:
        return stored_value.balance(s, find_member(s, mno).id)


def price_of(db: Database, sku: str) -> int:
    with db.sessions() as s:
        return s.scalar(select(Product.price).where(Product.sku == sku))


def sale_lines(db: Database, receipt: str) -> list[SaleLine]:
    with db.sessions() as s:
        sale = s.scalar(select(Sale).where(Sale.receipt_no == receipt))
        return list(sale.lines)


def last_record(db: Database, kind: str = "sale") -> dict[str, Any]:
    with db.sessions() as s:
        row = s.scalars(
            select(OutboxRow).where(OutboxRow.kind == kind).order_by(OutboxRow.id.desc())
        ).first()
        return row.payload


# --- goods sold by weight ----------------------------------------------------------------


def test_a_scale_label_rings_up_the_weight_and_a_return_takes_back_grams(till):
    co = till.checkout()
    priced = co.add(scale_label("SKU900101", 532))  # 12.80/kg × 0.532 kg = 6.8096 -> 6.81
    (line,) = priced.lines
    assert (line.qty, line.unit_price, line.gross) == (532, 1280, 681)
    co.add(scale_label("SKU900101", 532))  # a second bag is a line of its own
    sale = co.pay([Tender("cash", 2000)])
    rows = sale_lines(till.db, sale.receipt_no)
    assert [(r.sold_by, r.qty, r.paid, r.vat) for r in rows] == [("weight", 532, 681, "9")] * 2
    assert last_record(till.db)["lines"][0]["sold_by"] == "weight"
    back = refund(till, sale.receipt_no, {1: 200})  # 200 of 532 g: 6.81 × 200/532 = 2.56
    assert back.refund == mul_div_half_up(681, 200, 532) == 256
    assert refund(till, sale.receipt_no, {1: 332}).refund == 681 - 256


def test_weighed_goods_need_their_weight_and_bad_labels_are_refused(till):
    co = till.checkout()
    with pytest.raises(InvalidInput) as err:
        co.add("SKU900101")
    assert err.value.code == "weight_needed"
    assert co.add_weighed("SKU900102", 1500).payable == 1047  # 6.98/kg × 1.5 kg
    label = scale_label("SKU900101", 532)
    with pytest.raises(PosError) as err:
        co.add(label[:-1] + str((int(label[-1]) + 1) % 10))  # EAN check fails: not a label
    assert err.value.code == "unknown_barcode"
    with pytest.raises(PosError) as err:
        co.add(scale_barcode(ScaleFormat(), "99999", 500))
    assert err.value.code == "unknown_plu" and "99999" in str(err.value)
    with pytest.raises(PosError) as err:
        co.add_weighed("SKU000001", 500)
    assert err.value.code == "not_weighed"
    assert len(co.lines) == 1


def test_the_scale_formats_in_config_toml_are_the_ones_the_till_reads(till, tmp_path):
    """[value] in config.toml: weight labels under 21, price labels under 22, each with the
    verifier digit before its value; the default 2… labels are no longer scale labels."""
    path = tmp_path / "config.toml"
    path.write_text(
        '[value]\nscale_prefix = "21"\nscale_price_prefix = "22"\nscale_value_check = true\n',
        encoding="utf-8",
    )
    settings = CheckoutSettings.from_config(load_config(path), till.settings.terminal_id)
    till.settings = replace(till.settings, scale_formats=settings.scale_formats)
    weight, price = settings.scale_formats
    co = till.checkout()
    co.add(scale_barcode(weight, "00101", 532))  # 532 g of 红富士苹果 at 12.80/kg
    priced = co.add(scale_barcode(price, "00101", 681))  # the scale printed 6.81
    assert [(line.qty, line.gross) for line in priced.lines] == [(532, 681), (532, 681)]
    label = scale_barcode(price, "00101", 681)
    misread = label[:7] + str((int(label[7]) + 1) % 10) + label[8:12]  # verifier digit off
    with pytest.raises(PosError) as err:
        co.add(misread + str(gtin_check_digit(misread)))  # the EAN check digit still holds
    assert err.value.code == "scale_check_failed"
    with pytest.raises(PosError) as err:
        co.add(scale_label("SKU900101", 532))  # "2" + PLU …: not a label under this config
    assert err.value.code == "unknown_barcode"
    sale = co.pay([Tender("cash", 2000)])
    assert [(r.sold_by, r.qty, r.paid) for r in sale_lines(till.db, sale.receipt_no)] == [
        ("weight", 532, 681)
    ] * 2


def test_a_price_label_on_counted_goods_gives_whole_units_or_is_refused(till):
    """Goods sold by the unit but labelled by a scale (a price label): the amount printed
    must be a whole number of units; a weight label on them is refused. Price labels under
    22 beside weight labels under the default 2: the longer prefix is read first (before,
    every 22… label was read as a weight label of PLU 2xxxx)."""
    price_fmt = ScaleFormat("22", 5, "price")
    till.settings = replace(till.settings, scale_formats=(ScaleFormat(), price_fmt))
    assert till.checkout().add(scale_label("SKU900101", 532)).lines[0].qty == 532  # 2…: weight
    with till.db.transaction() as s:
        s.execute(update(Product).where(Product.sku == "SKU000002").values(plu="00777"))
    unit = price_of(till.db, "SKU000002")
    co = till.checkout()
    priced = co.add(scale_barcode(price_fmt, "00777", 3 * unit))
    assert [(line.qty, line.gross) for line in priced.lines] == [(3, 3 * unit)]
    for label, code in (
        (scale_barcode(price_fmt, "00777", 3 * unit + 1), "scale_price_mismatch"),
        (scale_barcode(ScaleFormat(), "00777", 500), "scale_not_weighed"),
    ):
        with pytest.raises(PosError) as err:
            co.add(label)
        assert err.value.code == code
    assert len(co.lines) == 1


# --- nth item ----------------------------------------------------------------------------


def test_second_yogurt_half_price_and_a_partial_return_refunds_its_share(till):
    yogurt = "SKU000084"
    unit = price_of(till.db, yogurt)
    sale = ring(till, [(yogurt, 2)])
    (line,) = sale.priced.lines
    # 乳制品 9折 first (both units), then the second unit at half of what is left
    after_pct = 2 * unit - mul_div_half_up(2 * unit, 1000, 10_000)
    half = mul_div_half_up(mul_div_half_up(after_pct, 1, 2), 5000, 10_000)
    assert line.item_discount == 2 * unit - after_pct + half
    assert any(a.rule_id == "P-YOGURT-2ND" for a in line.adjustments)
    first = refund(till, sale.receipt_no, {1: 1})
    second = refund(till, sale.receipt_no, {1: 1})
    assert first.refund + second.refund == line.paid


def test_buy_three_one_free_takes_the_cheapest_and_returns_refund_what_each_line_paid(till):
    snacks = ["SKU000043", "SKU000044", "SKU000046"]  # 零食 买三免一
    sale = ring(till, [(sku, 1) for sku in snacks])
    paid = [line.paid for line in sale.priced.lines]
    cheapest = min(range(3), key=lambda i: price_of(till.db, snacks[i]))
    assert paid[cheapest] == 0 and sum(paid) == sale.payable
    assert refund(till, sale.receipt_no, {cheapest + 1: 1}).refund == 0  # the free one
    others = {i + 1: 1 for i in range(3) if i != cheapest}
    assert refund(till, sale.receipt_no, others).refund == sale.payable  # the rest, whole


# --- limits ------------------------------------------------------------------------------


def test_member_unit_limit_counts_across_sales_and_returns_give_units_back(till):
    eggs, mno = "SKU000154", member_no(till.db, "normal")
    unit = price_of(till.db, eggs)
    first = ring(till, [(eggs, 3)], member=mno)
    assert first.priced.lines[0].item_discount == 2 * (unit - 1590)  # 2 of 3 at 15.90
    (note,) = first.priced.limits
    assert (note.limit, note.allowed, note.remaining) == ("per_member_units", 2, 2)
    co = till.checkout()
    co.add(eggs)
    priced = co.attach_member(mno)
    assert priced.lines[0].item_discount == 0
    assert priced.limits[0].remaining == 0 and "每人限购 2 件" in priced.limits[0].message
    co.clear()
    refund(till, first.receipt_no, {1: 3})  # all 3 back: both promotional units too
    with till.db.sessions() as s:
        assert s.scalar(select(func.sum(PromotionUse.units))) == 0
        assert s.scalar(select(func.sum(PromotionUse.times))) == 0
    again = ring(till, [(eggs, 1)], member=mno)
    assert again.priced.lines[0].item_discount == unit - 1590


def test_a_quota_is_counted_at_this_till_across_members_and_returns_give_it_back(till):
    """限量 3 份 with no HQ total yet: this till's sales to anybody count; a return frees units."""
    eggs = "SKU000154"
    with till.db.transaction() as s:
        row = s.get(PromotionRow, "P-EGGS-LIMIT")
        row.body = {**row.body, "limits": {"quota": 3}}
    unit = price_of(till.db, eggs)
    first = ring(till, [(eggs, 2)])  # no member needed: the quota is everybody's
    assert first.priced.lines[0].item_discount == 2 * (unit - 1590)
    second = ring(till, [(eggs, 2)], member=member_no(till.db, "gold"))
    assert second.priced.lines[0].item_discount == unit - 1590  # 1 of the 3 left
    (note,) = second.priced.limits
    assert (note.limit, note.allowed, note.remaining) == ("quota", 3, 1)
    co = till.checkout()
    priced = co.add(eggs)
    assert priced.lines[0].item_discount == 0 and "已售完" in priced.limits[0].message
    co.clear()
    refund(till, first.receipt_no, {1: 1})  # one promotional unit back to the quota
    assert ring(till, [(eggs, 2)]).priced.lines[0].item_discount == unit - 1590


# --- rewards (积分兑换) ----------------------------------------------------------------------


def test_a_product_for_points_spends_them_and_a_return_gives_them_back(till):
    mno = member_no(till.db, "gold")
    before = points(till, mno)
    co = till.checkout()
    co.attach_member(mno)
    priced = co.add_reward("RW-NOODLE")
    (line,) = priced.lines
    assert (line.paid, line.reward_points, priced.payable) == (0, 500, 0)
    sale = co.pay([])
    assert points(till, mno) == before - 500
    (row,) = sale_lines(till.db, sale.receipt_no)
    assert (row.reward_id, row.points_redeemed, row.points_earned) == ("RW-NOODLE", 500, 0)
    record = last_record(till.db)
    assert record["reward_points"] == 500 and record["lines"][0]["reward_id"] == "RW-NOODLE"
    refund(till, sale.receipt_no)
    assert points(till, mno) == before


def test_points_plus_money_and_refusals(till):
    mno = member_no(till.db, "normal")
    co = till.checkout()
    with pytest.raises(InvalidInput) as err:
        co.add_reward("RW-OIL")
    assert err.value.code == "reward_no_member" and co.lines == []
    co.attach_member(mno)
    with till.db.transaction() as s:  # leave the member 1999 points
        member = find_member(s, mno)
        have = ledger.balance(s, member.id, till.settings.business_day(till.now))
        ledger.redeem(s, member.id, have - 1999, till.settings.business_day(till.now), sale_id=None)
    co.detach_member()
    co.attach_member(mno)
    with pytest.raises(InvalidInput) as err:
        co.add_reward("RW-OIL")
    assert err.value.code == "reward_points_insufficient" and "花生油" in str(err.value)
    with pytest.raises(PosError) as err:
        co.add_reward("RW-NOPE")
    assert err.value.code == "reward_unknown"
    assert co.add_reward("RW-NOODLE").payable == 0


def test_a_coupon_for_points_is_issued_and_comes_back_unused(till):
    mno = member_no(till.db, "silver")
    before = points(till, mno)
    co = till.checkout()
    co.attach_member(mno)
    priced = co.add_reward("RW-COUPON10")
    assert priced.reward_points == 800 and priced.lines == ()
    sale = co.pay([])
    (issued,) = sale.coupons_issued
    assert issued.source == "reward" and issued.definition_id == "CD-R10"
    with till.db.sessions() as s:
        coupon = s.get(Coupon, issued.code)
        assert coupon.status == "issued" and coupon.member_id == find_member(s, mno).id
    assert points(till, mno) == before - 800
    back = refund(till, sale.receipt_no)
    assert back.refund == 0 and back.coupons_cancelled == (issued.code,)
    assert points(till, mno) == before
    with till.db.sessions() as s:
        assert s.get(Coupon, issued.code).status == "void"


def test_a_used_reward_coupon_cannot_be_returned(till):
    mno = member_no(till.db, "silver")
    co = till.checkout()
    co.attach_member(mno)
    co.add_reward("RW-COUPON10")
    code = co.pay([]).coupons_issued[0].code
    used = ring(till, [("SKU000300", 3)], member=mno, coupon=code)
    assert any(c.code == code and c.applied for c in used.priced.coupons)
    with pytest.raises(StateError) as err:
        refund(till, co_receipt(till, code), reward_coupons=[code])
    assert err.value.code == "reward_coupon_used"


def co_receipt(till: Shop, code: str) -> str:
    with till.db.sessions() as s:
        sale_id = s.get(Coupon, code).issued_sale_id
        return s.get(Sale, sale_id).receipt_no


# --- coupons issued for a later visit (满额返券) -----------------------------------------


def care_sale(till: Shop, mno: str | None = None, qty: int = 4):
    """个护 (C06) worth at least 100.00: the demo's 满100返10元券."""
    return ring(till, [("SKU000505", qty)], member=mno)


def test_a_qualifying_sale_issues_a_coupon_valid_from_tomorrow(till):
    mno = member_no(till.db, "normal")
    sale = care_sale(till, mno)
    (issued,) = sale.coupons_issued
    assert issued.valid_from.astimezone(till.settings.tz).isoformat() == (
        "2026-11-24T00:00:00+08:00"
    )
    assert last_record(till.db)["coupons_issued"][0]["code"] == issued.code
    with till.db.sessions() as s:  # held on the member: it shows on their panel next time
        assert s.get(Coupon, issued.code).member_id == find_member(s, mno).id
    co = till.checkout()
    co.add("SKU000300", 3)
    co.attach_member(mno)
    priced = co.apply_coupon(issued.code)  # stays on the basket, but not before tomorrow
    (result,) = priced.coupons
    assert (result.applied, result.reason) == (False, "not_yet_valid")


def test_a_return_below_the_threshold_cancels_the_unused_coupon(till):
    sale = care_sale(till)
    (issued,) = sale.coupons_issued
    unit_paid = sale.priced.lines[0].paid
    back = refund(till, sale.receipt_no, {1: 3})
    assert back.coupons_cancelled == (issued.code,) and back.refund == mul_div_half_up(
        unit_paid, 3, 4
    )
    with till.db.sessions() as s:
        assert s.get(Coupon, issued.code).status == "void"


def test_a_return_that_stays_above_the_threshold_keeps_the_coupon(till):
    sale = care_sale(till, qty=5)  # 5 × 47.90, 满100减10 ×2: 219.50 paid, 1 coupon
    (issued,) = sale.coupons_issued
    back = refund(till, sale.receipt_no, {1: 2})  # 3 left: still over 100.00
    assert back.coupons_cancelled == () and back.coupon_deduction == 0
    with till.db.sessions() as s:
        assert s.get(Coupon, issued.code).status == "issued"
    back = refund(till, sale.receipt_no, {1: 2})  # 1 left: below, so it goes now
    assert back.coupons_cancelled == (issued.code,)


def test_a_used_coupon_is_deducted_from_the_refund(till):
    mno = member_no(till.db, "normal")
    sale = care_sale(till, mno)
    code = sale.coupons_issued[0].code
    tomorrow = till.now + timedelta(days=1)
    till.now = tomorrow
    used = ring(till, [("SKU000300", 3)], member=mno, coupon=code)
    saved = next(c.amount for c in used.priced.coupons if c.code == code)
    back = refund(till, sale.receipt_no)
    assert back.coupon_deduction == saved == 1000
    assert back.refund == sale.payable - 1000
    record = last_record(till.db)
    assert record["coupons_issued"][0]["status"] == "used"
    assert record["coupons_issued"][0]["deducted"] == 1000


def test_the_store_may_absorb_a_used_coupon(till, tmp_path):
    path = tmp_path / "config.toml"  # the policy as a store sets it
    path.write_text('[value]\nused_coupon_on_return = "absorb"\n', encoding="utf-8")
    policy = CheckoutSettings.from_config(load_config(path), "t").used_coupon_on_return
    till.settings = replace(till.settings, used_coupon_on_return=policy)
    mno = member_no(till.db, "normal")
    sale = care_sale(till, mno)
    code = sale.coupons_issued[0].code
    till.now = till.now + timedelta(days=1)
    ring(till, [("SKU000300", 3)], member=mno, coupon=code)
    back = refund(till, sale.receipt_no)
    assert back.coupon_deduction == 0 and back.refund == sale.payable


# --- stored value (储值) ---------------------------------------------------------------------


def test_top_up_with_bonus_then_pay_by_app_code_and_return_to_the_balance(till):
    before = balance(till)
    assert (before.principal, before.bonus) == (50_000, 5000)
    up = topups.top_up(
        till.db,
        till.settings,
        till.cashier,
        member_no=APP_MEMBER,
        amount=50_000,
        tenders=[Tender("wechat", 50_000, "4200000009")],
        clock=lambda: till.now,
    )
    assert (up.bonus, up.bonus_rule) == (5000, "充500送50")
    assert (up.balance.principal, up.balance.bonus) == (100_000, 10_000)
    record = last_record(till.db, "stored_value")
    assert (record["kind"], record["principal"], record["bonus"]) == ("topup", 50_000, 5000)

    co = till.checkout()
    co.add("SKU000300", 2)
    co.identify(app_code(till))
    due = co.quote().payable
    sale = co.pay([Tender("stored_value", due)])
    # principal:bonus is 10:1, so 10/11 of the amount comes out of principal
    spent_p = mul_div_half_up(due, 100_000, 110_000)
    after = balance(till)
    assert after.total == 110_000 - due and abs(after.principal - (100_000 - spent_p)) <= 1
    assert sale.stored_value_balance == after.total
    assert {r["bucket"] for r in last_record(till.db)["stored_value"]} == {"principal", "bonus"}
    refund(till, sale.receipt_no, {1: 1})
    refund(till, sale.receipt_no, {1: 1})
    assert balance(till) == stored_value.Balance(100_000, 10_000)  # exactly as before


def test_paying_by_balance_needs_the_app_code_or_the_members_pin(till):
    co = till.checkout()
    co.add("SKU000002")
    co.attach_member(APP_MEMBER)  # a card: anybody may hold it
    due = co.quote().payable
    with pytest.raises(StateError) as err:
        co.pay([Tender("stored_value", due)])
    assert err.value.code == "sv_needs_auth"
    with pytest.raises(PermissionDenied) as err:
        co.verify_payment_pin("000000")
    assert err.value.code == "pay_pin_wrong" and "还可尝试 4 次" in str(err.value)
    co.verify_payment_pin(DEMO_PAY_PIN)
    co.pay([Tender("stored_value", due)])
    assert balance(till).total == 55_000 - due


def test_offline_only_what_hq_confirmed_minus_unsynced_spending(till):
    co = till.checkout()
    co.hq_reachable = lambda: False
    co.add("SKU000002")
    co.identify(app_code(till))
    due = co.quote().payable
    co.pay([Tender("stored_value", due)])
    topups.top_up(
        till.db,
        till.settings,
        till.cashier,
        member_no=APP_MEMBER,
        amount=10_000,
        tenders=[Tender("cash", 10_000)],
        clock=lambda: till.now,
    )
    with till.db.sessions() as s:
        member = find_member(s, APP_MEMBER)
        # 550.00 from HQ, less this till's unsynced spending; the unsynced top-up not yet
        assert stored_value.offline_allowance(s, member.id) == 55_000 - due
        assert stored_value.spendable(s, member.id, online=True) == 65_000 - due
    with till.db.transaction() as s:
        s.execute(update(OutboxRow).values(sent_at=till.now))  # HQ acknowledged everything
    with till.db.sessions() as s:
        assert stored_value.offline_allowance(s, find_member(s, APP_MEMBER).id) == 65_000 - due
    till.now += timedelta(minutes=2)  # a fresh code: the old one would be a replay
    co.add("SKU000300", 100)
    co.identify(app_code(till))
    with pytest.raises(PosError) as err:
        co.pay([Tender("stored_value", co.quote().payable)])
    assert err.value.code in ("sv_insufficient", "over_tender")


def test_refunding_a_top_up_needs_a_manager_and_only_unspent_principal(till):
    up = topups.top_up(
        till.db,
        till.settings,
        till.cashier,
        member_no=APP_MEMBER,
        amount=50_000,
        tenders=[Tender("cash", 60_000)],
        clock=lambda: till.now,
    )
    assert up.change == 10_000
    co = till.checkout()
    co.add("SKU000300", 3)
    co.attach_member(APP_MEMBER)
    co.verify_payment_pin(DEMO_PAY_PIN)
    due = co.quote().payable
    co.pay([Tender("stored_value", due)])
    held = balance(till)

    def ask(approver=None):
        return topups.refund_topup(
            till.db,
            till.settings,
            till.cashier,
            receipt_no=up.receipt_no,
            reason="顾客要求退卡",
            approver=approver,
            clock=lambda: till.now,
        )

    with pytest.raises(NeedsApproval) as err:
        ask()
    assert err.value.role == "manager"
    with pytest.raises(NeedsApproval):
        ask(till.supervisor)
    done = ask(till.manager)
    assert done.principal == min(50_000, held.principal)
    assert done.refunds == {"cash": done.principal}
    assert balance(till).principal == held.principal - done.principal
    record = last_record(till.db, "stored_value")
    assert record["kind"] == "topup_refund" and record["principal"] == -done.principal
    with pytest.raises(StateError) as err:
        ask(till.manager)
    assert err.value.code == "topup_nothing_to_refund"


def test_a_top_up_by_card_and_alipay_but_never_by_stored_value(till):
    def top_up(*tenders: Tender) -> topups.TopUpResult:
        return topups.top_up(
            till.db,
            till.settings,
            till.cashier,
            member_no=APP_MEMBER,
            amount=60_000,
            tenders=list(tenders),
            clock=lambda: till.now,
        )

    with pytest.raises(InvalidInput) as err:
        top_up(Tender("stored_value", 60_000))
    assert err.value.code == "unknown_tender"
    up = top_up(Tender("card", 20_000, "6222"), Tender("alipay", 40_000, "2088"))
    assert (up.principal, up.bonus) == (60_000, 5000)  # 充500送50 once
    assert balance(till) == stored_value.Balance(110_000, 10_000)
    assert {p["method"]: p["amount"] for p in last_record(till.db, "stored_value")["payments"]} == {
        "card": 20_000,
        "alipay": 40_000,
    }


def test_top_up_receipts_are_not_sales(till):
    from terminal import shifts

    topups.top_up(
        till.db,
        till.settings,
        till.cashier,
        member_no=APP_MEMBER,
        amount=20_000,
        tenders=[Tender("cash", 20_000)],
        clock=lambda: till.now,
    )
    with till.db.sessions() as s:
        x = shifts.shift_summary(s, shifts.require_open_shift(s, till.settings.terminal_id))
    assert x.sales_count == 0 and x.net_sales == 0
    assert x.tenders["cash"] == 20_000 and x.expected_cash == 50_000 + 20_000


# --- VAT -------------------------------------------------------------------------------------


def test_tax_per_line_and_a_full_return_reverses_it_to_the_fen(till):
    sale = ring(till, [("SKU000002", 3), ("SKU000100", 1), ("SKU000153", 2)])
    rows = sale_lines(till.db, sale.receipt_no)
    assert {r.vat for r in rows} == {"13", "9", "exempt"}
    record = last_record(till.db)
    assert sum(t["amount"] for t in record["taxes"]) == sale.payable
    assert sum(t["tax"] for t in record["taxes"]) == sum(r.tax for r in rows)
    refund(till, sale.receipt_no, {1: 1})
    refund(till, sale.receipt_no)
    with till.db.sessions() as s:
        total = s.scalar(select(func.sum(SaleLine.tax)))
    assert total == 0


def test_the_shift_tax_per_rate_is_the_sum_of_its_receipts(till):
    from terminal import shifts
    from terminal.tax_report import shift_taxes

    a = ring(till, [("SKU000002", 3), ("SKU000100", 1)])
    b = ring(till, [("SKU000002", 1), ("SKU000153", 2)])
    refund(till, a.receipt_no, {1: 1})
    with till.db.sessions() as s:
        shift = shifts.require_open_shift(s, till.settings.terminal_id)
        per_rate = {t.vat: (t.amount, t.tax) for t in shift_taxes(s, shift.id)}
        lines = s.scalars(select(SaleLine)).all()
    for vat in ("13", "9", "exempt"):
        mine = [r for r in lines if r.vat == vat]
        assert per_rate[vat] == (sum(r.paid for r in mine), sum(r.tax for r in mine))
    assert per_rate["exempt"][1] == 0
    assert sum(amount for amount, _ in per_rate.values()) == a.payable + b.payable - (
        a.priced.lines[0].paid - mul_div_half_up(a.priced.lines[0].paid, 2, 3)
    )


def test_the_till_prices_in_the_stores_time_zone_not_utc(till):
    """A defect fixed with this work: weekday and time-of-day rules ran on UTC days."""
    mno = member_no(till.db, "normal")
    till.now = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # Wednesday 01:00 in Shanghai
    co = till.checkout()
    co.add("SKU000002")
    priced = co.attach_member(mno)
    assert any("周三会员日" in text for text in priced.explanation)


def test_partial_returns_of_limited_units_and_of_reward_lines(till):
    eggs, mno = "SKU000154", member_no(till.db, "silver")
    before = points(till, mno)
    co = till.checkout()
    co.add(eggs, 3)
    co.attach_member(mno)
    co.add_reward("RW-NOODLE", 2)  # 2 × 500 points
    sale = co.pay([Tender("cash", co.quote().payable)])
    spent = before - points(till, mno)
    refund(till, sale.receipt_no, {1: 1})  # 1 of 3 eggs: round(2 × 1/3) = 1 promotional unit
    with till.db.sessions() as s:
        assert s.scalar(select(func.sum(PromotionUse.units))) == 1
    back = refund(till, sale.receipt_no, {2: 1})  # 1 of 2 noodles: 500 points back
    assert back.points_restored == 500 and back.refund == 0
    refund(till, sale.receipt_no)  # the rest
    with till.db.sessions() as s:
        assert s.scalar(select(func.sum(PromotionUse.units))) == 0
    assert spent == 1000 - sale.points_earned and points(till, mno) == before


def test_every_reward_refusal_has_words_in_both_languages():
    from terminal import messages

    reasons = (
        "unknown",
        "wrong_kind",
        "not_this_product",
        "not_for_weighed",
        "no_member",
        "not_yet_valid",
        "expired",
        "wrong_tier",
        "unknown_coupon",
        "points_insufficient",
    )
    for reason in reasons:
        zh, en = messages.CATALOGUE[f"reward_{reason}"]
        assert zh and en


def test_a_parked_basket_keeps_its_weights_labels_and_rewards(till):
    mno = member_no(till.db, "gold")
    co = till.checkout()
    co.attach_member(mno)
    co.add(scale_label("SKU900101", 532))
    co.add_weighed("SKU900102", 1500)
    co.add_reward("RW-NOODLE")
    co.add_reward("RW-COUPON10")
    before = co.quote()
    parked = co.suspend("称重和兑换")
    resumed = co.resume(parked)
    assert resumed.payable == before.payable and resumed.reward_points == before.reward_points
    assert [line.qty for line in resumed.lines] == [532, 1500, 1]
    assert [c.rule_id for c in resumed.coupons_issued] == ["RW-COUPON10"]


def test_a_balance_tender_is_checked_before_paying_and_offline_says_so(till):
    co = till.checkout()
    co.hq_reachable = lambda: False
    co.add("SKU000002")
    co.attach_member(APP_MEMBER)
    with pytest.raises(StateError) as err:
        co.check_stored_value(100)
    assert err.value.code == "sv_needs_auth"
    co.verify_payment_pin(DEMO_PAY_PIN)
    co.check_stored_value(55_000)  # the whole balance HQ confirmed
    with pytest.raises(StateError) as err:
        co.check_stored_value(55_001)
    assert err.value.code == "sv_insufficient"
    topups.top_up(
        till.db,
        till.settings,
        till.cashier,
        member_no=APP_MEMBER,
        amount=10_000,
        tenders=[Tender("cash", 10_000)],
        clock=lambda: till.now,
    )
    with pytest.raises(StateError) as err:  # the unsynced top-up is not spendable offline
        co.check_stored_value(60_000)
    assert err.value.code == "sv_offline_limit"
    assert "550.00" in str(err.value) and "650.00" in str(err.value)
    co.hq_reachable = lambda: True
    co.check_stored_value(60_000)

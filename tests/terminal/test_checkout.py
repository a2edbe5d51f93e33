"""Ringing up sales on the demo store: basket operations, tenders, the one-transaction commit."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from terminal import ledger
from terminal.errors import InvalidInput, NotFound, PermissionDenied, StateError
from terminal.members import find_member
from terminal.store.models import (
    AuditEvent,
    Coupon,
    CouponRedemption,
    OutboxRow,
    Payment,
    PointsEntry,
    Product,
    Sale,
    SaleLine,
    Terminal,
)
from terminal.tenders import Tender, check_tenders
from tests.terminal.tillkit import barcode_of, make_till, member_no


def count(db, model, *where) -> int:
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def price_of(db, sku: str) -> int:
    with db.sessions() as s:
        return s.scalar(select(Product.price).where(Product.sku == sku))


def sku_named(db, word: str) -> str:
    with db.sessions() as s:
        return s.scalars(select(Product.sku).where(Product.name.contains(word))).first()


def test_unknown_barcode_adds_nothing_and_says_so(demo_db):
    co = make_till(demo_db).checkout()
    co.add("SKU000002")
    with pytest.raises(NotFound) as err:
        co.add("6900000099999")
    assert err.value.code == "unknown_barcode"
    assert "6900000099999" in str(err.value)
    assert len(co.lines) == 1 and co.lines[0].qty == 1


def test_add_by_barcode_or_sku_merges_repeated_scans(demo_db):
    co = make_till(demo_db).checkout()
    sku = sku_named(demo_db, "抽纸")
    co.add(barcode_of(demo_db, sku))
    priced = co.add(sku, qty=2)
    assert [(line.product.sku, line.qty) for line in co.lines] == [(sku, 3)]
    assert priced.subtotal == 3 * price_of(demo_db, sku)


def test_no_sale_without_an_open_shift(demo_db):
    co = make_till(demo_db, open_shift=False).checkout()
    co.add("SKU000002")
    with pytest.raises(StateError) as err:
        co.pay([Tender("cash", 100_000)])
    assert "开班" in str(err.value)
    assert count(demo_db, Sale) == 0


def test_cash_sale_gives_change_and_writes_everything_in_one_go(demo_db):
    till = make_till(demo_db)
    co = till.checkout()
    sku = sku_named(demo_db, "抽纸")  # no promotion on household paper
    priced = co.add(sku)
    assert priced.payable == price_of(demo_db, sku)
    result = co.pay([Tender("cash", 10_000)], expected_payable=priced.payable)
    assert result.change == 10_000 - priced.payable
    assert result.receipt_no == "S001T01-00000001"
    with demo_db.sessions() as s:
        sale = s.get(Sale, result.sale_id)
        assert sale.payable == priced.payable and sale.change_given == result.change
        [payment] = sale.payments
        assert (payment.method, payment.amount, payment.tendered) == (
            "cash",
            priced.payable,
            10_000,
        )
        assert [line.sku for line in sale.lines] == [sku]
        assert sum(line.paid for line in sale.lines) == sale.payable
    assert count(demo_db, OutboxRow, OutboxRow.record_id == result.sale_id) == 1
    assert count(demo_db, AuditEvent, AuditEvent.action == "sale") == 1
    assert co.lines == []  # a new empty basket


def test_receipt_numbers_are_gap_free_even_after_a_refused_sale(demo_db):
    till = make_till(demo_db)
    co = till.checkout()
    numbers = []
    for attempt in range(4):
        co.add("SKU000002")
        if attempt == 1:
            with pytest.raises(InvalidInput):
                co.pay([Tender("card", 10**7)])  # over-tender: refused, nothing written
        numbers.append(co.pay([Tender("cash", 10**6)]).receipt_no)
    assert numbers == [f"S001T01-{n:08d}" for n in range(1, 5)]
    with demo_db.sessions() as s:
        assert s.scalar(select(Terminal.next_receipt_seq)) == 5


def test_tender_rules():
    assert check_tenders(1000, [Tender("cash", 2000)]) == 1000
    assert check_tenders(1000, [Tender("card", 400), Tender("cash", 1000)]) == 400
    assert check_tenders(1000, [Tender("wechat", 1000, "4200001234")]) == 0
    with pytest.raises(InvalidInput, match="非现金") as err:
        check_tenders(1000, [Tender("card", 1001)])
    assert err.value.code == "over_tender"
    with pytest.raises(InvalidInput, match="还差"):
        check_tenders(1000, [Tender("card", 500), Tender("cash", 400)])
    with pytest.raises(InvalidInput, match="流水号"):
        check_tenders(1000, [Tender("alipay", 1000)])
    with pytest.raises(InvalidInput):
        check_tenders(1000, [Tender("bitcoin", 1000)])
    with pytest.raises(InvalidInput) as err:  # a mistyped sum: was an OverflowError at the commit
        check_tenders(1000, [Tender("cash", 10**20)])
    assert err.value.code == "amount_too_large"


def test_mixed_tenders_are_recorded_with_their_references(demo_db):
    till = make_till(demo_db)
    co = till.checkout()
    priced = co.add(sku_named(demo_db, "洗衣液"), qty=3)
    due = priced.payable
    result = co.pay([Tender("wechat", due - 1000, "4200009876"), Tender("cash", 2000)])
    assert result.change == 1000
    with demo_db.sessions() as s:
        pays = {p.method: (p.amount, p.reference) for p in s.scalars(select(Payment))}
    assert pays == {"wechat": (due - 1000, "4200009876"), "cash": (1000, "")}


@pytest.mark.parametrize(
    ("tenders", "code"),
    [
        ([Tender("card", 1001)], "over_tender"),
        ([Tender("card", 500), Tender("cash", 400)], "under_tender"),
        ([Tender("alipay", 1000)], "reference_required"),
        ([Tender("cash", 0)], "tender_not_positive"),
        ([Tender("bitcoin", 1000)], "unknown_tender"),
    ],
)
def test_each_tender_refusal_has_its_own_code(tenders, code):
    """A front end tells the refusals apart by code (all were ``invalid`` once)."""
    with pytest.raises(InvalidInput) as err:
        check_tenders(1000, tenders)
    assert err.value.code == code


def test_one_list_of_tender_methods_and_their_names():
    """The receipt, the Z slip, the tills and the HQ record name the same methods alike."""
    from typing import get_args

    from terminal.messages import render
    from terminal.receipts import TENDER_LABELS
    from terminal.records import PaymentRecord
    from terminal.tenders import ALL_METHODS, METHODS, method_name

    assert ALL_METHODS[:-1] == METHODS and ALL_METHODS[-1] == "stored_value"
    assert get_args(PaymentRecord.model_fields["method"].annotation) == ALL_METHODS
    assert {m: render(method_name(m).code, lang="zh_CN") for m in ALL_METHODS} == TENDER_LABELS
    assert TENDER_LABELS == {
        "cash": "现金",
        "card": "银行卡",
        "wechat": "微信支付",
        "alipay": "支付宝",
        "stored_value": "储值支付",
    }


def test_void_needs_a_supervisor_and_is_audited(demo_db):
    till = make_till(demo_db)
    co = till.checkout()
    co.add("SKU000002")
    co.add("SKU000003")
    line = co.lines[0]
    with pytest.raises(PermissionDenied):
        co.remove_line(line.line_id)
    with pytest.raises(PermissionDenied):  # a cashier cannot approve their own void
        co.remove_line(line.line_id, approver=till.cashier)
    co.set_qty(co.lines[1].line_id, 3)  # raising a quantity is not a void
    with pytest.raises(PermissionDenied):
        co.set_qty(co.lines[1].line_id, 1)
    co.remove_line(line.line_id, approver=till.supervisor)
    assert [ln.product.sku for ln in co.lines] == ["SKU000003"]
    with demo_db.sessions() as s:
        ev = s.scalars(select(AuditEvent).where(AuditEvent.action == "void_line")).one()
        assert ev.approved_by == till.supervisor.user_id and ev.user_id == till.cashier.user_id


def test_price_override_needs_reason_and_permission(demo_db):
    till = make_till(demo_db)
    co = till.checkout()
    co.add("SKU000100")
    lid = co.lines[0].line_id
    with pytest.raises(InvalidInput) as err:
        co.override_price(lid, 500, "  ", approver=till.supervisor)
    assert err.value.code == "reason_required"
    with pytest.raises(InvalidInput) as err:  # a typo, refused before any approval
        co.override_price(lid, 10**20, "临期商品")
    assert err.value.code == "amount_too_large"
    with pytest.raises(PermissionDenied):
        co.override_price(lid, 500, "临期商品")
    priced = co.override_price(lid, 500, "临期商品", approver=till.supervisor)
    assert priced.lines[0].unit_price == 500
    with pytest.raises(PermissionDenied):
        co.discount_line(lid, 100, "包装破损")
    priced = co.discount_line(lid, 100, "包装破损", approver=till.manager)
    assert priced.payable == 400


def test_suspend_and_resume_keep_the_basket(demo_db):
    till = make_till(demo_db)
    co = till.checkout()
    co.add("SKU000002", qty=2)
    co.add("SKU000300")
    before = co.quote().payable
    sid = co.suspend("顾客去拿东西")
    assert co.lines == []
    assert [s.id for s in co.suspended()] == [sid]
    priced = co.resume(sid)
    assert priced.payable == before
    assert co.suspended() == []
    with pytest.raises(StateError):  # the resumed basket is still open
        co.resume(sid)
    co.clear()
    with pytest.raises(NotFound):
        co.resume(sid)


def test_member_points_earned_and_redeemed_through_the_ledger(demo_db):
    till = make_till(demo_db)
    co = till.checkout()
    mno = member_no(demo_db, "gold")
    co.attach_member(mno)
    with demo_db.sessions() as s:
        member = find_member(s, mno)
        balance_before = ledger.balance(s, member.id, till.settings.business_day(till.now))
    co.add(sku_named(demo_db, "大米"), qty=2)
    priced = co.set_redeem_points(500)
    assert priced.points_redeemed == 500 and priced.points_value == 500
    result = co.pay([Tender("cash", priced.payable)])
    assert result.points_balance == balance_before - 500 + priced.points_earned
    assert priced.points_earned > 0
    with demo_db.sessions() as s:
        earn = s.scalars(
            select(PointsEntry).where(
                PointsEntry.sale_id == result.sale_id, PointsEntry.kind == "earn"
            )
        ).one()
        assert earn.points == priced.points_earned
        assert earn.expires_on.isoformat() == "2027-12-31"  # end of the next calendar year
        lines = s.scalars(select(SaleLine).where(SaleLine.sale_id == result.sale_id)).all()
        assert sum(ln.points_earned for ln in lines) == priced.points_earned
        assert sum(ln.points_redeemed for ln in lines) == 500


def test_points_need_a_member_and_respect_the_offline_limit(demo_db):
    till = make_till(demo_db)
    co = till.checkout()
    co.add("SKU000002")
    with pytest.raises(StateError):
        co.set_redeem_points(100)
    co.attach_member(member_no(demo_db))
    with pytest.raises(StateError) as err:
        co.set_redeem_points(till.settings.offline_redeem_limit + 1)
    assert err.value.code == "offline_limit"


def test_coupon_is_single_use(demo_db):
    till = make_till(demo_db)
    co = till.checkout()
    co.add(sku_named(demo_db, "洗衣液"), qty=3)  # well over the 50-yuan minimum
    priced = co.apply_coupon("CP100001")
    [res] = priced.coupons
    assert res.applied and res.amount == 1000
    sale = co.pay([Tender("cash", priced.payable)])
    with demo_db.sessions() as s:
        assert s.get(Coupon, "CP100001").status == "redeemed"
        assert s.scalars(select(CouponRedemption)).one().sale_id == sale.sale_id
    co.add(sku_named(demo_db, "洗衣液"), qty=3)
    with pytest.raises(InvalidInput) as err:
        co.apply_coupon("CP100001")
    assert err.value.code == "coupon_already_used"
    assert co.coupon_codes == []


def test_coupon_below_minimum_stays_with_its_reason(demo_db):
    co = make_till(demo_db).checkout()
    co.add("SKU000002")
    priced = co.apply_coupon("CP100002")
    [res] = priced.coupons
    assert not res.applied and res.reason == "min_spend_not_met" and res.message
    assert co.coupon_codes == ["CP100002"]


def test_a_sale_that_fails_inside_the_commit_leaves_nothing(demo_db):
    """The coupon is taken by another till between quote and pay: nothing is written."""
    till = make_till(demo_db)
    co = till.checkout()
    co.add(sku_named(demo_db, "洗衣液"), qty=3)
    priced = co.apply_coupon("CP100003")
    with demo_db.transaction() as s:
        s.get(Coupon, "CP100003").status = "redeemed"
    with pytest.raises(StateError):
        co.pay([Tender("cash", priced.payable)], expected_payable=priced.payable)
    assert count(demo_db, Sale) == 0
    assert count(demo_db, OutboxRow) == 0
    assert count(demo_db, PointsEntry, PointsEntry.sale_id.is_not(None)) == 0
    with demo_db.sessions() as s:
        assert s.scalar(select(Terminal.next_receipt_seq)) == 1


def test_empty_basket_cannot_be_paid(demo_db):
    co = make_till(demo_db).checkout()
    with pytest.raises(StateError) as err:
        co.pay([Tender("cash", 100)])
    assert err.value.code == "empty_basket"


def test_a_malformed_promotion_is_left_out_and_named_not_a_crash(demo_db):
    from terminal.store.models import PromotionRow

    with demo_db.transaction() as s:
        s.add(
            PromotionRow(
                id="P-BAD",
                body={
                    "id": "P-BAD",
                    "kind": "percent_off",
                    "name": "坏规则",
                    "percent_off_bp": 20000,
                },
            )
        )
    co = make_till(demo_db).checkout()
    priced = co.add("SKU000001")
    assert "P-SPECIAL" in {a.rule_id for a in priced.adjustments}  # the good rules still apply
    assert any("P-BAD" in p and "percent_off_bp" in p for p in co.rules.problems)


def test_points_spent_at_another_till_meanwhile_are_never_redeemed_twice(demo_db):
    till = make_till(demo_db)
    mno = member_no(demo_db, "normal", 3)
    with demo_db.sessions() as s:
        balance = ledger.balance(s, find_member(s, mno).id, till.settings.business_day(till.now))
    want = min(balance, till.settings.offline_redeem_limit)
    a, b = till.checkout(), till.checkout()
    for co in (a, b):
        co.add(sku_named(demo_db, "大米"), qty=10)
        co.attach_member(mno)
    seen_by_b = b.set_redeem_points(want).payable
    sale_a = a.pay([Tender("cash", a.set_redeem_points(want).payable)])
    with pytest.raises(StateError) as err:  # b still shows the old balance: refused, not charged
        b.pay([Tender("cash", seen_by_b)], expected_payable=seen_by_b)
    assert err.value.code == "payable_changed"
    assert b.quote().points_redeemed == sale_a.points_balance  # what is really left


def test_birthday_month_members_earn_the_birthday_multiplier(demo_db):
    from terminal.checkout import Checkout
    from terminal.pii import MemberVault
    from terminal.registration import register_member

    till = make_till(demo_db)
    vault = MemberVault.ephemeral()
    with demo_db.transaction() as s:
        born_now = register_member(
            s,
            vault,
            phone="13800138000",
            name="王小明",
            birthday_month=11,
            birthday_day=2,
            consent_data=True,
            actor=till.cashier,
            now=till.now,
        ).member.member_no
        born_later = register_member(
            s,
            vault,
            phone="13900139000",
            name="李华",
            birthday_month=5,
            birthday_day=2,
            consent_data=True,
            actor=till.cashier,
            now=till.now,
        ).member.member_no
    sku = sku_named(demo_db, "抽纸")
    for mno, multiplier_bp in ((born_now, 15_000), (born_later, 10_000)):
        co = Checkout(demo_db, till.settings, till.cashier, clock=lambda: till.now, vault=vault)
        co.add(sku, 4)
        co.attach_member(mno)
        priced = co.quote()
        # normal tier (x1); the November birthday adds x1.5; yuan paid, floored once
        assert priced.points_earned == priced.payable * multiplier_bp // 10_000 // 100
        assert priced.points_earned > 0


def test_one_scan_entry_routes_products_members_coupons_and_receipts(demo_db):
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from terminal.membercodes import demo_app_key, demo_key_id, encode_dynamic
    from terminal.membercodes.errors import MemberCodeRefused
    from terminal.store.models import Member, MemberKey

    seed = b"test-seed-0123456789abcdef012345"
    mno = member_no(demo_db, "gold")
    key = demo_app_key(seed, mno)
    with demo_db.transaction() as s:
        member_id = s.scalar(select(Member.id).where(Member.member_no == mno))
        s.add(
            MemberKey(
                key_id=demo_key_id(seed, mno),
                member_id=member_id,
                public_key=key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw),
            )
        )
    till = make_till(demo_db)
    co = till.checkout()
    co.scan(barcode_of(demo_db, "SKU000300"))
    code = encode_dynamic(mno, demo_key_id(seed, mno), key, till.now)
    priced = co.scan(code)
    assert co.member_no == mno and priced.lines[0].tier_discount > 0
    assert co.scan(code) == priced  # the scanner read it twice: nothing changes
    with pytest.raises(StateError) as other:  # someone else's card is not swapped in silently
        co.scan(f"M{int(mno[1:]) + 1:08d}")
    assert other.value.code == "member_already_attached" and co.member_no == mno
    co.detach_member()
    with pytest.raises(MemberCodeRefused) as err:  # the first code again: a screenshot
        co.scan(code)
    assert err.value.code == "replay"
    co.scan("CP100002")
    assert co.coupon_codes == ["CP100002"]
    with pytest.raises(InvalidInput) as err2:
        co.scan("S001T01-00000001")
    assert err2.value.code == "receipt_scanned"


@pytest.mark.parametrize(
    ("role", "approver", "refused_by"),
    [("manager", "manager", "supervisor"), ("cashier", None, None)],
)
def test_cancelling_a_basket_needs_the_role_the_store_sets(demo_db, role, approver, refused_by):
    """Issue 8: a basket with lines is cancelled only with ``[security] cancel_basket_role``
    (default supervisor; tested at the keyboard till), audited with its lines and amount."""
    from dataclasses import replace

    from terminal.auth import NeedsApproval
    from terminal.checkout import Checkout
    from terminal.store.models import AuditEvent

    till = make_till(demo_db)
    settings = replace(till.settings, cancel_basket_role=role)
    co = Checkout(demo_db, settings, till.cashier, clock=lambda: till.now)
    due = co.add("SKU000002", qty=2).payable
    if refused_by is not None:
        with pytest.raises(NeedsApproval) as err:
            co.cancel(getattr(till, refused_by))
        assert err.value.role == role and "店长" in str(err.value)
        assert len(co.lines) == 1  # nothing cancelled
    co.cancel(getattr(till, approver) if approver else None)
    assert co.lines == []
    with demo_db.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "basket_cancelled")).one()
    assert event.details["lines"] == [{"sku": "SKU000002", "qty": 2}]
    assert event.details["amount"] == due
    assert (event.approved_by is not None) == (approver is not None)

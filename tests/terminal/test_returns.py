"""Returns by receipt number: refunds at net paid, points and coupons put back, never twice."""

from __future__ import annotations

import contextlib
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from terminal import ledger
from terminal.errors import InvalidInput, NotFound, PermissionDenied, StateError
from terminal.members import find_member
from terminal.returns import process_return, returnable_lines
from terminal.store.database import Database
from terminal.store.models import Coupon, OutboxRow, Payment, Sale, SaleLine
from terminal.tenders import Tender
from tests.terminal.tillkit import Shop, make_till, member_no, ring


def balance(till: Shop, mno: str) -> int:
    with till.db.sessions() as s:
        return ledger.balance(s, find_member(s, mno).id, till.settings.business_day(till.now))


def refund(till: Shop, receipt: str, quantities=None, reason="顾客退货"):
    return process_return(
        till.db,
        till.settings,
        till.cashier,
        receipt_no=receipt,
        reason=reason,
        quantities=quantities,
        approver=till.supervisor,
        clock=lambda: till.now,
    )


def test_return_needs_a_supervisor_and_a_reason(demo_db):
    till = make_till(demo_db)
    sale = ring(till, [("SKU000002", 1)])
    with pytest.raises(PermissionDenied):
        process_return(
            demo_db, till.settings, till.cashier, receipt_no=sale.receipt_no, reason="坏了"
        )
    with pytest.raises(InvalidInput):
        refund(till, sale.receipt_no, reason=" ")
    with pytest.raises(NotFound):
        refund(till, "S001T01-99999999")


def test_full_return_refunds_what_was_paid_and_restores_points_and_coupon(demo_db):
    till = make_till(demo_db)
    mno = member_no(demo_db, "silver")
    before = balance(till, mno)
    sale = ring(
        till, [("SKU000200", 3), ("SKU000040", 10)], member=mno, coupon="CP100005", points=300
    )
    assert balance(till, mno) != before
    with demo_db.sessions() as s:
        assert s.get(Coupon, "CP100005").status == "redeemed"
    result = refund(till, sale.receipt_no)
    assert result.refund == sale.payable
    assert result.refunds == {"cash": sale.payable}
    assert result.coupons_restored == ("CP100005",)
    assert balance(till, mno) == before
    with demo_db.sessions() as s:
        assert s.get(Coupon, "CP100005").status == "issued"
        original = s.scalar(select(Sale).where(Sale.receipt_no == sale.receipt_no))
        assert original.status == "returned"
        ret = s.get(Sale, result.return_id)
        assert ret.kind == "return" and ret.payable == -sale.payable
        assert ret.receipt_no == "S001T01-00000002"
        assert s.scalar(select(func.count()).select_from(OutboxRow)) == 2
    with pytest.raises(StateError) as err:
        refund(till, sale.receipt_no)
    assert err.value.code in ("already_returned", "return_too_many")


def test_partial_returns_add_up_to_exactly_what_the_line_cost(demo_db):
    till = make_till(demo_db)
    mno = member_no(demo_db, "gold")
    sale = ring(till, [("SKU000210", 7), ("SKU000011", 3)], member=mno)
    with demo_db.sessions() as s:
        lines = s.scalars(
            select(SaleLine)
            .join(Sale)
            .where(Sale.receipt_no == sale.receipt_no)
            .order_by(SaleLine.line_no)
        ).all()
    first = lines[0]
    refunds = [refund(till, sale.receipt_no, {1: q}).refund for q in (2, 1, 4)]
    assert sum(refunds) == first.paid
    with pytest.raises(StateError) as err:
        refund(till, sale.receipt_no, {1: 1})
    assert err.value.code in ("already_returned", "return_too_many")
    left = {rl.line_no: rl.remaining for rl in returnable_lines(demo_db, sale.receipt_no)}
    assert left == {1: 0, 2: 3}
    with demo_db.sessions() as s:
        assert s.scalar(select(Sale.status).where(Sale.receipt_no == sale.receipt_no)) == (
            "partly_returned"
        )


def test_mixed_tender_refund_never_exceeds_any_method(demo_db):
    till = make_till(demo_db)
    co = till.checkout()
    priced = co.add("SKU000210", 4)
    due = priced.payable
    sale = co.pay([Tender("card", due // 2), Tender("cash", due - due // 2)])
    r1 = refund(till, sale.receipt_no, {1: 1})
    r2 = refund(till, sale.receipt_no, {1: 3})
    assert r1.refund + r2.refund == due
    with demo_db.sessions() as s:
        net = dict(
            s.execute(
                select(Payment.method, func.sum(Payment.amount)).group_by(Payment.method)
            ).all()
        )
    assert net == {"card": 0, "cash": 0}


def test_points_already_spent_are_charged_against_the_refund_never_negative(demo_db):
    till = make_till(demo_db)
    mno = member_no(demo_db, "diamond")
    sale = ring(till, [("SKU000220", 5)], member=mno)
    assert sale.points_earned > 0
    # the member spends every point they have on another sale
    co = till.checkout()
    co.add("SKU000221", 30)
    co.attach_member(mno)
    everything = balance(till, mno)
    priced = co.set_redeem_points(min(everything, till.settings.offline_redeem_limit))
    co.pay([Tender("cash", priced.payable)])
    spent_all = balance(till, mno)
    result = refund(till, sale.receipt_no)
    assert balance(till, mno) >= 0
    assert result.points_shortfall == max(0, sale.points_earned - spent_all)
    if result.points_shortfall:
        assert result.shortfall_charged > 0
        assert result.refund == sale.payable - result.shortfall_charged


SKUS = [f"SKU{n:06d}" for n in (2, 11, 40, 90, 130, 200, 210, 300, 420, 505)]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    items=st.lists(st.tuples(st.sampled_from(SKUS), st.integers(1, 4)), min_size=1, max_size=5),
    tier=st.sampled_from(["normal", "silver", "gold", "diamond", None]),
    use_coupon=st.booleans(),
    points=st.sampled_from([0, 100, 1000, 5000]),
    card_share=st.integers(0, 100),
    split=st.booleans(),
)
def test_full_return_leaves_everything_as_if_the_sale_never_happened(
    demo_template, tmp_path_factory, items, tier, use_coupon, points, card_share, split
):
    path = tmp_path_factory.mktemp("prop") / "store.sqlite3"
    shutil.copyfile(demo_template, path)
    db = Database(path)
    try:
        till = make_till(db)
        mno = member_no(db, tier) if tier else None
        before = balance(till, mno) if mno else None
        co = till.checkout()
        for sku, qty in items:
            co.add(sku, qty)
        if mno:
            co.attach_member(mno)
            if points:
                co.set_redeem_points(points)
        if use_coupon:
            with contextlib.suppress(InvalidInput):  # a refused coupon is fine: the sale goes on
                co.apply_coupon("CP950007")
        priced = co.quote()
        assert priced.payable >= 0
        assert sum(line.net for line in priced.lines) == priced.payable_before_rounding
        card = priced.payable * card_share // 100
        tenders = [Tender("card", card)] if card else []
        if priced.payable - card or not tenders:
            tenders.append(Tender("cash", priced.payable - card + 500))
        sale = co.pay(tenders)
        if mno:
            assert balance(till, mno) >= 0
        if split and len(items) > 1:
            refund(till, sale.receipt_no, {1: items[0][1]})
            refund(till, sale.receipt_no)
        else:
            refund(till, sale.receipt_no)
        with db.sessions() as s:
            net = dict(
                s.execute(
                    select(Payment.method, func.sum(Payment.amount)).group_by(Payment.method)
                ).all()
            )
            assert all(v == 0 for v in net.values()), net
            assert s.get(Coupon, "CP950007").status == "issued"
            assert s.scalar(select(func.sum(SaleLine.paid))) == 0
        if mno:
            assert balance(till, mno) == before
    finally:
        db.close()


def test_sales_and_returns_queue_their_receipt_and_refund_slip(demo_db):
    from terminal.store.models import PrintJob

    till = make_till(demo_db)
    sale = ring(till, [("SKU000002", 2)])
    ret = refund(till, sale.receipt_no)
    with demo_db.sessions() as s:
        jobs = {j.sale_id: j for j in s.scalars(select(PrintJob))}
        assert jobs[sale.sale_id].status == "pending"
        assert jobs[sale.sale_id].document["receipt_no"] == sale.receipt_no
        assert jobs[ret.return_id].document["kind"] == "refund"


def test_a_return_of_nothing_is_refused_and_says_so(demo_db):
    """Seen: ``return 小票号 1=0 2=0`` answered 该小票的商品已全部退货 for a sale nothing
    had been returned from."""
    till = make_till(demo_db)
    sale = ring(till, [("SKU000300", 2), ("SKU000002", 1)])
    for quantities in ({1: 0, 2: 0}, {1: 0}, {}):
        with pytest.raises(InvalidInput) as err:
            refund(till, sale.receipt_no, quantities)
        assert err.value.code == "return_nothing_chosen"
        assert "都是 0" in str(err.value) and "已全部退货" not in str(err.value)
    left = {rl.line_no: rl.remaining for rl in returnable_lines(demo_db, sale.receipt_no)}
    assert left == {1: 2, 2: 1}  # nothing written
    with demo_db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Sale).where(Sale.kind == "return")) == 0


def test_a_return_that_will_be_refused_is_refused_before_a_supervisor_is_asked(demo_db):
    """Issue 8: validate first, so a supervisor is never called for a refused request."""
    till = make_till(demo_db)
    sale = ring(till, [("SKU000002", 2)])

    def as_cashier(quantities, reason="坏了"):
        return process_return(
            demo_db,
            till.settings,
            till.cashier,  # no approver: the core would ask for one only if the request is good
            receipt_no=sale.receipt_no,
            reason=reason,
            quantities=quantities,
            clock=lambda: till.now,
        )

    for quantities, reason, code in [
        ({1: 3}, "坏了", "return_too_many"),  # more than was sold
        ({1: 0}, "坏了", "return_nothing_chosen"),  # quantity 0
        ({1: 1}, " ", "reason_required"),  # no reason
        ({9: 1}, "坏了", "no_receipt_line"),
    ]:
        with pytest.raises((InvalidInput, StateError, NotFound)) as err:
            as_cashier(quantities, reason)
        assert err.value.code == code
    with pytest.raises(PermissionDenied) as err:
        as_cashier({1: 1})  # a good request: now, and only now, a supervisor is needed
    assert err.value.code == "needs_approval"

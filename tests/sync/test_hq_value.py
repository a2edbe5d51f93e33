"""Value HQ owns across stores: stored value, 限量 quotas and member limits, dynamic member
codes and coupons from issue to use. Real tills, a real uvicorn HQ, the real PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from sync import engine, protocol, rows
from sync.hq import admin, feed, value
from sync.hq.cli import main as hq_main
from sync.hq.db import HqDatabase
from sync.hq.models import HqEntity, HqRecord
from terminal import membercodes, stored_value
from terminal.checkout import SaleResult
from terminal.membercodes import demo_app_key, demo_key_id, encode_dynamic
from terminal.money import format_yuan
from terminal.records import SaleRecord
from terminal.store.database import Database
from terminal.store.models import Coupon, OutboxRow, Product, PromotionRow
from terminal.tenders import Tender
from tests.conftest import DEMO_NOW
from tests.sync.hqkit import HqServer, Till, enrolled_till
from tests.terminal.tillkit import ring

SEED = b"hq-value-test-seed-0123456789abc"
EGGS = "P-EGGS-LIMIT"  # 鸡蛋特价 每人限购2件 限量500份 (item promotion: counts units)


def _tills(hq: HqServer, hq_db: HqDatabase, tmp_path: Path) -> tuple[Till, Till]:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    b = enrolled_till(hq_db, hq.url, tmp_path / "b.sqlite3", "S102", "T01")
    return a, b


def _member(hq_db: HqDatabase, member_no: str) -> str:
    with hq_db.transaction() as session:
        found = value.member_id_of(session, member_no)
    assert found is not None
    return found[0]


def _skus(db: Database, n: int) -> list[str]:
    with db.sessions() as session:
        return list(
            session.scalars(
                select(Product.sku)
                .where(Product.sold_by == "unit", Product.category_id != "C04")
                .order_by(Product.sku)
                .limit(n)
            )
        )


def _app_key(hq_db: HqDatabase, member_id: str, member_no: str) -> tuple[str, Ed25519PrivateKey]:
    """Give the member a member-app key at HQ (tills get its public half through the feed)."""
    key = demo_app_key(SEED, member_no)
    key_id = demo_key_id(SEED, member_no)
    row = {
        "key_id": key_id,
        "member_id": member_id,
        "public_key": key.public_key().public_bytes_raw(),
        "created_at": DEMO_NOW - timedelta(days=30),
        "revoked_at": None,
        "updated_at": DEMO_NOW - timedelta(days=30),
    }
    with hq_db.transaction() as session:
        feed.publish(session, "member_key", key_id, rows.to_json("member_key", row))
    return key_id, key


def _by_app_code(
    till: Till, code: str, items: list[tuple[str, int]], *, by_balance: int = 0
) -> SaleResult:
    """A sale whose member showed their app code; ``by_balance`` of it paid by stored value."""
    co = till.shop.checkout()
    for sku, qty in items:
        co.add(sku, qty)
    co.scan(code)
    payable = co.quote().payable
    assert payable >= by_balance
    tenders = [Tender("stored_value", by_balance)] if by_balance else []
    return co.pay([*tenders, Tender("cash", payable - by_balance + 1000)])


def _conflicts(hq_db: HqDatabase) -> list[tuple[str, str, str, str]]:
    with hq_db.transaction() as session:
        return [
            (c.kind, c.subject, c.record_id, c.other_record_id) for c in admin.conflicts(session)
        ]


def test_stored_value_spent_twice_offline_is_flagged_both_sales_kept_and_hq_holds_the_sum(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = _tills(hq, hq_db, tmp_path)
    member_id = _member(hq_db, "M00000001")
    key_id, key = _app_key(hq_db, member_id, "M00000001")
    a.sync()
    b.sync()
    with hq_db.transaction() as session:
        start = value.member_balance(session, "M00000001")
    assert start is not None and start.stored_value.total > 0
    with a.db.sessions() as session:  # HQ's balance is the till's, seeded from the same store
        assert stored_value.balance(session, member_id).total == start.stored_value.total

    # both stores are offline and each lets the member spend most of the balance
    spend = start.stored_value.total * 2 // 3
    basket = [(sku, 4) for sku in _skus(a.db, 60)]
    in_a = _by_app_code(
        a, encode_dynamic("M00000001", key_id, key, a.shop.now), basket, by_balance=spend
    )
    b.shop.now = DEMO_NOW + timedelta(minutes=7)  # the member's app shows a newer code by then
    in_b = _by_app_code(
        b, encode_dynamic("M00000001", key_id, key, b.shop.now), basket, by_balance=spend
    )
    pushed_a, _ = a.sync()
    pushed_b, _ = b.sync()
    assert (pushed_a.sent, pushed_a.conflicts) == (1, 0)
    assert (pushed_b.sent, pushed_b.conflicts) == (1, 1)  # kept, and flagged
    assert _conflicts(hq_db) == [("stored_value_overdrawn", member_id, in_b.sale_id, in_a.sale_id)]
    with hq_db.transaction() as session:
        assert session.get(HqRecord, in_a.sale_id) and session.get(HqRecord, in_b.sale_id)
        after = value.member_balance(session, "M00000001")
    assert after is not None
    assert after.stored_value.total == start.stored_value.total - 2 * spend < 0
    a.sync()  # B's spending reaches A through the feed: both see HQ's balance
    for till in (a, b):
        with till.db.sessions() as session:
            held = stored_value.balance(session, member_id)
        assert (held.principal, held.bonus) == (
            after.stored_value.principal,
            after.stored_value.bonus,
        )

    assert hq_main(["--db", hq_db.url, "member", "balance", "M00000001"]) == 0
    shown = capsys.readouterr().out
    assert format_yuan(after.stored_value.total) in shown and "OVERDRAWN" in shown
    assert hq_main(["--db", hq_db.url, "conflicts"]) == 0
    listed = capsys.readouterr().out
    assert "stored_value_overdrawn" in listed
    assert in_a.receipt_no in listed and in_b.receipt_no in listed and "S101/T01" in listed


def _limit_eggs(hq_db: HqDatabase, limits: dict[str, int]) -> str:
    """Set the eggs promotion's limits at HQ; the egg SKU."""
    with hq_db.transaction() as session:
        row = session.get(HqEntity, ("promotion", EGGS))
        assert row is not None
        body = {**row.data["body"], "limits": limits}
        feed.publish(session, "promotion", EGGS, {**row.data, "body": body})
        return str(body["skus"][0])


def _eggs_discounted(sale: SaleResult) -> bool:
    return EGGS in {a.rule_id for a in sale.priced.adjustments}


def test_a_quota_used_up_by_two_stores_offline_is_flagged_and_tills_then_count_the_chain(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    a, b = _tills(hq, hq_db, tmp_path)
    eggs = _limit_eggs(hq_db, {"quota": 3})  # 限量 3 份 in the whole chain
    a.sync()
    b.sync()
    with a.db.sessions() as session:
        assert session.get(PromotionRow, EGGS).body["limits"] == {"quota": 3}  # type: ignore[union-attr]
    in_a = ring(a.shop, [(eggs, 2)], member="M00000011")
    in_b = ring(b.shop, [(eggs, 2)], member="M00000012")  # B does not know A sold 2
    assert _eggs_discounted(in_a) and _eggs_discounted(in_b)
    a.sync()
    pushed_b, _ = b.sync()
    assert pushed_b.conflicts == 1
    assert _conflicts(hq_db) == [("quota_exceeded", EGGS, in_b.sale_id, in_a.sale_id)]
    with hq_db.transaction() as session:
        assert {(t.rule_id, t.units) for t in value.promotion_totals(session)} == {(EGGS, 4)}

    # A only counted its own 2 (1 left); after a pull it knows the chain sold 4: none left
    a.sync()
    again = ring(a.shop, [(eggs, 1)], member="M00000013")
    assert not _eggs_discounted(again)
    assert [n.limit for n in again.priced.limits] == ["quota"]


def test_a_quota_counts_this_tills_unsynced_sales_on_top_of_hqs_total(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    a, b = _tills(hq, hq_db, tmp_path)
    eggs = _limit_eggs(hq_db, {"quota": 5})
    a.sync()
    b.sync()
    ring(b.shop, [(eggs, 2)], member="M00000012")
    b.sync()
    a.sync()  # A learns the chain sold 2
    ring(a.shop, [(eggs, 2)], member="M00000011")  # not yet at HQ: 2 + 2 used, 1 left
    last = ring(a.shop, [(eggs, 2)], member="M00000013")
    assert [(n.limit, n.remaining) for n in last.priced.limits] == [("quota", 1)]
    assert sum(u.units for u in last.priced.rule_uses if u.rule_id == EGGS) == 1
    a.sync()
    assert _conflicts(hq_db) == []  # the till held the promotion back: 5 given, not more


def test_a_member_past_a_per_member_limit_across_two_stores_is_flagged(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    a, b = _tills(hq, hq_db, tmp_path)
    eggs = _limit_eggs(hq_db, {"per_member_units": 2})  # 每人限购 2 件
    a.sync()
    b.sync()
    in_a = ring(a.shop, [(eggs, 2)], member="M00000011")
    in_b = ring(b.shop, [(eggs, 2)], member="M00000011")
    other = ring(b.shop, [(eggs, 2)], member="M00000012")  # another member: within the limit
    assert _eggs_discounted(in_a) and _eggs_discounted(in_b) and _eggs_discounted(other)
    a.sync()
    b.sync()
    assert _conflicts(hq_db) == [("member_limit_exceeded", EGGS, in_b.sale_id, in_a.sale_id)]


def test_one_dynamic_member_code_at_two_tills_within_its_window_is_flagged(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    a, b = _tills(hq, hq_db, tmp_path)
    member_id = _member(hq_db, "M00000021")
    key_id, key = _app_key(hq_db, member_id, "M00000021")
    a.sync()
    b.sync()
    sku = _skus(a.db, 1)[0]
    code = encode_dynamic("M00000021", key_id, key, DEMO_NOW)  # a screenshot, shown twice
    in_a = _by_app_code(a, code, [(sku, 1)])
    b.shop.now = DEMO_NOW + timedelta(seconds=20)  # still within the code's window
    in_b = _by_app_code(b, code, [(sku, 1)])
    with b.db.sessions() as session:
        (row,) = session.scalars(select(OutboxRow).where(OutboxRow.record_id == in_b.sale_id))
    record = SaleRecord.model_validate(row.payload)
    assert (record.member_code_key_id, record.member_code_step) == (
        key_id,
        membercodes.step_of(DEMO_NOW),
    )
    a.sync()
    pushed_b, _ = b.sync()
    assert pushed_b.conflicts == 1
    subject = f"{key_id}:{membercodes.step_of(DEMO_NOW)}"
    assert _conflicts(hq_db) == [("member_code_reused", subject, in_b.sale_id, in_a.sale_id)]

    # the member's app minutes later shows another code: no conflict at either till
    b.shop.now = DEMO_NOW + timedelta(minutes=3)
    _by_app_code(b, encode_dynamic("M00000021", key_id, key, b.shop.now), [(sku, 1)])
    a.shop.now = DEMO_NOW + timedelta(minutes=6)
    later = _by_app_code(a, encode_dynamic("M00000021", key_id, key, a.shop.now), [(sku, 1)])
    # and a second sale with that code from A itself (its own replay check is the till's job)
    with a.db.sessions() as session:
        (first,) = session.scalars(select(OutboxRow).where(OutboxRow.record_id == later.sale_id))
    again = {
        **_copy_of(first.payload),
        "receipt_no": "S101T01-99999999",
        "coupons": [],
        "rule_uses": [],
    }
    pushed = a.client().push(
        protocol.PushBatch(
            records=[
                protocol.PushRecord(id=again["id"], kind="sale", payload=again, created_at=DEMO_NOW)
            ]
        )
    )
    assert [r.outcome for r in pushed.results] == ["accepted"]
    a.sync()
    b.sync()
    assert len(_conflicts(hq_db)) == 1


def _copy_of(payload: dict) -> dict:
    """Another sale with the same figures: new ids for it and its ledger rows (HQ adds a
    sale's rows up again, so they stay; see sync/hq/checks.py)."""
    return {
        **payload,
        "id": str(uuid.uuid4()),
        "points": [dict(p, id=str(uuid.uuid4())) for p in payload["points"]],
        "stored_value": [dict(r, id=str(uuid.uuid4())) for r in payload["stored_value"]],
    }


def test_records_of_older_tills_without_the_new_fields_are_still_accepted(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    a, _ = _tills(hq, hq_db, tmp_path)
    a.sync()
    sale = ring(a.shop, [(_skus(a.db, 1)[0], 2)], member="M00000031")
    with a.db.sessions() as session:
        (row,) = session.scalars(select(OutboxRow).where(OutboxRow.record_id == sale.sale_id))
    # a member by card: no code; an older till leaves the fields out altogether
    assert (row.payload["member_code_key_id"], row.payload["member_code_step"]) == (None, None)
    old = {
        k: v for k, v in row.payload.items() if k not in ("member_code_key_id", "member_code_step")
    }
    old.update(_copy_of(old), receipt_no="S101T01-88888888")
    pushed = a.client().push(
        protocol.PushBatch(
            records=[
                protocol.PushRecord(id=old["id"], kind="sale", payload=old, created_at=DEMO_NOW)
            ]
        )
    )
    assert [r.outcome for r in pushed.results] == ["accepted"]
    pushed_now, _ = a.sync()
    assert (pushed_now.sent, pushed_now.conflicts) == (1, 0)
    assert _conflicts(hq_db) == []


def _care_basket(db: Database) -> list[tuple[str, int]]:
    """个护 worth over 100 yuan: the sale earns a 满100返10 coupon (valid from tomorrow)."""
    with db.sessions() as session:
        skus = session.scalars(
            select(Product.sku).where(Product.category_id == "C06").order_by(Product.sku).limit(5)
        ).all()
    return [(sku, 6) for sku in skus]


def test_a_coupon_used_before_its_issuing_sale_reached_hq_stays_redeemed(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = _tills(hq, hq_db, tmp_path)
    a.sync()
    b.sync()
    issuing = ring(a.shop, _care_basket(a.db), member="M00000041")
    (coupon,) = [c for c in issuing.coupons_issued if c.definition_id == "CD-RET10"]
    a.shop.now = DEMO_NOW + timedelta(days=2)  # the coupon is valid from tomorrow
    using = ring(
        a.shop, [(sku, 3) for sku in _skus(a.db, 10)], member="M00000041", coupon=coupon.code
    )
    assert coupon.code in {c.code for c in using.priced.coupons}

    # the use reaches HQ first (e.g. a batch retried out of order), then the issuing sale
    with a.db.sessions() as session:
        used_row = session.scalars(
            select(OutboxRow).where(OutboxRow.record_id == using.sale_id)
        ).one()
    a.client().push(protocol.PushBatch(records=[engine._wire(used_row, a.vault)]))
    a.sync()
    with hq_db.transaction() as session:
        life = value.coupon_life(session, coupon.code)
    assert life is not None and life.status == "redeemed"
    assert isinstance(life.issued, value.RecordRef) and life.issued.record_id == issuing.sale_id
    assert isinstance(life.redeemed, value.RecordRef)
    assert life.redeemed.record_id == using.sale_id
    b.sync()  # another store learns the coupon is spent, not issued
    with b.db.sessions() as session:
        assert session.get(Coupon, coupon.code).status == "redeemed"  # type: ignore[union-attr]

    assert hq_main(["--db", hq_db.url, "coupons", coupon.code]) == 0
    shown = capsys.readouterr().out
    assert "redeemed" in shown and issuing.receipt_no in shown and using.receipt_no in shown
    assert _conflicts(hq_db) == []


def test_a_coupon_cancelled_by_a_return_in_one_store_and_used_in_another_is_flagged(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    from terminal.returns import process_return

    a, b = _tills(hq, hq_db, tmp_path)
    a.sync()
    b.sync()
    issuing = ring(a.shop, _care_basket(a.db), member="M00000042")
    (coupon,) = [c for c in issuing.coupons_issued if c.definition_id == "CD-RET10"]
    a.sync()
    b.sync()  # store B now knows the coupon
    b.shop.now = DEMO_NOW + timedelta(days=2)
    using = ring(
        b.shop, [(sku, 3) for sku in _skus(b.db, 10)], member="M00000042", coupon=coupon.code
    )
    a.shop.now = DEMO_NOW + timedelta(days=1)  # A has not heard of B's sale: it cancels the coupon
    returned = process_return(
        a.db,
        a.shop.settings,
        a.shop.cashier,
        receipt_no=issuing.receipt_no,
        reason="顾客退货",
        approver=a.shop.supervisor,
        clock=lambda: a.shop.now,
    )
    assert returned.coupons_cancelled == (coupon.code,) and returned.coupon_deduction == 0
    b.sync()
    pushed_a, _ = a.sync()
    assert pushed_a.conflicts == 1
    assert _conflicts(hq_db) == [
        ("coupon_void_used", coupon.code, returned.return_id, using.sale_id)
    ]
    with hq_db.transaction() as session:
        life = value.coupon_life(session, coupon.code)
    assert life is not None and life.status == "redeemed"  # it was spent: not sent back as void
    assert isinstance(life.void, value.RecordRef) and life.void.record_id == returned.return_id

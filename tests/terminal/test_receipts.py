"""Receipt documents built from the store: sale receipt, refund slip (退货单), Z summary."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from terminal import shifts
from terminal.members import mask_phone
from terminal.receipts import as_reprint, sale_document, z_report_document
from terminal.returns import process_return
from terminal.store.models import Sale, Shift
from terminal.tenders import Tender
from tests.terminal.tillkit import make_till, member_no, ring


def no_floats(value) -> bool:
    if isinstance(value, float):
        return False
    if isinstance(value, dict):
        return all(no_floats(v) for v in value.values())
    if isinstance(value, list):
        return all(no_floats(v) for v in value)
    return True


def test_sale_receipt_document_has_everything_the_receipt_prints(demo_db):
    till = make_till(demo_db)
    mno = member_no(demo_db, "silver")
    result = ring(
        till, [("SKU000200", 3), ("SKU000040", 10)], member=mno, coupon="CP100005", points=300
    )
    with demo_db.sessions() as s:
        doc = sale_document(s, result.sale_id, footer="欢迎再来")
        sale = s.get(Sale, result.sale_id)
        assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc  # JSON-able as is
        assert no_floats(doc)
        assert doc["kind"] == "receipt" and doc["title"] == "购物小票" and not doc["reprint"]
        assert doc["store"]["name"] and doc["store"]["address"]
        assert doc["terminal"] == "T01" and doc["cashier"] == "收银员 小李"
        assert doc["time"] == "2026-11-23 10:00:00"  # local time of the store
        assert doc["receipt_no"] == result.receipt_no == doc["code"]
        assert [(x["sku"], x["qty"]) for x in doc["lines"]] == [("SKU000200", 3), ("SKU000040", 10)]
        assert sum(x["net"] for x in doc["lines"]) == sale.payable + sale.rounding
        # each discount with its reason; coupon and points on their own rows
        assert doc["discounts"] and all(d["label"] and d["amount"] > 0 for d in doc["discounts"])
        assert [c["code"] for c in doc["coupons"]] == ["CP100005"]
        assert "CP100005" in doc["coupons"][0]["label"]
        assert doc["points_used"] == {"points": 300, "value": sale.points_value}
        assert (
            doc["subtotal"] - doc["savings"] - doc["points_used"]["value"] - doc["rounding"]
            == doc["payable"]
        )
        assert doc["payable"] == result.payable and doc["change"] == 1000
        assert doc["tenders"] == [
            {
                "method": "cash",
                "label": "现金",
                "amount": result.payable,
                "tendered": result.payable + 1000,
            }
        ]
        member = doc["member"]
        assert member["member_no"].endswith(mno[-4:]) and mno not in member["member_no"]
        assert member["tier"] == "银卡" and member["points_earned"] == result.points_earned
        assert member["points_balance"] == result.points_balance
        assert doc["footer"] == "欢迎再来" and doc["open_drawer"] is True


def test_member_display_supplied_by_the_caller_is_printed_masked(demo_db):
    till = make_till(demo_db)
    result = ring(till, [("SKU000002", 1)], member=member_no(demo_db, "gold"))
    with demo_db.sessions() as s:
        doc = sale_document(s, result.sale_id, member_display={"phone": mask_phone("13812345678")})
    assert doc["member"]["phone"] == "138****5678"
    assert "13812345678" not in json.dumps(doc)


def test_card_sale_does_not_open_the_drawer_and_reprint_never_does(demo_db):
    till = make_till(demo_db)
    co = till.checkout()
    co.add("SKU000002", 2)
    result = co.pay([Tender("card", co.quote().payable)])
    with demo_db.sessions() as s:
        doc = sale_document(s, result.sale_id)
    assert doc["open_drawer"] is False and doc["member"] is None
    cash = ring(till, [("SKU000002", 1)])
    with demo_db.sessions() as s:
        doc = sale_document(s, cash.sale_id)
    copy = as_reprint(doc, at=till.now + timedelta(hours=1), tz="Asia/Shanghai")
    assert doc["open_drawer"] and not doc["reprint"]  # the original is untouched
    assert copy["reprint"] and not copy["open_drawer"]
    assert copy["reprinted_at"] == "2026-11-23 11:00:00"


def test_refund_slip_document(demo_db):
    till = make_till(demo_db)
    mno = member_no(demo_db, "silver")
    sale = ring(till, [("SKU000200", 3), ("SKU000040", 10)], member=mno)
    ret = process_return(
        demo_db,
        till.settings,
        till.cashier,
        receipt_no=sale.receipt_no,
        reason="质量问题",
        quantities={2: 4},
        approver=till.supervisor,
        clock=lambda: till.now,
    )
    with demo_db.sessions() as s:
        doc = sale_document(s, ret.return_id)
    assert no_floats(doc)
    assert doc["kind"] == "refund" and doc["title"] == "退货单"
    assert doc["receipt_no"] == ret.receipt_no and doc["original_receipt_no"] == sale.receipt_no
    assert doc["reason"] == "质量问题" and doc["approved_by"] == "主管 王姐"
    assert [(x["sku"], x["qty"]) for x in doc["lines"]] == [("SKU000040", 4)]
    assert doc["refund_total"] == ret.refund > 0
    assert doc["tenders"] == [
        {"method": "cash", "label": "现金", "amount": ret.refund, "tendered": ret.refund}
    ]
    assert doc["member"]["points_reversed"] == ret.points_reversed
    assert doc["open_drawer"] is True
    assert any("质量问题" in n for n in doc["notes"])


def test_z_summary_document(demo_db):
    till = make_till(demo_db)
    ring(till, [("SKU000002", 1)])
    co = till.checkout()
    co.add("SKU000002", 1)
    co.pay([Tender("wechat", co.quote().payable, "4200001234")])
    with demo_db.transaction() as s:
        summary = shifts.close_shift(
            s,
            terminal_id=till.settings.terminal_id,
            actor=till.supervisor,
            counts={10000: 5, 100: 3},
            now=till.now + timedelta(hours=8),
        )
        doc = z_report_document(s, summary, tz="Asia/Shanghai")
        assert s.scalar(select(Shift.status)) == "closed"
    assert json.loads(json.dumps(doc)) == doc and no_floats(doc)
    assert doc["kind"] == "z_report" and doc["title"] == "交班报表 (Z)"
    assert doc["code"] is None and doc["open_drawer"] is False
    rows = {r["label"]: r for sec in doc["sections"] for r in sec["rows"]}
    assert rows["销售笔数"]["value"] == "2"
    assert rows["销售实收"]["amount"] == summary.net_sales
    assert rows["微信支付"]["amount"] == summary.tenders["wechat"]
    assert rows["实点现金"]["amount"] == 50_300
    assert rows["差额(长+/短-)"]["amount"] == summary.variance
    assert rows["100元"]["value"] == "5张" and rows["1元"]["value"] == "3张"
    assert rows["交班时间"]["value"] == "2026-11-23 18:00:00"

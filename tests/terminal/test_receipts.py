"""Receipt documents built from the store: sale receipt, refund slip (退货单), Z summary."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select

from devices.printer.layout import layout_document, text_layer
from terminal import print_jobs, shifts
from terminal.members import mask_phone
from terminal.money import mul_div_half_up
from terminal.pricing.engine import _ROUNDING_LABEL
from terminal.pricing.model import PricingConfig
from terminal.receipts import as_reprint, sale_document, z_report_document
from terminal.returns import process_return
from terminal.store.models import Product, Sale, Shift
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
        assert doc["terminal"] == "T01"
        assert (doc["cashier_no"], doc["cashier"]) == ("1001", "小李")  # not 收银员 twice
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
                "reference": "",
            }
        ]
        member = doc["member"]
        assert member["member_no"].endswith(mno[-4:]) and mno not in member["member_no"]
        assert member["tier"] == "银卡" and member["points_earned"] == result.points_earned
        assert member["points_balance"] == result.points_balance
        assert doc["footer"] == "欢迎再来" and "open_drawer" not in doc
        assert print_jobs.opens_drawer(s, result.sale_id)  # cash changed hands


def test_member_display_supplied_by_the_caller_is_printed_masked(demo_db):
    till = make_till(demo_db)
    result = ring(till, [("SKU000002", 1)], member=member_no(demo_db, "gold"))
    with demo_db.sessions() as s:
        doc = sale_document(s, result.sale_id, member_display={"phone": mask_phone("13812345678")})
    assert doc["member"]["phone"] == "138****5678"
    assert "13812345678" not in json.dumps(doc)


def test_cash_opens_the_drawer_card_does_not_and_a_reprint_is_marked(demo_db):
    till = make_till(demo_db)
    co = till.checkout()
    co.add("SKU000002", 2)
    result = co.pay([Tender("card", co.quote().payable, "6222****1234")])
    with demo_db.sessions() as s:
        doc = sale_document(s, result.sale_id)
        assert not print_jobs.opens_drawer(s, result.sale_id)
    assert doc["member"] is None
    cash = ring(till, [("SKU000002", 1)])
    with demo_db.sessions() as s:
        doc = sale_document(s, cash.sale_id)
        assert print_jobs.opens_drawer(s, cash.sale_id)
    copy = as_reprint(doc, at=till.now + timedelta(hours=1), tz="Asia/Shanghai")
    assert not doc["reprint"]  # the original is untouched
    assert copy["reprint"] and copy["reprinted_at"] == "2026-11-23 11:00:00"


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
    assert not any("质量问题" in n for n in doc["notes"])  # the reason is printed once
    assert [(x["sku"], x["qty"]) for x in doc["lines"]] == [("SKU000040", 4)]
    assert doc["refund_total"] == ret.refund > 0
    assert doc["tenders"] == [
        {
            "method": "cash",
            "label": "现金",
            "amount": ret.refund,
            "tendered": ret.refund,
            "reference": "",
        }
    ]
    assert doc["member"]["points_reversed"] == ret.points_reversed
    assert doc["signature"] is True and doc["footer"] == ""  # no "welcome back"
    with demo_db.sessions() as s:
        assert print_jobs.opens_drawer(s, ret.return_id)  # cash goes back


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
    assert doc["code"] is None and "open_drawer" not in doc
    assert doc["business_day"] == "2026-11-23" and doc["shift_no"] == 1
    rows = {r["label"]: r for sec in doc["sections"] for r in sec["rows"]}
    assert rows["销售笔数"]["value"] == "2"
    assert rows["销售实收"]["amount"] == summary.net_sales
    assert rows["微信支付"]["amount"] == summary.tenders["wechat"]
    assert rows["实点现金"]["amount"] == 50_300
    assert rows["差额(长+/短-)"]["amount"] == summary.variance
    assert rows["100元"]["value"] == "5张" and rows["1元"]["value"] == "3张"
    assert rows["交班时间"]["value"] == "2026-11-23 18:00:00"


# --- every printed money document adds up from its printed rows ----------------------------

ROUNDING_LABELS = ("抹零", *_ROUNDING_LABEL.values())
STANDALONE = ("单号", "储值会员", "积分兑换 -")
"""Indented rows without an amount that are rows of their own, not the start of a wrapped row."""
AMOUNT = re.compile(r"^(?P<label>.*?)\s+(?P<amount>[+-]?\d+\.\d{2})$")


def fen(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    yuan, jiao_fen = text.lstrip("+-").split(".")
    return sign * (int(yuan) * 100 + int(jiao_fen))


def sections(doc, columns: int) -> list[list[tuple[str, int | None]]]:
    """The printed rows between rules: (label, amount in fen or None), wrapped rows joined."""
    out: list[list[tuple[str, int | None]]] = [[]]
    pending = ""
    for line in text_layer(layout_document(doc, columns)):
        if line and set(line) == {"-"}:
            out.append([])
            pending = ""
            continue
        m = AMOUNT.match(line)
        if m:
            out[-1].append(((pending + " " + m.group("label")).strip(), fen(m.group("amount"))))
            pending = ""
        elif line.startswith("  ") and not line.strip().startswith(STANDALONE):
            pending += " " + line.strip()  # part of a row whose amount is on a later line
        else:
            out[-1].append((line.strip(), None))
    return [s for s in out if s]


def amounts(rows) -> list[tuple[str, int]]:
    return [(label, a) for label, a in rows if a is not None]


def find(rows, label: str) -> int:
    [value] = [a for lab, a in amounts(rows) if lab.startswith(label)]
    return value


QTY = re.compile(r"(?P<qty>-?\d+)×(?P<unit>\d+\.\d{2})$")
WEIGHT = re.compile(r"(?P<kg>-?\d+\.\d{3})kg×(?P<unit>\d+\.\d{2})/kg$")


def check_items(rows) -> list[int]:
    """Each item's qty × unit = its amount (weight × price per kg, half-up to the fen), and
    (refund slip) amount − off = 小计; the nets."""
    nets: list[int] = []
    for label, amount in amounts(rows):
        m = QTY.search(label)
        w = WEIGHT.search(label)
        if m:
            assert int(m.group("qty")) * fen(m.group("unit")) == amount, label
            nets.append(amount)
        elif w:
            grams = int(w.group("kg").replace(".", ""))
            assert mul_div_half_up(grams, fen(w.group("unit")), 1000) == amount, label
            nets.append(amount)
        elif label in ("优惠", "积分抵扣"):
            nets[-1] += amount
        elif label == "小计":
            assert nets[-1] == amount, (label, amount, nets[-1])
    return nets


def check_receipt(doc, columns: int) -> None:
    _, head, items, totals, paid, *_ = sections(doc, columns)
    assert head[0][0].startswith("商品")
    gross = check_items(items)
    subtotal, *offs, payable = amounts(totals)
    assert subtotal[0] == "商品合计" and payable[0] == "应付"
    assert sum(gross) == subtotal[1]
    assert subtotal[1] + sum(a for _, a in offs) == payable[1]
    rows = amounts(paid)
    change = dict(rows).get("找零", 0)
    tendered = [a for lab, a in rows if lab not in ("找零", "共节省")]
    assert sum(tendered) - change == payable[1]
    saved = [a for lab, a in offs if not lab.startswith(("积分抵扣", *ROUNDING_LABELS))]
    assert dict(rows).get("共节省", 0) == -sum(saved)
    rest = sections(doc, columns)[5:]
    check_balance(rest)
    check_taxes(rest, payable[1])


def check_balance(parts) -> None:
    """A stored-value balance printed adds up: 本金 + 赠送 = 储值余额."""
    for rows in parts:
        got = amounts(rows)
        labels = [lab for lab, _ in got]
        if "储值余额" in labels:
            at = labels.index("储值余额")
            (p_label, principal), (b_label, bonus) = got[at + 1 : at + 3]
            assert (p_label, b_label) == ("本金", "赠送")
            assert principal + bonus == got[at][1]


def check_taxes(parts, total: int) -> None:
    """价税分离: per rate 不含税 + 税额 = 金额, and the rates' 金额 add up to ``total``."""
    found = [rows for rows in parts if rows[0][0].startswith("价税分离")]
    if not found:  # nothing paid in money (a sale of rewards only)
        assert total == 0
        return
    [taxes] = found
    got = amounts(taxes)
    assert len(got) % 3 == 0 and got
    for (rate, amount), (n_label, net), (t_label, tax) in zip(*[iter(got)] * 3, strict=True):
        assert rate.endswith("金额") and (n_label, t_label) == ("不含税", "税额")
        assert net + tax == amount, rate
    assert sum(a for lab, a in got if lab.endswith("金额")) == total


def check_refund(doc, columns: int) -> None:
    _, _, items, totals, *_ = sections(doc, columns)
    nets = check_items(items)
    rows = amounts(totals)
    at = [lab for lab, _ in rows].index("退款合计")
    before, refund, tenders = rows[:at], rows[at][1], rows[at + 1 :]
    assert before[0] == ("退货商品合计", sum(nets))
    assert sum(a for _, a in before) == refund  # less points charged, rounding
    assert all(lab.startswith("退") for lab, _ in tenders)
    assert sum(a for _, a in tenders) == refund
    rest = sections(doc, columns)[4:]
    check_balance(rest)
    # what the returned lines paid: 退货商品合计 less the rounding they had
    check_taxes(rest, sum(nets) + dict(before).get("抹零", 0))


def check_z(doc, columns: int) -> None:
    by_title = {s[0][0]: s[1:] for s in sections(doc, columns) if s[0][1] is None}
    business = by_title["营业"]
    assert find(business, "销售原价合计") + find(business, "优惠合计") + find(
        business, "积分抵扣"
    ) + dict(amounts(business)).get("抹零", 0) == find(business, "销售实收")
    net = find(business, "销售实收") + find(business, "退款合计")
    assert net == find(business, "净收款")
    tenders = amounts(by_title["收款方式(净额)"])
    stored = by_title.get("储值充值(不计销售)")
    topped = 0
    if stored is not None:  # top-ups are money taken, but no sale
        topped = find(stored, "储值收款净额")
        assert find(stored, "储值充值") + find(stored, "充值退款") == topped
    assert sum(a for lab, a in tenders[:-1]) == tenders[-1][1] == net + topped
    taxes = amounts(by_title.get("价税分离(销售净额)", []))
    for (rate, amount), (_, net_of_tax), (_, tax) in zip(*[iter(taxes)] * 3, strict=True):
        assert net_of_tax + tax == amount, rate
    cash = by_title["现金"]
    assert sum(a for lab, a in amounts(cash)[:4]) == find(cash, "应有现金")
    if "实点现金" in dict(amounts(cash)):
        assert find(cash, "实点现金") - find(cash, "应有现金") == find(cash, "差额")


def rich_sale(till):
    co = till.checkout()
    for word, qty in (("纯牛奶", 3), ("酸奶", 7), ("水饺", 3), ("花生油", 2), ("大米", 1)):
        co.add(sku_named(till.db, word), qty)
    co.attach_member(member_no(till.db, "gold"))
    co.apply_coupon("CP100001")
    co.set_redeem_points(997)
    due = co.quote().payable
    return co.pay([Tender("wechat", 2000, "4200001234567890123456"), Tender("cash", due)])


def sku_named(db, word: str) -> str:
    with db.sessions() as s:
        return s.scalars(
            select(Product.sku).where(Product.name.contains(word)).order_by(Product.sku)
        ).first()


@pytest.mark.parametrize("columns", [32, 48])
def test_every_printed_money_document_adds_up_from_its_rows(demo_db, columns):
    """Seen: a refund slip printed ``89.90 − 14.15 − 1.61`` as ``74.15``, and a Z slip
    whose 原价 − 优惠 ≠ 实收 because the points redemption was on no row."""
    till = make_till(demo_db)
    sale = rich_sale(till)
    rounded = replace(
        till, settings=replace(till.settings, pricing=PricingConfig(rounding="round_jiao"))
    )
    other = ring(rounded, [("SKU000041", 3)], member=member_no(demo_db, "silver"), points=150)
    returns = []
    mismatch = 0  # lines whose stored discount does not add up: the slip must still
    for quantities in ({1: 1}, {2: 3}, {4: 1}, {1: 1, 2: 2, 3: 1, 4: 1}):
        ret = process_return(
            demo_db,
            till.settings,
            till.cashier,
            receipt_no=sale.receipt_no,
            reason="质量问题",
            quantities=quantities,
            approver=till.supervisor,
            clock=lambda: till.now,
        )
        returns.append(ret.return_id)
        with demo_db.sessions() as s:
            for line in s.get(Sale, ret.return_id).lines:
                mismatch += line.discount != line.gross - line.net - line.points_value
    assert mismatch  # the scenario holds the rounding that printed 74.15
    with demo_db.sessions() as s:
        for sale_id in (sale.sale_id, other.sale_id):
            check_receipt(sale_document(s, sale_id), columns)
        for ret_id in returns:
            check_refund(sale_document(s, ret_id), columns)
    with demo_db.sessions() as s:
        assert s.get(Sale, other.sale_id).rounding  # a rounding row on its receipt
    with demo_db.transaction() as s:
        summary = shifts.close_shift(
            s,
            terminal_id=till.settings.terminal_id,
            actor=till.supervisor,
            counts={10000: 9, 5000: 1, 100: 3},
            now=till.now + timedelta(hours=8),
        )
        check_z(z_report_document(s, summary, tz="Asia/Shanghai"), columns)


def test_a_receipt_a_store_manager_signs_off(demo_db):
    till = make_till(demo_db)
    sale = rich_sale(till)
    ret = process_return(
        demo_db,
        till.settings,
        till.cashier,
        receipt_no=sale.receipt_no,
        reason="包装破损",
        quantities={1: 1},
        approver=till.supervisor,
        clock=lambda: till.now,
    )
    with demo_db.sessions() as s:
        receipt = sale_document(s, sale.sale_id)
        refund = sale_document(s, ret.return_id)
    for columns in (32, 48):
        text = "\n".join(text_layer(layout_document(receipt, columns)))
        assert "收银员: 1001 小李" in text and "收银员 小李" not in text
        dairy = [d for d in receipt["discounts"] if d["label"] == "乳制品 9折"]
        assert len(dairy) == 2 and dairy[0]["target"] != dairy[1]["target"]
        flat = re.sub(r"\s+", "", text)  # rows may wrap at any space
        for d in dairy:  # each row names the product it applied to
            assert re.sub(r"\s+", "", f"乳制品 9折（{d['target']}）") in flat
        [gift] = [x for x in receipt["lines"] if x["is_gift"]]
        assert gift["gift"]["value"] > 0
        assert f"赠品（买粮油满2件赠挂面，价值￥{gift['gift']['value'] // 100}." in flat
        assert "单号: ****123456" in text and "4200001234567890123456" not in text
        slip = text_layer(layout_document(refund, columns))
        assert sum("包装破损" in x for x in slip) == 1  # the reason, once
        assert not any("欢迎" in x for x in slip)
        assert slip[-2].startswith("顾客签字: ___")  # ends with the signature (and room)


# --- the member-value kinds on paper (issue 11) ------------------------------------------------

APP_MEMBER = "M00000001"  # holds 500.00 + 50.00 bonus, points, and the demo payment PIN


def fixed_codes(monkeypatch) -> None:
    """Coupon codes in order (``CPV0000000000000001`` …), so printed documents repeat."""
    from terminal import issued_coupons

    numbers = iter(range(1, 1000))
    monkeypatch.setattr(issued_coupons, "new_code", lambda: f"CPV{next(numbers):016d}")


def value_sale(till):
    """Every new kind on one receipt: a weighed line (scale label), 第二件半价, a product and a
    coupon for points (积分兑换), a 满额返券 coupon issued, part paid by stored value (PIN)."""
    from terminal.demo import DEMO_PAY_PIN, scale_label

    co = till.checkout()
    co.add(scale_label("SKU900101", 532))  # 0.532 kg × 12.80/kg
    co.add("SKU000084", 2)  # 酸奶: 9折, then the second at half price
    co.add("SKU000505", 4)  # 个护 over 100.00: 满100返10元券
    co.attach_member(APP_MEMBER)
    co.verify_payment_pin(DEMO_PAY_PIN)
    co.add_reward("RW-NOODLE")
    co.add_reward("RW-COUPON10")
    due = co.quote().payable
    return co.pay([Tender("stored_value", 3000), Tender("cash", due - 3000 + 1000)])


def value_return(till, sale):
    """3 of the 4 个护 (below the threshold: the unused 返券 is cancelled) and the reward."""
    return process_return(
        till.db,
        till.settings,
        till.cashier,
        receipt_no=sale.receipt_no,
        reason="顾客退货",
        quantities={3: 3, 4: 1},
        approver=till.supervisor,
        clock=lambda: till.now,
    )


def topup_and_refund(till):
    from terminal import topups

    up = topups.top_up(
        till.db,
        till.settings,
        till.cashier,
        member_no=APP_MEMBER,
        amount=50_000,
        tenders=[Tender("wechat", 40_000, "4200000009"), Tender("cash", 20_000)],
        clock=lambda: till.now,
    )
    back = topups.refund_topup(
        till.db,
        till.settings,
        till.cashier,
        receipt_no=up.receipt_no,
        reason="顾客退卡",
        amount=20_000,
        approver=till.manager,
        clock=lambda: till.now,
    )
    return up, back


def used_coupon_return(till):
    """A 返券 used the next day, then its sale returned: the refund is reduced by it."""
    mno = member_no(till.db, "normal")
    sale = ring(till, [("SKU000505", 4)], member=mno)
    [issued] = sale.coupons_issued
    till.now += timedelta(days=1)
    ring(till, [("SKU000300", 3)], member=mno, coupon=issued.code)
    return sale, value_return_all(till, sale)


def value_return_all(till, sale):
    return process_return(
        till.db,
        till.settings,
        till.cashier,
        receipt_no=sale.receipt_no,
        reason="顾客退货",
        approver=till.supervisor,
        clock=lambda: till.now,
    )


def printed(doc, columns: int) -> str:
    return "\n".join(text_layer(layout_document(doc, columns)))


@pytest.mark.parametrize("columns", [32, 48])
def test_every_member_value_kind_is_explained_on_paper_and_adds_up(demo_db, monkeypatch, columns):
    from devices.printer.layout import QrCode

    fixed_codes(monkeypatch)
    till = make_till(demo_db)
    sale = value_sale(till)
    ret = value_return(till, sale)
    up, back = topup_and_refund(till)
    used, deducted = used_coupon_return(till)
    with demo_db.sessions() as s:
        receipt = sale_document(s, sale.sale_id)
        refund = sale_document(s, ret.return_id)
        topup = sale_document(s, up.sale_id)
        topup_refund = sale_document(s, back.refund_id)
        used_receipt = sale_document(s, used.sale_id)
        deduction = sale_document(s, deducted.return_id)
    for doc in (receipt, topup, topup_refund, refund, deduction):
        assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc and no_floats(doc)

    check_receipt(receipt, columns)
    check_receipt(used_receipt, columns)
    flat = re.sub(r"\s+", "", printed(receipt, columns))
    assert "SKU9001010.532kg×12.80/kg6.81" in flat  # weight on the line, and its amount
    assert "积分兑换-500积分" in flat  # the free product's points
    assert "酸奶第二件半价（蒙牛酸奶200g）-3.02" in flat  # the Nth-item rule names its line
    assert "积分兑换-1300" in flat  # the points rewards spent, in the member block
    assert "储值支付30.00" in flat and "储值会员:*****0001" in flat
    balance = receipt["stored_value"]
    assert balance["balance"] == balance["principal"] + balance["bonus"] == 55_000 - 3000
    assert f"储值余额{balance['balance'] // 100}." in flat
    assert "价税分离13%金额" in flat and "9%金额" in flat
    reward_coupon, issued = receipt["coupons_issued"]
    assert (reward_coupon["source"], reward_coupon["points"]) == ("reward", 800)
    assert issued == {
        "code": "CPV0000000000000002",
        "name": "返券 满50减10元",
        "source": "coupon_issue",
        "points": 0,
        "value": 1000,
        "min_spend": 5000,
        "valid_from": "2026-11-24",
        "valid_to": "2026-12-23",
    }
    assert "券号:CPV0000000000000002有效期:2026-11-24至2026-12-23满50.00元可用，减10.00元" in flat
    assert "积分兑换券（800积分）" in flat
    codes = [b.data for b in layout_document(receipt, columns) if isinstance(b, QrCode)]
    assert codes == ["CPV0000000000000001", "CPV0000000000000002", sale.receipt_no]

    check_refund(refund, columns)
    check_refund(deduction, columns)
    slip = re.sub(r"\s+", "", printed(refund, columns))
    assert "退回兑换积分+500" in slip
    assert "收回赠券返券满50减10元CPV0000000000000002作废（退货后未达返券条件）" in slip
    assert refund["coupons_cancelled"] == [
        {
            "code": "CPV0000000000000002",
            "name": "返券 满50减10元",
            "source": "coupon_issue",
            "status": "void",
        }
    ]
    assert not any("CPV" in n or "储值" in n for n in refund["notes"])  # said once, in rows
    assert refund["stored_value"]["amount"] == ret.refunds["stored_value"] > 0
    assert f"退储值支付{ret.refunds['stored_value'] // 100}." in slip
    assert deduction["coupon_deduction"] == deducted.coupon_deduction == 1000
    assert "返券已用扣款-10.00" in re.sub(r"\s+", "", printed(deduction, columns))
    assert not deduction["shortfall_charged"]  # the deduction is not called a points charge

    check_topup(topup, columns)
    check_topup_refund(topup_refund, columns)
    assert (topup["kind"], topup["slip"], topup["title"]) == ("receipt", "topup", "储值充值单")
    assert (topup["principal"], topup["bonus"]) == (50_000, 5000)
    assert topup_refund["approved_by"] == "店长 张经理" and topup_refund["refund_total"] == 20_000
    assert "扣回赠送-20.00" in re.sub(r"\s+", "", printed(topup_refund, columns))

    with demo_db.transaction() as s:
        summary = shifts.close_shift(
            s,
            terminal_id=till.settings.terminal_id,
            actor=till.supervisor,
            counts={10000: 9},
            now=till.now + timedelta(hours=8),
        )
        z = z_report_document(s, summary, tz="Asia/Shanghai")
    check_z(z, columns)
    rows = {r["label"]: r for sec in z["sections"] for r in sec["rows"]}
    assert rows["储值充值"]["amount"] == 50_000 and rows["充值退款"]["amount"] == -20_000
    assert rows["销售笔数"]["value"] == "3"  # top-ups are not sales
    assert {sec["title"] for sec in z["sections"]} >= {"储值充值(不计销售)", "价税分离(销售净额)"}


def check_topup(doc, columns: int) -> None:
    """Top-up slip: Σ tendered − 找零 = 充值金额; 本金 + 赠送 = 储值余额."""
    parts = sections(doc, columns)
    [head] = [rows for rows in parts if amounts(rows) and amounts(rows)[-1][0] == "充值金额"]
    topped = amounts(head)[-1][1]
    paid = amounts(parts[parts.index(head) + 1])
    change = dict(paid).get("找零", 0)
    assert sum(a for lab, a in paid if lab != "找零") - change == topped
    check_balance(parts)


def check_topup_refund(doc, columns: int) -> None:
    """Top-up refund slip: 退本金 = 退款合计 = Σ 退<method>; 本金 + 赠送 = 储值余额."""
    parts = sections(doc, columns)
    [totals] = [rows for rows in parts if amounts(rows) and amounts(rows)[0][0] == "退款合计"]
    (_, refund), *tenders = amounts(totals)
    principal = next(a for rows in parts for lab, a in amounts(rows) if lab == "退本金")
    assert principal == refund == sum(a for lab, a in tenders if lab.startswith("退"))
    check_balance(parts)


@pytest.mark.parametrize("columns", [32, 48])
def test_a_sale_of_a_coupon_for_points_alone_and_its_return_print(demo_db, monkeypatch, columns):
    """No lines, nothing to pay: the receipt still shows the coupon, the points spent and
    (no tax block, nothing was paid); the return gives the points back."""
    fixed_codes(monkeypatch)
    till = make_till(demo_db)
    co = till.checkout()
    co.attach_member(member_no(demo_db, "silver"))
    co.add_reward("RW-COUPON10")
    sale = co.pay([])
    back = value_return_all(till, sale)
    with demo_db.sessions() as s:
        receipt = sale_document(s, sale.sale_id)
        refund = sale_document(s, back.return_id)
    assert receipt["lines"] == [] and receipt["payable"] == 0 and receipt["taxes"] == []
    text = re.sub(r"\s+", "", printed(receipt, columns))
    assert "应付0.00" in text and "积分兑换-800" in text
    assert "积分兑换券（800积分）" in text and "券号:CPV0000000000000001" in text
    slip = re.sub(r"\s+", "", printed(refund, columns))
    assert "退款合计0.00" in slip and "退回兑换积分+800" in slip
    assert "CPV0000000000000001已退回，积分退还" in slip

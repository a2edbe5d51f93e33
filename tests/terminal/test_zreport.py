"""Z reports taken at a real till: numbered, once a day, immutable, adding up per tender."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from devices.printer.layout import layout_document, text_layer
from terminal import shifts
from terminal.errors import PermissionDenied, StateError
from terminal.reports import Scope
from terminal.reports.zreport import print_x, print_z, take_z, z_table
from terminal.returns import process_return
from terminal.store.database import Database
from terminal.store.models import PrintJob, ZReport
from terminal.tenders import Tender
from tests.conftest import DEMO_NOW, SHANGHAI
from tests.terminal.tillkit import Shop, make_till, member_no, ring

SCOPE = Scope(SHANGHAI)
DAY = DEMO_NOW.date()


def trade(till: Shop) -> None:
    """A morning at the till: cash, WeChat and split sales, a return, a voided line, a close."""
    ring(till, [("SKU000002", 2), ("SKU000040", 1)])
    ring(till, [("SKU000200", 1)])
    co = till.checkout()
    co.add("SKU000010", 3)
    co.attach_member(member_no(till.db, "gold"))
    wechat = co.pay([Tender("wechat", co.quote().payable, "WX0001")])
    co = till.checkout()
    co.add("SKU000011", 1)
    total = co.quote().payable
    co.pay([Tender("alipay", total - 100, "ALI0001"), Tender("cash", 100)])
    co = till.checkout()
    co.add("SKU000012", 1)
    co.add("SKU000013", 1)
    co.remove_line(co.lines[0].line_id, approver=till.supervisor)
    co.pay([Tender("card", co.quote().payable)])
    process_return(
        till.db,
        till.settings,
        till.cashier,
        receipt_no=wechat.receipt_no,
        reason="顾客退货",
        quantities=None,
        approver=till.supervisor,
        clock=lambda: till.now,
    )
    with till.db.transaction() as s:
        expected = shifts.expected_cash(s, shifts.require_open_shift(s, till.settings.terminal_id))
        shifts.close_shift(
            s,
            terminal_id=till.settings.terminal_id,
            actor=till.supervisor,
            counts={10000: expected // 10000 + 1},
            now=till.now + timedelta(hours=8),
        )


def raw_tenders(db: Database, day: date) -> dict[str, int]:
    """Sales minus refunds per tender, straight from the rows."""
    conn = sqlite3.connect(db.path)
    rows = conn.execute(
        "SELECT p.method, s.kind, p.amount FROM payment p JOIN sale s ON s.id = p.sale_id"
        " WHERE s.business_day = ?",
        (day.isoformat(),),
    ).fetchall()
    conn.close()
    out: dict[str, int] = {}
    for method, kind, amount in rows:
        if kind in ("sale", "return"):
            out[method] = out.get(method, 0) + amount
    return out


def z_of_the_day(
    db: Database, till: Shop, *, now: datetime = DEMO_NOW + timedelta(hours=14)
) -> ZReport:
    """The manager takes the Z of ``DAY`` at ``now``."""
    with db.transaction() as s:
        return take_z(
            s,
            terminal_id=till.settings.terminal_id,
            actor=till.manager,
            day=DAY,
            now=now,
            scope=SCOPE,
        )


def test_z_totals_are_sales_minus_refunds_per_tender(demo_db: Database) -> None:
    till = make_till(demo_db)
    trade(till)
    z = z_of_the_day(demo_db, till)
    f = dict(z.figures)
    assert z.z_no == 1
    want = raw_tenders(demo_db, DAY)
    assert set(want) >= {"cash", "wechat", "alipay", "card"}
    for method, amount in want.items():
        assert f["tenders"][method]["taken"] - f["tenders"][method]["refunded"] == amount
    assert f["sales_count"] == 5 and f["returns_count"] == 1
    conn = sqlite3.connect(demo_db.path)
    kinds = conn.execute(
        "SELECT kind, SUM(subtotal), SUM(discount_total), SUM(payable) FROM sale"
        " WHERE business_day = ? AND kind IN ('sale', 'return') GROUP BY kind",
        (DAY.isoformat(),),
    ).fetchall()
    (voided,) = conn.execute(
        "SELECT count(*) FROM audit_event WHERE action IN ('void_line', 'void_qty')"
    ).fetchone()
    conn.close()
    sold, back = {k: v for k, *v in kinds}["sale"], {k: v for k, *v in kinds}["return"]
    assert (f["gross"], f["discounts"], f["amount"]) == tuple(sold)
    assert f["discounts"] > 0 and f["refunds"] == -back[2] > 0
    assert f["voided_lines"] == voided == 1  # the line removed with the supervisor's approval
    assert f["net"] == f["amount"] - f["refunds"] == sum(want.values())
    assert f["shifts"] == 1
    conn = sqlite3.connect(demo_db.path)
    for table in ("sale_line", "sale_adjustment"):  # what the reports read without the sale
        wrong = conn.execute(
            f"SELECT count(*) FROM {table} x JOIN sale s ON s.id = x.sale_id"
            " WHERE x.business_day IS NOT s.business_day"
        ).fetchone()
        assert wrong == (0,), table
    conn.close()
    assert f["expected_cash"] == 50_000 + want["cash"]  # the float and the cash kept
    assert f["counted_cash"] == (f["expected_cash"] // 10000 + 1) * 10000  # what trade() counted
    assert f["variance"] == f["counted_cash"] - f["expected_cash"] > 0
    with demo_db.sessions() as s:
        rows = {r["measure"]: r["value"] for r in z_table(s.scalars(select(ZReport)).one()).rows}
    assert rows["日结号 / Z number"] == 1 and rows["净收款 / net"] == f["net"]


def test_a_z_is_taken_once_numbered_in_sequence_and_never_changed(demo_db: Database) -> None:
    till = make_till(demo_db)
    trade(till)
    terminal = till.settings.terminal_id
    later = DEMO_NOW + timedelta(days=2)

    def take(day: date, who=None):
        with demo_db.transaction() as s:
            return take_z(
                s, terminal_id=terminal, actor=who or till.manager, day=day, now=later, scope=SCOPE
            ).z_no

    with pytest.raises(PermissionDenied):
        take(DAY, till.supervisor)
    assert take(DAY) == 1
    with pytest.raises(StateError) as twice:
        take(DAY)
    assert twice.value.code == "z_taken" and twice.value.params["z_no"] == 1
    assert take(DAY + timedelta(days=1)) == 2  # a day without sales has its Z too
    with pytest.raises(StateError) as future:
        take(DAY + timedelta(days=3))
    assert future.value.code == "z_future_day"
    conn = sqlite3.connect(demo_db.path)
    for sql in (
        "UPDATE z_report SET figures = '{}' WHERE z_no = 1",
        "DELETE FROM z_report WHERE z_no = 1",
    ):
        with pytest.raises(sqlite3.DatabaseError, match="immutable"):
            conn.execute(sql)
    conn.close()
    with demo_db.sessions() as s:
        assert [z.z_no for z in s.scalars(select(ZReport).order_by(ZReport.z_no))] == [1, 2]


def test_no_z_while_a_shift_of_the_day_is_open(demo_db: Database) -> None:
    till = make_till(demo_db)
    ring(till, [("SKU000002", 1)])
    with pytest.raises(StateError) as open_:
        z_of_the_day(demo_db, till, now=DEMO_NOW + timedelta(days=1))
    assert open_.value.code == "z_shift_open"


def test_x_and_z_print_through_the_receipt_printer_queue(demo_db: Database) -> None:
    till = make_till(demo_db)
    ring(till, [("SKU000002", 1)])
    with demo_db.transaction() as s:
        x_job = print_x(
            s, till.settings.terminal_id, till.manager, tz="Asia/Shanghai", now=DEMO_NOW
        )
        x_doc = x_job.document
    assert "班次报表 (X)" in "\n".join(text_layer(layout_document(x_doc, 48)))
    trade(till)
    with demo_db.transaction() as s:
        z = take_z(
            s,
            terminal_id=till.settings.terminal_id,
            actor=till.manager,
            day=DAY,
            now=DEMO_NOW + timedelta(days=1),
            scope=SCOPE,
        )
        job = print_z(s, z, tz="Asia/Shanghai", now=DEMO_NOW + timedelta(days=1))
        assert job.kind == "z_report" and job.status == "pending"
    with demo_db.sessions() as s:
        doc = s.scalars(select(PrintJob).where(PrintJob.id == job.id)).one().document
    text = "\n".join(text_layer(layout_document(doc, 48)))
    assert "日结报表 Z1" in text and "营业日: 2026-11-23" in text and "差额" in text


def test_the_z_reports_of_a_range_are_read_back_in_day_order(demo_db: Database) -> None:
    from terminal import reports
    from terminal.errors import NotFound
    from terminal.reports import Context, Period

    till = make_till(demo_db)
    trade(till)  # closes the shift the till opened
    terminal = till.settings.terminal_id
    later = DEMO_NOW + timedelta(days=5)
    days = [DAY + timedelta(days=2), DAY]  # taken out of order: Z1 is the later day
    with demo_db.transaction() as s:
        for day in days:
            take_z(s, terminal_id=terminal, actor=till.manager, day=day, now=later, scope=SCOPE)
    context = Context(SCOPE, terminal)
    with demo_db.sessions() as s:
        tables = reports.run(s, till.manager, "z", Period(DAY, DAY + timedelta(days=3)), context)
        assert [(t.period, t.notes["z_no"]) for t in tables] == [
            (Period.day(DAY), 2),
            (Period.day(DAY + timedelta(days=2)), 1),
        ]
        with pytest.raises(NotFound) as none:
            reports.run(s, till.manager, "z", Period.day(DAY + timedelta(days=1)), context)
        assert none.value.code == "z_not_taken"


def test_z_tax_per_rate_adds_up_to_the_receipts_lines(demo_db: Database) -> None:
    till = make_till(demo_db)
    trade(till)
    tax = list(z_of_the_day(demo_db, till).figures["tax"])
    conn = sqlite3.connect(demo_db.path)
    want = conn.execute(
        "SELECT l.vat, SUM(l.paid), SUM(l.tax) FROM sale_line l JOIN sale s ON s.id = l.sale_id"
        " WHERE s.business_day = ? AND s.kind IN ('sale', 'return') GROUP BY l.vat ORDER BY l.vat",
        (DAY.isoformat(),),
    ).fetchall()
    conn.close()
    assert want and any(t for _, _, t in want)
    assert [(t["vat"], t["paid"], t["tax"]) for t in tax] == want

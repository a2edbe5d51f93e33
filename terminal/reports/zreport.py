"""The end-of-day Z report of a terminal, and the X report of its open shift.

A Z report closes one business day of one terminal. It is

* numbered: Z1, Z2, Z3 … per terminal, without gaps (the next number is taken
  in the same transaction that writes the report; two tills of one store file
  each count their own);
* taken once: a second Z for the same day is refused (``z_taken``), and the
  database's unique index has the last word if two people race;
* immutable: its figures are written as they were when it was taken, and
  triggers in the schema refuse any UPDATE or DELETE of the row.

It is refused for a day that is not over (``z_future_day``) and while the
terminal has an open shift that began before the day ended (``z_shift_open``):
the drawer of that shift is not counted yet.

Figures, fen: the day's sales and returns on the terminal (counts, list
price, discounts, points value, rounding, amount, refunds, net), per tender
``taken``/``refunded``/``topups``/``net`` (so a tender's net is sales −
refunds + top-ups), voided lines and cancelled baskets from the audit
trail, tax per VAT rate, and the cash of the shifts closed during the day:
floats, expected, counted and the variance (counted − expected).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from terminal import outbox, print_jobs, shifts
from terminal.auth import Actor
from terminal.errors import NotFound, StateError
from terminal.pricing.tax import VAT_LABEL
from terminal.receipts import SCHEMA, TENDER_LABELS, z_report_document
from terminal.records import ZReportRecord
from terminal.reports.base import SALE_KINDS, Column, Period, Scope, Table, require_reports
from terminal.reports.money import tender_totals
from terminal.reports.people import VOID_ACTIONS
from terminal.store.models import (
    AuditEvent,
    PrintJob,
    Sale,
    Shift,
    Terminal,
    User,
    ZReport,
)
from terminal.tax_report import vat_sums


def z_figures(session: Session, terminal_id: str, day: date, scope: Scope) -> dict[str, Any]:
    """The figures a Z report of ``day`` on ``terminal_id`` would hold now."""
    on_day = (Sale.terminal_id == terminal_id, Sale.business_day == day)
    per_kind = {
        kind: tuple(int(v or 0) for v in values)
        for kind, *values in session.execute(
            select(
                Sale.kind,
                func.count(),
                func.sum(Sale.subtotal),
                func.sum(Sale.discount_total),
                func.sum(Sale.points_value),
                func.sum(Sale.rounding),
                func.sum(Sale.payable),
            )
            .where(*on_day, Sale.kind.in_(SALE_KINDS))
            .group_by(Sale.kind)
        ).all()
    }
    sales = per_kind.get("sale", (0, 0, 0, 0, 0, 0))
    returns = per_kind.get("return", (0, 0, 0, 0, 0, 0))
    start, end = scope.bounds(Period.day(day))
    voids = {
        action: int(n)
        for action, n in session.execute(
            select(AuditEvent.action, func.count())
            .where(
                AuditEvent.terminal_id == terminal_id,
                AuditEvent.at >= start,
                AuditEvent.at < end,
                AuditEvent.action.in_(VOID_ACTIONS),
            )
            .group_by(AuditEvent.action)
        )
    }
    closed = session.scalars(
        select(Shift).where(
            Shift.terminal_id == terminal_id,
            Shift.status == "closed",
            Shift.closed_at >= start,
            Shift.closed_at < end,
        )
    ).all()
    taxes = vat_sums(session, *on_day)
    return {
        "business_day": day.isoformat(),
        "sales_count": sales[0],
        "gross": sales[1],
        "discounts": sales[2],
        "points_value": sales[3],
        "rounding": sales[4],
        "amount": sales[5],
        "returns_count": returns[0],
        "refunds": -returns[5],
        "net": sales[5] + returns[5],
        "tenders": tender_totals(session, *on_day),
        "voided_lines": int(voids.get("void_line", 0)) + int(voids.get("void_qty", 0)),
        "cancelled_baskets": int(voids.get("basket_cancelled", 0)),
        "shifts": len(closed),
        "opening_floats": sum(s.opening_float for s in closed),
        "expected_cash": sum(s.expected_cash or 0 for s in closed),
        "counted_cash": sum(s.counted_cash or 0 for s in closed),
        "variance": sum(s.variance or 0 for s in closed),
        "tax": [
            {"vat": vat, "paid": paid, "tax": tax} for vat, (paid, tax) in sorted(taxes.items())
        ],
    }


def find_z(session: Session, terminal_id: str, day: date) -> ZReport | None:
    return session.scalar(
        select(ZReport).where(ZReport.terminal_id == terminal_id, ZReport.business_day == day)
    )


def take_z(
    session: Session,
    *,
    terminal_id: str,
    actor: Actor,
    day: date,
    now: datetime,
    scope: Scope,
) -> ZReport:
    """Take the Z report of ``day`` (a manager's act): numbered, once, never changed."""
    require_reports(actor)
    if session.get(Terminal, terminal_id) is None:
        raise NotFound("terminal_not_registered")
    # today's Z is allowed (the usual close at night); the open-shift check below guards it
    if day > scope.day_of(now):
        raise StateError("z_future_day", day=day.isoformat())
    taken = find_z(session, terminal_id, day)
    if taken is not None:
        raise StateError("z_taken", day=day.isoformat(), z_no=taken.z_no)
    _, end = scope.bounds(Period.day(day))
    shift = shifts.current_shift(session, terminal_id)
    if shift is not None and shift.opened_at < end:
        raise StateError("z_shift_open", day=day.isoformat())
    last = session.scalar(select(func.max(ZReport.z_no)).where(ZReport.terminal_id == terminal_id))
    report = ZReport(
        terminal_id=terminal_id,
        z_no=int(last or 0) + 1,
        business_day=day,
        taken_at=now,
        taken_by=actor.user_id,
        figures=z_figures(session, terminal_id, day, scope),
    )
    session.add(report)
    try:
        session.flush()
    except IntegrityError as exc:  # another till of this file took it at the same moment
        raise StateError("z_taken", day=day.isoformat(), z_no=report.z_no) from exc
    outbox.enqueue(session, "z_report", report.id, z_record(report).payload())
    return report


def z_record(report: ZReport) -> ZReportRecord:
    """The record HQ gets of a Z report (queued with it, in the same transaction)."""
    figures = {k: v for k, v in report.figures.items() if k in ZReportRecord.model_fields}
    return ZReportRecord.model_validate(
        {
            **figures,
            "id": report.id,
            "terminal_id": report.terminal_id,
            "z_no": report.z_no,
            "business_day": report.business_day,
            "taken_at": report.taken_at,
            "taken_by": report.taken_by,
        }
    )


def x_table(session: Session, terminal_id: str, actor: Actor) -> Table:
    """The open shift's figures so far (X report), as a list of measures."""
    require_reports(actor)
    s = shifts.x_report(session, terminal_id, actor)
    rows: list[dict[str, Any]] = [
        _row("销售笔数 / sales", s.sales_count, "int"),
        _row("销售原价合计 / list price", s.gross_sales, "fen"),
        _row("优惠合计 / discounts", s.discounts_total, "fen"),
        _row("销售实收 / sales amount", s.net_sales, "fen"),
        _row("退货笔数 / returns", s.returns_count, "int"),
        _row("退款合计 / refunds", s.returns_total, "fen"),
        _row("净收款 / net", s.net_sales - s.returns_total, "fen"),
        *(
            _row(f"{TENDER_LABELS.get(m, m)} / {m}", amount, "fen")
            for m, amount in s.tenders.items()
        ),
        _row("备用金 / opening float", s.opening_float, "fen"),
        _row("存入 / cash in", s.cash_in, "fen"),
        _row("取出 / cash out", s.cash_out, "fen"),
        _row("应有现金 / expected cash", s.expected_cash, "fen"),
    ]
    return Table("x", "rpt_title_x", _MEASURES, rows)


_MEASURES = (
    Column("measure", "rpt_col_measure", "text"),
    Column("value", "rpt_col_value", "auto"),
)


def _row(label: str, value: int, unit: str) -> dict[str, Any]:
    return {"measure": label, "value": value, "unit": unit}


def z_table(report: ZReport) -> Table:
    """A taken Z report as a list of measures (screen, command shell, exports)."""
    f = report.figures
    rows = [
        _row("日结号 / Z number", report.z_no, "int"),
        _row("销售笔数 / sales", f["sales_count"], "int"),
        _row("销售原价合计 / list price", f["gross"], "fen"),
        _row("优惠合计 / discounts", f["discounts"], "fen"),
        _row("积分抵扣 / points", f["points_value"], "fen"),
        _row("抹零 / rounding", f["rounding"], "fen"),
        _row("销售实收 / sales amount", f["amount"], "fen"),
        _row("退货笔数 / returns", f["returns_count"], "int"),
        _row("退款合计 / refunds", f["refunds"], "fen"),
        _row("净收款 / net", f["net"], "fen"),
        *(
            _row(f"{TENDER_LABELS.get(m, m)}(净) / {m} net", t["net"], "fen")
            for m, t in f["tenders"].items()
        ),
        _row("作废行 / voided lines", f["voided_lines"], "int"),
        _row("取消整单 / cancelled baskets", f["cancelled_baskets"], "int"),
        _row("交班数 / shifts closed", f["shifts"], "int"),
        _row("应有现金 / expected cash", f["expected_cash"], "fen"),
        _row("实点现金 / counted cash", f["counted_cash"], "fen"),
        _row("差额 / variance", f["variance"], "fen"),
        *(_row(f"税 {VAT_LABEL.get(t['vat'], t['vat'])} / VAT", t["tax"], "fen") for t in f["tax"]),
    ]
    day = date.fromisoformat(f["business_day"])
    return Table("z", "rpt_title_z", _MEASURES, rows, Period.day(day), {"z_no": report.z_no})


def z_document(session: Session, report: ZReport, *, tz: str) -> dict[str, Any]:
    """The Z report as the receipt printer prints it (the receipt document schema)."""
    from terminal.receipts import _local, _store

    terminal = session.get(Terminal, report.terminal_id)
    if terminal is None:
        raise NotFound("print_terminal_unknown")
    f = report.figures
    taker = session.get(User, report.taken_by)
    tenders = f["tenders"]
    sections: list[dict[str, Any]] = [
        {
            "title": "营业",
            "rows": [
                {"label": "销售笔数", "value": str(f["sales_count"])},
                {"label": "销售原价合计", "amount": f["gross"]},
                {"label": "优惠合计", "amount": -f["discounts"]},
                {"label": "积分抵扣", "amount": -f["points_value"]},
                {"label": "销售实收", "amount": f["amount"], "total": True},
                {"label": "退货笔数", "value": str(f["returns_count"])},
                {"label": "退款合计", "amount": -f["refunds"]},
                {"label": "净收款", "amount": f["net"], "total": True},
                {"label": "作废行", "value": str(f["voided_lines"])},
                {"label": "取消整单", "value": str(f["cancelled_baskets"])},
            ],
        },
        {
            "title": "收款方式(销售-退款)",
            "rows": [
                {"label": TENDER_LABELS.get(m, m), "amount": t["taken"] - t["refunded"]}
                for m, t in tenders.items()
                if t["taken"] or t["refunded"]
            ],
        },
        {
            "title": "现金",
            "rows": [
                {"label": "交班数", "value": str(f["shifts"])},
                {"label": "应有现金", "amount": f["expected_cash"]},
                {"label": "实点现金", "amount": f["counted_cash"]},
                {"label": "差额(长+/短-)", "amount": f["variance"], "total": True},
            ],
        },
        {
            "title": "税额",
            "rows": [
                {"label": f"{VAT_LABEL.get(t['vat'], t['vat'])} 含税", "amount": t["paid"]}
                for t in f["tax"]
            ]
            + [
                {"label": f"{VAT_LABEL.get(t['vat'], t['vat'])} 税额", "amount": t["tax"]}
                for t in f["tax"]
            ],
        },
    ]
    return {
        "schema": SCHEMA,
        "kind": "z_report",
        "title": f"日结报表 Z{report.z_no}",
        "reprint": False,
        "store": _store(terminal),
        "terminal": terminal.code,
        "time": _local(report.taken_at, tz),
        "receipt_no": f"Z{report.z_no:06d}",
        "shift_id": None,
        "shift_no": 0,
        "business_day": f["business_day"],
        "sections": sections,
        "footer": f"出表人: {taker.display_name if taker else ''}",
        "code": None,
    }


def print_z(session: Session, report: ZReport, *, tz: str, now: datetime) -> PrintJob:
    """Queue a taken Z report for the receipt printer (the printing path of every slip)."""
    return print_jobs.enqueue(session, z_document(session, report, tz=tz), kind="z_report", now=now)


def print_x(
    session: Session, terminal_id: str, actor: Actor, *, tz: str, now: datetime
) -> PrintJob:
    """Queue the X report of the open shift for the receipt printer."""
    require_reports(actor)
    summary = shifts.x_report(session, terminal_id, actor)
    document = z_report_document(session, summary, tz=tz)
    return print_jobs.enqueue(session, document, kind="z_report", now=now)

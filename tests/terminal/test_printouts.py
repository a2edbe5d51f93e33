"""Printouts as given out, and reprints: the core checks the REPRINT permission itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from terminal import auth, print_jobs, printouts, shifts
from terminal.errors import NotFound, PermissionDenied
from terminal.receipts import z_report_document
from terminal.returns import process_return
from terminal.store.database import Database
from terminal.store.models import AuditEvent, PrintJob
from terminal.tenders import Tender
from tests.terminal.tillkit import Shop, make_till


def sell(till: Shop) -> str:
    co = till.checkout()
    co.add("SKU000200", 2)
    return co.pay([Tender("card", co.quote().payable)]).receipt_no


def approval(db: Database, till: Shop, perm: auth.Permission) -> auth.Actor:
    with db.transaction() as s:
        return auth.supervisor_override(s, username="2001", pin="2222", perm=perm, now=till.now)


def counts(db: Database) -> tuple[int, int]:
    with db.sessions() as s:
        reprints = select(func.count()).select_from(PrintJob).where(PrintJob.kind == "reprint")
        jobs = s.scalar(reprints)
        audits = s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "receipt_reprint")
        )
    return int(jobs or 0), int(audits or 0)


def test_a_reprint_without_the_permission_is_refused_in_the_core(demo_db: Database) -> None:
    till = make_till(demo_db)
    receipt_no = sell(till)
    # an approval lent for refunds is no authority to reprint
    refund_only = approval(demo_db, till, auth.Permission.REFUND)
    assert not refund_only.can(auth.Permission.REPRINT)
    with demo_db.transaction() as s:
        sale_id = printouts.sale_by_receipt(s, receipt_no).id
    with pytest.raises(auth.NeedsApproval) as refused, demo_db.transaction() as s:
        print_jobs.reprint(s, sale_id, now=till.now, actor=refund_only)
    assert refused.value.perm is auth.Permission.REPRINT
    with pytest.raises(auth.NeedsApproval), demo_db.transaction() as s:
        job_id = print_jobs.original_job(s, sale_id).id  # type: ignore[union-attr]
        print_jobs.reprint_job(s, job_id, now=till.now, tz="Asia/Shanghai", actor=refund_only)
    assert counts(demo_db) == (0, 0)  # nothing queued, nothing audited

    # an unknown sale is refused as unknown, before anyone is asked to approve
    with pytest.raises(NotFound), demo_db.transaction() as s:
        print_jobs.reprint(s, "no-such-sale", now=till.now, actor=refund_only)

    # with a supervisor's one-action approval it goes, and the audit names them
    ok = approval(demo_db, till, auth.Permission.REPRINT)
    with demo_db.transaction() as s:
        job = print_jobs.reprint(s, sale_id, now=till.now, actor=refund_only, approver=ok)
        assert job.document["reprint"] is True
    with demo_db.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "receipt_reprint")).one()
        assert event.user_id == refund_only.user_id
        assert event.approved_by == ok.user_id and event.target == receipt_no
    with pytest.raises(PermissionDenied), demo_db.transaction() as s:  # spent
        print_jobs.reprint(s, sale_id, now=till.now, actor=refund_only, approver=ok)
    assert counts(demo_db) == (1, 1)


def test_a_cashier_reprints_on_their_own_authority(demo_db: Database) -> None:
    till = make_till(demo_db)
    receipt_no = sell(till)
    with demo_db.transaction() as s:
        shown = printouts.for_receipt(s, receipt_no)
        printouts.reprint(s, shown, now=till.now, actor=till.cashier)
    with demo_db.sessions() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "receipt_reprint")).one()
        assert event.user_id == till.cashier.user_id and event.approved_by is None


def test_printouts_are_the_documents_given_out(demo_db: Database) -> None:
    till = make_till(demo_db)
    receipt_no = sell(till)
    ret = process_return(
        demo_db,
        till.settings,
        till.cashier,
        receipt_no=receipt_no,
        reason="尺码不合适",
        quantities={1: 1},
        approver=till.supervisor,
        clock=lambda: till.now,
    )
    with demo_db.transaction() as s:
        receipt = printouts.for_receipt(s, f"  {receipt_no} ")
        slip = printouts.for_receipt(s, ret.receipt_no)
        assert (receipt.kind, receipt.number, receipt.status) == ("receipt", receipt_no, "pending")
        assert receipt.title == "购物小票" and receipt.document["lines"][0]["sku"] == "SKU000200"
        assert slip.kind == "refund" and slip.document["original_receipt_no"] == receipt_no
        with pytest.raises(NotFound) as unknown:
            printouts.for_receipt(s, "S001T01-99999999")
        assert unknown.value.code == "print_receipt_unknown"

        summary = shifts.close_shift(
            s,
            terminal_id=till.settings.terminal_id,
            actor=till.supervisor,
            counts={10000: 5},
            now=till.now + timedelta(hours=8),
        )
        print_jobs.enqueue(
            s,
            z_report_document(s, summary, tz="Asia/Shanghai"),
            now=till.now + timedelta(hours=8),
        )
        printouts.reprint(s, receipt, now=till.now + timedelta(hours=9), actor=till.cashier)
    with demo_db.transaction() as s:
        listed = printouts.recent(s)
        # newest first, originals only: the reprint copy is not a printout of its own
        assert [p.kind for p in listed] == ["z_report", "refund", "receipt"]
        z = listed[0]
        assert z.sale_id is None and z.number == "" and z.title == "交班报表 (Z)"
        copy = printouts.reprint(s, z, now=till.now + timedelta(hours=9), actor=till.cashier)
        assert copy.document["reprint"] and copy.document["kind"] == "z_report"

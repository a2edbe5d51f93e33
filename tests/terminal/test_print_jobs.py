"""Print jobs in the store and the rules for printing them, wired to real printers.

The device side is real: a file printer, or a TCP printer served by the test
(``tests/devices/printerkit.py``) that answers status queries as told and can
drop the connection right after taking a whole job. ``send`` is the one line
of glue the front end supplies (``ui/printing.py`` does the same).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import func, select, text

from devices.printer import PrinterSettings, ReceiptPrinter, print_document
from terminal import print_jobs, shifts
from terminal.errors import StateError
from terminal.receipts import z_report_document
from terminal.store.database import Database, alembic_config
from terminal.store.models import AuditEvent, OutboxRow, PrintJob, Sale
from terminal.tenders import Tender
from tests.devices.printerkit import OK, PAPER_OUT, FakePrinter, network, serve
from tests.devices.test_printer_render import CUT, DRAWER, PULSE, parse
from tests.terminal.tillkit import make_till, member_no


def file_printer(path) -> ReceiptPrinter:
    return ReceiptPrinter(PrinterSettings(connection="file", file_path=str(path)))


def sender(printer: ReceiptPrinter):
    def send(document):
        out = print_document(printer, document)
        return print_jobs.Delivery(out.ok, out.sent, out.code, out.warning)

    return send


def run(db, printer, till, **kw) -> list[print_jobs.Attempt]:
    return print_jobs.run(db, sender(printer), clock=lambda: till.now, **kw)


def sell(till, *, cash=True):
    co = till.checkout()
    co.add("SKU000200", 3)
    co.add("SKU000040", 2)
    co.attach_member(member_no(till.db, "gold"))
    due = co.quote().payable
    result = co.pay([Tender("cash", due + 500)] if cash else [Tender("card", due)])
    with till.db.sessions() as s:  # pay() queued the receipt with the sale
        [job] = print_jobs.jobs_for_sale(s, result.sale_id)
        job_id = job.id
    return result, job_id


def states(db) -> dict[str, tuple[str, int]]:
    with db.sessions() as s:
        return {j.id: (j.status, j.attempts) for j in s.scalars(select(PrintJob))}


def test_sale_receipt_prints_to_a_file_printer_and_is_marked_printed(demo_db, tmp_path):
    till = make_till(demo_db)
    result, job_id = sell(till)
    with demo_db.sessions() as s:
        assert [j.id for j in print_jobs.pending(s)] == [job_id]
    [attempt] = run(demo_db, file_printer(tmp_path / "lp0"), till)
    assert attempt.delivery.ok and not attempt.copy and attempt.kind == "receipt"
    parsed = parse((tmp_path / "lp0").read_bytes())
    assert parsed.qr_store == [result.receipt_no.encode()]
    assert any("鲜果生活超市" in k for k in parsed.kanji)
    assert any("金卡" in k for k in parsed.kanji)
    assert parsed.count(DRAWER) == 0 and parsed.count(PULSE) == 0 and parsed.count(CUT) == 1
    with demo_db.sessions() as s:
        job = print_jobs.get(s, job_id)
        assert (job.status, job.attempts, job.kind, job.sale_id) == (
            "printed",
            1,
            "receipt",
            result.sale_id,
        )
        assert job.printed_at is not None and job.sent_at is not None and job.last_error == ""
        assert print_jobs.pending(s) == [] and print_jobs.failed(s) == []
    with demo_db.transaction() as s, pytest.raises(StateError):
        print_jobs.start(s, job_id, now=till.now)


def test_a_failed_print_keeps_the_job_and_never_touches_the_sale(demo_db, tmp_path):
    till = make_till(demo_db)
    result, job_id = sell(till)
    with demo_db.sessions() as s:
        before = s.get(Sale, result.sale_id)
        snapshot = (before.receipt_no, before.payable, before.status, len(before.lines))
        outbox = s.scalar(select(func.count()).select_from(OutboxRow))
    unplugged = file_printer(tmp_path / "missing-dir" / "lp0")
    [attempt] = run(demo_db, unplugged, till)
    assert not attempt.delivery.ok
    with demo_db.sessions() as s:
        job = print_jobs.get(s, job_id)
        assert (job.status, job.attempts, job.sent_at) == ("failed", 1, None)
        assert job.last_error == "printer_not_connected"  # a code: words in any language
        assert [j.id for j in print_jobs.failed(s)] == [job_id]
        sale = s.get(Sale, result.sale_id)
        assert (sale.receipt_no, sale.payable, sale.status, len(sale.lines)) == snapshot
        assert s.scalar(select(func.count()).select_from(OutboxRow)) == outbox
    # failed jobs wait for an explicit retry; then the original prints (it never came out)
    assert run(demo_db, file_printer(tmp_path / "lp0"), till) == []
    [attempt] = run(demo_db, file_printer(tmp_path / "lp0"), till, retry_failed=True)
    assert attempt.delivery.ok and not attempt.copy
    with demo_db.sessions() as s:
        job = print_jobs.get(s, job_id)
        assert (job.status, job.attempts, job.last_error) == ("printed", 2, "")
    parsed = parse((tmp_path / "lp0").read_bytes())
    assert not any("补打" in k for k in parsed.kanji)
    assert parsed.count(DRAWER) == 0 and parsed.count(PULSE) == 0  # a retry never opens it


def test_retrying_failed_jobs_that_fail_part_way_leaves_the_rest_failed(demo_db):
    """Seen: ``posterm print --failed`` failed part-way and left the jobs it had not
    tried in ``pending``, so the next customer's sale printed three old receipts."""
    till = make_till(demo_db)
    old = [sell(till)[1] for _ in range(3)]
    dead = network(1)  # nobody listens on port 1
    for _ in old:  # each run stops at its first failure
        run(demo_db, dead, till)
    assert {states(demo_db)[j] for j in old} == {("failed", 1)}

    fake = FakePrinter(script=[dict(OK)], replies=dict(PAPER_OUT))  # prints one, then no paper
    with serve(fake) as port:
        attempts = run(demo_db, network(port), till, retry_failed=True)
        assert [(a.job_id, a.delivery.ok) for a in attempts] == [(old[0], True), (old[1], False)]
        after = states(demo_db)
        assert after[old[0]] == ("printed", 2)
        assert after[old[1]] == ("failed", 2)
        assert after[old[2]] == ("failed", 1)  # not tried: still failed, not queued
        _, new_job = sell(till)
        fake.replies = dict(OK)
        [attempt] = run(demo_db, network(port), till)  # the next customer's receipt only
        assert attempt.job_id == new_job and attempt.delivery.ok
        receipts = [parse(b) for b in fake.wait_sessions(fake.connections) if CUT in b]
    assert len(receipts) == 2  # old[0], then the new sale: nothing old came out with it
    assert all(p.count(DRAWER) == 0 and p.count(PULSE) == 0 for p in receipts)


def test_retries_go_oldest_first(demo_db, tmp_path):
    till = make_till(demo_db)
    jobs = [sell(till)[1] for _ in range(3)]
    for _ in jobs:
        run(demo_db, file_printer(tmp_path / "no" / "lp0"), till)
    _, pending = sell(till)
    with demo_db.sessions() as s:
        assert print_jobs.to_print(s) == [pending]
        assert print_jobs.to_print(s, retry_failed=True) == [*jobs, pending]


def test_a_job_the_printer_got_but_never_confirmed_prints_again_as_a_copy(demo_db):
    """The printer took every byte and dropped the line before confirming: the customer may
    hold the receipt, so the next print says 补打 / COPY and is never a second original."""
    till = make_till(demo_db)
    result, job_id = sell(till)
    fake = FakePrinter(drop_after_cut=True)
    with serve(fake) as port:
        [first] = run(demo_db, network(port), till)
        assert not first.delivery.ok and first.delivery.sent and not first.copy
        with demo_db.sessions() as s:
            job = print_jobs.get(s, job_id)
            assert job.status == "failed" and job.sent_at is not None
        fake.drop_after_cut = False
        [again] = run(demo_db, network(port), till, retry_failed=True)
        assert again.delivery.ok and again.copy
        original, copy = (parse(b) for b in fake.wait_sessions(2))
    assert not any("补打" in k for k in original.kanji)
    assert any("** 补打 COPY **" in k for k in copy.kanji)
    assert copy.qr_store == [result.receipt_no.encode()]


def test_a_job_left_sent_by_a_till_that_stopped_prints_as_a_copy(demo_db, tmp_path):
    """``sent`` is committed before the bytes go out: a till that dies while printing
    leaves it behind, and the job may be on paper already."""
    till = make_till(demo_db)
    _, job_id = sell(till)
    with demo_db.transaction() as s:
        print_jobs.start(s, job_id, now=till.now)  # ... and the till stopped here
    with demo_db.sessions() as s:
        assert print_jobs.get(s, job_id).status == "sent"
        assert print_jobs.pending(s) == []  # not printed again with the next sale
        assert [j.id for j in print_jobs.failed(s)] == [job_id]
    [attempt] = run(demo_db, file_printer(tmp_path / "lp0"), till, retry_failed=True)
    assert attempt.delivery.ok and attempt.copy
    assert any("补打 COPY" in k for k in parse((tmp_path / "lp0").read_bytes()).kanji)


def test_a_job_refused_before_sending_is_not_a_copy(demo_db):
    till = make_till(demo_db)
    sell(till)
    fake = FakePrinter(replies=dict(PAPER_OUT))
    with serve(fake) as port:
        [first] = run(demo_db, network(port), till)
        assert first.delivery.code == "printer_paper_out" and not first.delivery.sent
        fake.replies = dict(OK)
        [again] = run(demo_db, network(port), till, retry_failed=True)
    assert again.delivery.ok and not again.copy


def test_reprint_is_marked_opens_no_drawer_and_is_audited(demo_db, tmp_path):
    till = make_till(demo_db)
    result, _ = sell(till)
    run(demo_db, file_printer(tmp_path / "first"), till)
    later = till.now + timedelta(minutes=5)
    with demo_db.transaction() as s:
        copy = print_jobs.reprint(
            s,
            result.sale_id,
            now=later,
            actor=till.supervisor,
            terminal_id=till.settings.terminal_id,
        )
        copy_id = copy.id
        assert copy.kind == "reprint" and copy.document["reprint"] is True
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "receipt_reprint")
            )
            == 1
        )
    [attempt] = run(demo_db, file_printer(tmp_path / "copy"), till, only=copy_id)
    assert attempt.delivery.ok
    parsed = parse((tmp_path / "copy").read_bytes())
    assert any("重印 REPRINT" in k for k in parsed.kanji)
    assert parsed.count(DRAWER) == 0 and parsed.count(PULSE) == 0 and parsed.count(CUT) == 1
    assert parsed.qr_store == [result.receipt_no.encode()]
    with demo_db.sessions() as s:
        assert [j.kind for j in print_jobs.jobs_for_sale(s, result.sale_id)] == [
            "receipt",
            "reprint",
        ]


def test_a_job_is_written_in_the_callers_transaction(demo_db):
    till = make_till(demo_db)
    result, _ = sell(till)
    with pytest.raises(RuntimeError), demo_db.transaction() as s:
        print_jobs.enqueue_sale(s, s.get(Sale, result.sale_id))
        raise RuntimeError("rolled back")
    with demo_db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(PrintJob)) == 1


def test_z_summary_job_prints(demo_db, tmp_path):
    till = make_till(demo_db)
    sell(till)
    with demo_db.transaction() as s:
        summary = shifts.close_shift(
            s,
            terminal_id=till.settings.terminal_id,
            actor=till.supervisor,
            counts={10000: 5},
            now=till.now + timedelta(hours=8),
        )
        job = print_jobs.enqueue(s, z_report_document(s, summary, tz="Asia/Shanghai"))
        job_id = job.id
        assert job.kind == "z_report" and job.sale_id is None
    assert run(demo_db, file_printer(tmp_path / "z"), till, only=job_id)[0].delivery.ok
    parsed = parse((tmp_path / "z").read_bytes())
    assert any("交班报表 (Z)" in k for k in parsed.kanji)
    assert parsed.count(DRAWER) == 0 and parsed.count(CUT) == 1 and not parsed.qr_store
    with demo_db.transaction() as s:
        copy_id = print_jobs.reprint_job(
            s, job_id, now=till.now, tz="Asia/Shanghai", actor=till.cashier
        ).id
    assert run(demo_db, file_printer(tmp_path / "z2"), till, only=copy_id)[0].delivery.ok
    again = parse((tmp_path / "z2").read_bytes())
    assert any("重印 REPRINT" in k for k in again.kanji)
    assert any("交班报表 (Z)" in k for k in again.kanji)


def test_refund_slip_job_prints(demo_db, tmp_path):
    from terminal.returns import process_return

    till = make_till(demo_db)
    result, _ = sell(till)
    ret = process_return(
        demo_db,
        till.settings,
        till.cashier,
        receipt_no=result.receipt_no,
        reason="顾客退货",
        approver=till.supervisor,
        clock=lambda: till.now,
    )
    with demo_db.sessions() as s:  # the return queued its refund slip
        [job] = print_jobs.jobs_for_sale(s, ret.return_id)
        job_id = job.id
        assert job.kind == "refund"
    assert run(demo_db, file_printer(tmp_path / "r"), till, only=job_id)[0].delivery.ok
    parsed = parse((tmp_path / "r").read_bytes())
    assert any("退货单" in k for k in parsed.kanji)
    assert any(result.receipt_no in line for line in parsed.lines)
    assert parsed.qr_store == [ret.receipt_no.encode()]


def test_a_store_from_before_sent_was_recorded_upgrades(tmp_path):
    """Revision 0002 adds ``sent`` and ``sent_at``; jobs queued before keep their state."""
    db = Database(tmp_path / "store.sqlite3", migrate=False)
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(
            text(
                "INSERT INTO print_job (id, kind, document, status, attempts, last_error, "
                "created_at) VALUES ('j1', 'receipt', '{}', 'failed', 1, '打印机缺纸', "
                "'2026-11-23T02:00:00.000000Z')"
            )
        )
    db.migrate()
    try:
        with db.transaction() as s:
            job = print_jobs.get(s, "j1")
            assert (job.status, job.attempts, job.sent_at) == ("failed", 1, None)
            job.status = "sent"  # allowed now
    finally:
        db.close()


def test_a_receipt_printed_late_shows_the_member_as_they_were_at_the_sale(demo_db, tmp_path):
    # the receipt is built when it prints (not in the sale's transaction); a printer
    # that was off through the member's next sale still prints the first sale's balance
    till = make_till(demo_db)
    first, job_id = sell(till)
    second, _ = sell(till)
    assert second.points_balance != first.points_balance
    printer = file_printer(tmp_path / "lp0")
    [attempt] = run(demo_db, printer, till, only=job_id)
    assert attempt.delivery.ok
    balance_row = next(
        line for line in parse((tmp_path / "lp0").read_bytes()).lines if "积分余额" in line
    )
    assert balance_row.split()[-1] == str(first.points_balance)
    with demo_db.sessions() as s:
        kept = print_jobs.get(s, job_id).document
        # built once and kept: previews and reprints show what was printed
        assert kept["member"]["points_balance"] == first.points_balance
        assert kept["payable"] == first.payable and kept["lines"]

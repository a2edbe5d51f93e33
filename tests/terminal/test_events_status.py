"""Core events reach every listener after commit; the status object announces changes."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from terminal import events
from terminal.status import TillStatus
from terminal.store.database import Database
from tests.terminal.tillkit import make_till, ring


def test_a_failing_listener_does_not_stop_the_others_or_the_sale(demo_db: Database) -> None:
    seen: list[tuple[str, dict]] = []

    def broken(**_: object) -> None:
        raise RuntimeError("listener bug")

    off = [
        events.subscribe("sale_committed", broken),
        events.subscribe("sale_committed", lambda **kw: seen.append(("sale", kw))),
        events.subscribe("outbox_changed", lambda **kw: seen.append(("outbox", kw))),
    ]
    try:
        result = ring(make_till(demo_db), [("SKU000002", 1)])
    finally:
        for unsubscribe in off:
            unsubscribe()
    assert seen[0] == ("sale", {"sale_id": result.sale_id, "receipt_no": result.receipt_no})
    assert ("outbox", {}) in seen


def test_unknown_events_are_refused() -> None:
    with pytest.raises(ValueError):
        events.subscribe("sale_comitted", lambda **_: None)  # type: ignore[arg-type]


def test_subscribing_from_many_threads_is_safe() -> None:
    bus = events.EventBus()
    hits: list[int] = []
    threads = [
        threading.Thread(
            target=lambda i=i: bus.subscribe("shift_opened", lambda **_: hits.append(i))
        )
        for i in range(50)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    bus.emit("shift_opened", shift_id="s", terminal_id="t")
    assert sorted(hits) == list(range(50))


def test_status_announces_a_change_once() -> None:
    bus = events.EventBus()
    parts: list[str] = []
    bus.subscribe("status_changed", lambda part: parts.append(part))
    status = TillStatus(bus)
    assert status.get("hq").state == "not_configured"
    t0 = datetime(2026, 11, 23, tzinfo=UTC)
    status.set("printer", "offline", "printer_off", now=t0)
    status.set("printer", "offline", "printer_off", now=t0)  # no change, no announcement
    status.set("printer", "ok", now=t0)
    assert parts == ["printer", "printer"]
    assert status.get("printer").state == "ok"


def test_hq_counts_as_reachable_only_while_the_agent_s_rounds_succeed() -> None:
    status = TillStatus(events.EventBus())
    assert not status.hq_reachable()  # not configured
    status.set("hq", "ok", "hq_synced")
    assert status.hq_reachable()
    status.set("hq", "warning", "hq_parked", parked=1)  # HQ answered, refused a record
    assert status.hq_reachable()
    status.set("hq", "offline", "hq_unreachable")
    assert not status.hq_reachable()
    status.set("hq", "warning", "hq_revoked")
    assert not status.hq_reachable()


def test_each_use_case_announces_what_it_committed_in_order(demo_db: Database) -> None:
    """Open a shift, sell to a member, return it, close the shift: every core event, in
    order, each one fired when what it names can already be read from a new session."""
    from sqlalchemy import select

    from terminal import shift_close
    from terminal.returns import process_return
    from terminal.store.models import PrintJob, Sale, Shift
    from terminal.tenders import Tender
    from tests.terminal.tillkit import member_no

    seen: list[tuple[str, dict]] = []

    def committed(name: str, **details: object) -> None:
        """Record the event, and check the row it names is already committed."""
        with demo_db.sessions() as s:
            if name in ("sale_committed", "return_committed"):
                assert s.get(Sale, details["sale_id"]) is not None, name
            if name in ("shift_opened", "shift_closed"):
                shift = s.get(Shift, details["shift_id"])
                assert shift is not None, name
                assert shift.status == ("open" if name == "shift_opened" else "closed")
        seen.append((name, details))

    off = [
        events.subscribe(name, lambda name=name, **kw: committed(name, **kw))
        for name in (
            "sale_committed",
            "return_committed",
            "shift_opened",
            "shift_closed",
            "member_attached",
            "print_queue_changed",
            "outbox_changed",
        )
    ]
    till = make_till(demo_db, open_shift=False)
    terminal_id = till.settings.terminal_id
    mno = member_no(demo_db)
    try:
        shift = shift_close.open_shift(
            demo_db, terminal_id=terminal_id, actor=till.cashier, opening_float=0, now=till.now
        )
        co = till.checkout()
        co.add("SKU000002")
        co.attach_member(mno)
        co.detach_member()
        co.attach_member(mno)
        sale = co.pay([Tender("cash", co.quote().payable)])
        ret = process_return(
            demo_db,
            till.settings,
            till.cashier,
            receipt_no=sale.receipt_no,
            reason="顾客退货",
            approver=till.supervisor,
            clock=lambda: till.now,
        )
        shift_close.close_shift(
            demo_db, terminal_id=terminal_id, actor=till.manager, counts={}, now=till.now
        )
    finally:
        for unsubscribe in off:
            unsubscribe()
    assert seen == [
        ("shift_opened", {"shift_id": shift.id, "terminal_id": terminal_id}),
        ("member_attached", {"member_no": mno}),
        ("member_attached", {"member_no": None}),
        ("member_attached", {"member_no": mno}),
        ("sale_committed", {"sale_id": sale.sale_id, "receipt_no": sale.receipt_no}),
        ("print_queue_changed", {}),
        ("outbox_changed", {}),
        (
            "return_committed",
            {
                "sale_id": ret.return_id,
                "receipt_no": ret.receipt_no,
                "original_sale_id": sale.sale_id,
            },
        ),
        ("print_queue_changed", {}),
        ("outbox_changed", {}),
        ("shift_closed", {"shift_id": shift.id, "terminal_id": terminal_id}),
        ("print_queue_changed", {}),
    ]
    with demo_db.sessions() as s:  # closing the shift queued its Z slip, whoever closed it
        queued = s.scalars(select(PrintJob.kind).order_by(PrintJob.created_at)).all()
    assert queued == ["receipt", "refund", "z_report"]

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

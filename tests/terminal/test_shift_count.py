"""The drawer count shown before a shift is closed agrees with what closing records."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from terminal import shift_count, shifts
from terminal.errors import InvalidInput, StateError
from terminal.store.database import Database
from terminal.store.models import AuditEvent, Shift
from terminal.tenders import Tender
from tests.terminal.tillkit import make_till, ring


def test_the_preview_is_what_closing_records_and_writes_nothing(demo_db: Database) -> None:
    till = make_till(demo_db)
    sale = ring(till, [("SKU000300", 2)])
    cash = sale.payable
    with demo_db.transaction() as s:
        shifts.cash_out(
            s,
            terminal_id=till.settings.terminal_id,
            actor=till.cashier,
            amount=10_000,
            reason="存银行",
            now=till.now,
        )
    counts = {10000: 3, 5000: 2, 100: 7}  # ¥407, the float was ¥500
    with demo_db.sessions() as s:
        preview = shift_count.count_preview(s, till.settings.terminal_id, counts)
        audits = s.scalar(select(func.count()).select_from(AuditEvent))
    assert preview.expected == 50_000 + cash - 10_000
    assert preview.counted == 40_700
    assert preview.variance == 40_700 - preview.expected
    assert preview.counts[2000] == 0 and preview.counts[10000] == 3
    with demo_db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == audits
        assert s.scalars(select(Shift.status)).one() == "open"
    with demo_db.transaction() as s:
        closed = shifts.close_shift(
            s,
            terminal_id=till.settings.terminal_id,
            actor=till.supervisor,
            counts=counts,
            now=till.now,
        )
    assert (closed.expected_cash, closed.counted_cash, closed.variance) == (
        preview.expected,
        preview.counted,
        preview.variance,
    )


def test_a_bad_count_or_no_open_shift_is_refused_as_closing_refuses(demo_db: Database) -> None:
    till = make_till(demo_db)
    with demo_db.sessions() as s, pytest.raises(InvalidInput) as bad:
        shift_count.count_preview(s, till.settings.terminal_id, {5000: -1})
    assert bad.value.code == "bad_count"
    with demo_db.sessions() as s, pytest.raises(InvalidInput) as odd:
        shift_count.count_preview(s, till.settings.terminal_id, {3000: 1})
    assert odd.value.code == "bad_denomination"
    with demo_db.transaction() as s:
        shifts.close_shift(
            s, terminal_id=till.settings.terminal_id, actor=till.supervisor, counts={}, now=till.now
        )
    with demo_db.sessions() as s, pytest.raises(StateError) as closed:
        shift_count.count_preview(s, till.settings.terminal_id, {})
    assert closed.value.code == "no_shift"


def test_an_exact_count_after_change_in_fen_shows_no_variance(demo_db: Database) -> None:
    """Issue 10: the change handed out and the cash the shift expects follow one rule. A
    store that does not round gives change to the fen (¥111.91 for ¥200 on ¥88.09), so
    the drawer holds fen coins, and counting it exactly must come out even."""
    till = make_till(demo_db)
    with demo_db.sessions() as s:
        float_ = shifts.require_open_shift(s, till.settings.terminal_id).opening_float
    dairy = [("SKU000079", 2), ("SKU000081", 1)]  # 9折 and 满100减10: fen in the total
    sale = ring(till, dairy, tenders=[Tender("cash", 20_000)])  # a ¥100 note and two ¥50
    assert sale.change % 10, "the scenario needs change with fen in it"
    # what is physically in the drawer: the float, the customer's notes, less the change
    drawer = float_ + 20_000 - sale.change
    counts: dict[int, int] = {}
    rest = drawer
    for denom in shifts.DENOMINATIONS:  # the cashier counts it, largest first
        counts[denom], rest = divmod(rest, denom)
    assert rest == 0, f"{rest} fen in the drawer cannot be entered in the count"
    with demo_db.sessions() as s:
        preview = shift_count.count_preview(s, till.settings.terminal_id, counts)
    assert (preview.counted, preview.variance) == (drawer, 0)

"""Shifts, cash movements and drawer reconciliation, on a real SQLite store.

Sales and returns are inserted as rows directly (the checkout contract: a cash
Payment.amount is the cash kept; a return's payments are negative), so the
figures here can be checked by hand.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from terminal import auth, shifts
from terminal.auth import Actor, Permission
from terminal.errors import InvalidInput, NotFound, PermissionDenied, StateError
from terminal.store.database import Database
from terminal.store.models import AuditEvent, CashMovement, Payment, Sale, Shift, Store, Terminal

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
LATER = NOW + timedelta(hours=8)
_seq = count(1)


@pytest.fixture(autouse=True)
def cheap_hasher(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(tmp_path / "store.sqlite3")
    yield database
    database.close()


@pytest.fixture
def terminal_id(db: Database) -> str:
    with db.transaction() as s:
        store = Store(code="S001", name="测试店")
        s.add(store)
        s.flush()
        terminal = Terminal(store_id=store.id, code="T01")
        s.add(terminal)
        s.flush()
        return terminal.id


@pytest.fixture
def staff(db: Database) -> dict[str, Actor]:
    out: dict[str, Actor] = {}
    with db.transaction() as s:
        admin: Actor | None = None
        for username, name, role, pin in [
            ("9001", "管理员", "admin", "9999"),
            ("3001", "店长 张经理", "manager", "3333"),
            ("2001", "主管 王姐", "supervisor", "2222"),
            ("1001", "收银员 小李", "cashier", "1111"),
        ]:
            user = auth.create_user(
                s, username=username, display_name=name, role=role, pin=pin, by=admin
            )
            out[role] = auth.actor_of(user)
            admin = admin or out[role]
    return out


@pytest.fixture
def shift_id(db: Database, terminal_id: str, staff: dict[str, Actor]) -> str:
    with db.transaction() as s:
        shift = shifts.open_shift(
            s, terminal_id=terminal_id, actor=staff["cashier"], opening_float=50_000, now=NOW
        )
        return shift.id


def add_sale(
    db: Database,
    terminal_id: str,
    shift_id: str,
    cashier: Actor,
    *,
    kind: str = "sale",
    subtotal: int,
    discount: int = 0,
    payments: list[tuple[str, int, int]],
) -> None:
    """A sale or return row with its payments: (method, amount kept, tendered)."""
    n = next(_seq)
    payable = sum(amount for _, amount, _ in payments)
    with db.transaction() as s:
        sale = Sale(
            receipt_no=f"S001T01-{n:06d}",
            seq=n,
            kind=kind,
            terminal_id=terminal_id,
            shift_id=shift_id,
            cashier_id=cashier.user_id,
            subtotal=subtotal,
            discount_total=discount,
            payable=payable,
            change_given=sum(t - a for m, a, t in payments if m == "cash"),
            created_at=NOW + timedelta(hours=1),
            tz="Asia/Shanghai",
            business_day=NOW.date(),
        )
        for method, amount, tendered in payments:
            sale.payments.append(Payment(method=method, amount=amount, tendered=tendered))
        s.add(sale)


def full_day(db: Database, terminal_id: str, shift_id: str, staff: dict[str, Actor]) -> None:
    """Sales, a return and cash movements; expected cash works out to 41 000 fen."""
    cashier = staff["cashier"]
    # cash sale: 10.00 due, 20.00 tendered, 10.00 change -> 1 000 kept
    add_sale(
        db,
        terminal_id,
        shift_id,
        cashier,
        subtotal=1200,
        discount=200,
        payments=[("cash", 1000, 2000)],
    )
    # card sale
    add_sale(
        db,
        terminal_id,
        shift_id,
        cashier,
        subtotal=5000,
        discount=500,
        payments=[("card", 4500, 4500)],
    )
    # split: wechat 7.00 + cash 3.00 (5.00 tendered, 2.00 change)
    add_sale(
        db,
        terminal_id,
        shift_id,
        cashier,
        subtotal=1000,
        payments=[("wechat", 700, 700), ("cash", 300, 500)],
    )
    # return of 3.00 in cash
    add_sale(
        db,
        terminal_id,
        shift_id,
        cashier,
        kind="return",
        subtotal=-300,
        payments=[("cash", -300, -300)],
    )
    with db.transaction() as s:
        shifts.cash_in(
            s, terminal_id=terminal_id, actor=cashier, amount=10_000, reason="零钱", now=NOW
        )
        shifts.cash_out(
            s, terminal_id=terminal_id, actor=cashier, amount=20_000, reason="存入保险柜", now=NOW
        )


def audit_rows(db: Database, action: str) -> list[AuditEvent]:
    with db.sessions() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# --- opening ------------------------------------------------------------------------------


def test_open_shift_records_float_and_audit(
    db: Database, terminal_id: str, staff: dict[str, Actor], shift_id: str
) -> None:
    with db.sessions() as s:
        shift = shifts.current_shift(s, terminal_id)
        assert shift is not None and shift.id == shift_id
        assert shift.status == "open" and shift.opening_float == 50_000
        assert shift.opened_by == staff["cashier"].user_id
        moves = s.scalars(select(CashMovement).where(CashMovement.shift_id == shift_id)).all()
        assert [(m.kind, m.amount) for m in moves] == [("float", 50_000)]
        assert shifts.expected_cash(s, shift) == 50_000
    [event] = audit_rows(db, "shift_opened")
    assert event.target == shift_id and event.details["opening_float"] == 50_000


def test_double_open_refused(
    db: Database, terminal_id: str, staff: dict[str, Actor], shift_id: str
) -> None:
    with db.transaction() as s, pytest.raises(StateError, match="本机已有未结班次"):
        shifts.open_shift(
            s, terminal_id=terminal_id, actor=staff["supervisor"], opening_float=0, now=NOW
        )


def test_open_refusals(db: Database, terminal_id: str, staff: dict[str, Actor]) -> None:
    with db.transaction() as s, pytest.raises(InvalidInput):
        shifts.open_shift(
            s, terminal_id=terminal_id, actor=staff["cashier"], opening_float=-1, now=NOW
        )
    with db.transaction() as s, pytest.raises(NotFound):
        shifts.open_shift(s, terminal_id="nope", actor=staff["cashier"], opening_float=0, now=NOW)
    nobody = Actor("x", "x", "x", "guest")
    with db.transaction() as s, pytest.raises(PermissionDenied):
        shifts.open_shift(s, terminal_id=terminal_id, actor=nobody, opening_float=0, now=NOW)
    for huge in (10**8, 10**20):  # was an OverflowError from SQLite for 10**20
        with db.transaction() as s, pytest.raises(InvalidInput, match=r"999999\.99"):
            shifts.open_shift(
                s, terminal_id=terminal_id, actor=staff["cashier"], opening_float=huge, now=NOW
            )


def test_require_open_shift(db: Database, terminal_id: str, staff: dict[str, Actor]) -> None:
    with db.sessions() as s:
        assert shifts.current_shift(s, terminal_id) is None
        with pytest.raises(StateError, match="请先开班") as info:
            shifts.require_open_shift(s, terminal_id)
    assert info.value.code == "no_shift"


# --- cash in and out ----------------------------------------------------------------------


def test_cash_movements_need_reason_amount_and_shift(
    db: Database, terminal_id: str, staff: dict[str, Actor]
) -> None:
    cashier = staff["cashier"]
    with db.transaction() as s, pytest.raises(StateError, match="请先开班"):
        shifts.cash_in(s, terminal_id=terminal_id, actor=cashier, amount=100, reason="x", now=NOW)
    with db.transaction() as s:
        shifts.open_shift(s, terminal_id=terminal_id, actor=cashier, opening_float=0, now=NOW)
    for reason in ("", "   "):
        with db.transaction() as s, pytest.raises(InvalidInput, match="原因"):
            shifts.cash_in(
                s, terminal_id=terminal_id, actor=cashier, amount=100, reason=reason, now=NOW
            )
    for amount in (0, -100, True, 10**8, 10**20):
        with db.transaction() as s, pytest.raises(InvalidInput, match="金额"):
            shifts.cash_in(
                s, terminal_id=terminal_id, actor=cashier, amount=amount, reason="x", now=NOW
            )
    with db.transaction() as s:
        shifts.cash_in(
            s, terminal_id=terminal_id, actor=cashier, amount=500, reason=" 零钱 ", now=NOW
        )
    [event] = audit_rows(db, "cash_in")
    assert event.details == {"amount": 500, "reason": "零钱"}


def test_cash_out_cannot_exceed_drawer(
    db: Database, terminal_id: str, staff: dict[str, Actor], shift_id: str
) -> None:
    cashier = staff["cashier"]
    add_sale(db, terminal_id, shift_id, cashier, subtotal=1000, payments=[("cash", 1000, 1000)])
    with db.transaction() as s, pytest.raises(StateError, match="钱箱现金不足") as info:
        shifts.cash_out(
            s, terminal_id=terminal_id, actor=cashier, amount=51_001, reason="存款", now=NOW
        )
    assert "510.00" in str(info.value)
    with db.transaction() as s:
        shifts.cash_out(
            s, terminal_id=terminal_id, actor=cashier, amount=51_000, reason="存款", now=NOW
        )
    with db.transaction() as s, pytest.raises(StateError):
        shifts.cash_out(s, terminal_id=terminal_id, actor=cashier, amount=1, reason="x", now=NOW)
    with db.sessions() as s:
        shift = s.get(Shift, shift_id)
        assert shift is not None
        assert shifts.expected_cash(s, shift) == 0


def test_cash_movement_permission(
    db: Database, terminal_id: str, staff: dict[str, Actor], shift_id: str
) -> None:
    # a role without CASH_MOVEMENT (no such role ships: every role may move cash)
    me = staff["cashier"]
    guest = Actor(me.user_id, me.username, me.display_name, "guest")
    with db.transaction() as s, pytest.raises(PermissionDenied):
        shifts.cash_in(s, terminal_id=terminal_id, actor=guest, amount=100, reason="x", now=NOW)
    with db.transaction() as s:
        shifts.cash_in(
            s,
            terminal_id=terminal_id,
            actor=guest,
            amount=100,
            reason="x",
            now=NOW,
            approver=staff["supervisor"],
        )
    [event] = audit_rows(db, "cash_in")
    assert event.approved_by == staff["supervisor"].user_id


# --- expected cash and the summary --------------------------------------------------------


def test_expected_cash_and_x_report(
    db: Database, terminal_id: str, staff: dict[str, Actor], shift_id: str
) -> None:
    full_day(db, terminal_id, shift_id, staff)
    with db.sessions() as s:
        shift = s.get(Shift, shift_id)
        assert shift is not None
        # 50 000 float + 1 000 + 300 cash kept − 300 refunded + 10 000 in − 20 000 out
        assert shifts.expected_cash(s, shift) == 41_000
        x = shifts.shift_summary(s, shift)
    assert x.status == "open"
    assert x.opened_by_name == "收银员 小李"
    assert x.closed_by is None and x.closed_at is None
    assert x.sales_count == 3 and x.returns_count == 1
    assert x.gross_sales == 1200 + 5000 + 1000
    assert x.discounts_total == 200 + 500
    assert x.net_sales == 1000 + 4500 + 1000
    assert x.returns_total == 300
    assert x.tenders == {"cash": 1000, "card": 4500, "wechat": 700, "alipay": 0}
    assert x.cash_in == 10_000 and x.cash_out == 20_000
    assert x.expected_cash == 41_000
    assert x.counted_cash is None and x.variance is None and x.counts == {}


@pytest.mark.parametrize(
    ("counts", "counted", "variance"),
    [
        ({10000: 4, 500: 2}, 41_000, 0),
        ({10000: 4, 500: 2, 50: 1}, 41_050, 50),  # over by 0.50
        ({10000: 4}, 40_000, -1_000),  # short by 10.00
    ],
)
def test_close_with_variance(
    db: Database,
    terminal_id: str,
    staff: dict[str, Actor],
    shift_id: str,
    counts: dict[int, int],
    counted: int,
    variance: int,
) -> None:
    full_day(db, terminal_id, shift_id, staff)
    with db.transaction() as s:
        z = shifts.close_shift(
            s, terminal_id=terminal_id, actor=staff["supervisor"], counts=counts, now=LATER
        )
    assert z.status == "closed"
    assert (z.expected_cash, z.counted_cash, z.variance) == (41_000, counted, variance)
    assert z.closed_by == staff["supervisor"].user_id and z.closed_by_name == "主管 王姐"
    assert z.closed_at == LATER
    assert z.counts == {d: counts.get(d, 0) for d in shifts.DENOMINATIONS}
    assert z.tenders["cash"] == 1000 and z.returns_total == 300
    with db.sessions() as s:
        shift = s.get(Shift, shift_id)
        assert shift is not None
        assert shift.status == "closed"
        assert (shift.expected_cash, shift.counted_cash, shift.variance) == (
            41_000,
            counted,
            variance,
        )
        assert shift.counts is not None and shift.counts["10000"] == 4
        assert shifts.current_shift(s, terminal_id) is None
        # the Z report can be printed again later, unchanged
        assert shifts.shift_summary(s, shift) == z
    [event] = audit_rows(db, "shift_closed")
    assert event.details["variance"] == variance
    with pytest.raises(FrozenInstanceError):
        z.variance = 0  # type: ignore[misc]


def test_close_without_sales(
    db: Database, terminal_id: str, staff: dict[str, Actor], shift_id: str
) -> None:
    with db.transaction() as s:
        z = shifts.close_shift(
            s, terminal_id=terminal_id, actor=staff["manager"], counts={10000: 5}, now=LATER
        )
    assert (z.sales_count, z.returns_count, z.gross_sales, z.returns_total) == (0, 0, 0, 0)
    assert z.tenders == dict.fromkeys(shifts.TENDER_METHODS, 0)
    assert (z.expected_cash, z.counted_cash, z.variance) == (50_000, 50_000, 0)
    # closed: a new shift may open, the old one cannot be closed again
    with db.transaction() as s, pytest.raises(StateError, match="请先开班"):
        shifts.close_shift(s, terminal_id=terminal_id, actor=staff["manager"], counts={}, now=LATER)
    with db.transaction() as s:
        new = shifts.open_shift(
            s, terminal_id=terminal_id, actor=staff["cashier"], opening_float=0, now=LATER
        )
        assert new.id != shift_id


@pytest.mark.parametrize(
    ("counts", "named"),
    [
        ({20: 1}, "20"),
        ({200: 1}, "200"),
        ({3: 1}, "3"),  # no 3分 coin
        ({10000: -1}, "-1"),
        ({"10000": 1}, "'10000'"),
        ({10000: 1.5}, "1.5"),
        ({True: 1}, "True"),
        ({10000: 10**20}, "10000000000"),  # SQLite cannot even store the total
    ],
)
def test_bad_counts_refused(
    db: Database,
    terminal_id: str,
    staff: dict[str, Actor],
    shift_id: str,
    counts: dict[int, int],
    named: str,
) -> None:
    with db.transaction() as s, pytest.raises(InvalidInput) as info:
        shifts.close_shift(
            s, terminal_id=terminal_id, actor=staff["supervisor"], counts=counts, now=LATER
        )
    assert named in str(info.value)
    with db.sessions() as s:
        assert shifts.current_shift(s, terminal_id) is not None


def test_close_needs_supervisor(
    db: Database, terminal_id: str, staff: dict[str, Actor], shift_id: str
) -> None:
    cashier = staff["cashier"]
    with db.transaction() as s, pytest.raises(PermissionDenied, match="需要主管授权"):
        shifts.close_shift(s, terminal_id=terminal_id, actor=cashier, counts={}, now=LATER)
    # a cashier approver does not help
    with db.transaction() as s, pytest.raises(PermissionDenied):
        shifts.close_shift(
            s, terminal_id=terminal_id, actor=cashier, counts={}, now=LATER, approver=cashier
        )
    # a supervisor's one-action override does
    with db.transaction() as s:
        approver = auth.supervisor_override(
            s, username="2001", pin="2222", perm=Permission.SHIFT_CLOSE, now=LATER
        )
    with db.transaction() as s:
        z = shifts.close_shift(
            s,
            terminal_id=terminal_id,
            actor=cashier,
            counts={10000: 5},
            now=LATER,
            approver=approver,
        )
    assert z.closed_by == cashier.user_id and z.variance == 0
    [event] = audit_rows(db, "shift_closed")
    assert event.approved_by == staff["supervisor"].user_id


def test_shifts_are_per_terminal(
    db: Database, terminal_id: str, staff: dict[str, Actor], shift_id: str
) -> None:
    with db.transaction() as s:
        store_id = s.scalars(select(Store.id)).one()
        other = Terminal(store_id=store_id, code="T02")
        s.add(other)
        s.flush()
        second = shifts.open_shift(
            s, terminal_id=other.id, actor=staff["supervisor"], opening_float=100, now=NOW
        )
        assert second.id != shift_id
        assert shifts.require_open_shift(s, terminal_id).id == shift_id

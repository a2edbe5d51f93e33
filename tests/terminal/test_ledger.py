"""The points ledger: lots, FIFO by expiry, expiry, restore to the same lots, never negative."""

from __future__ import annotations

from datetime import date

import pytest

from terminal import ledger
from terminal.errors import StateError
from terminal.store.database import Database
from terminal.store.models import Member, Tier


@pytest.fixture
def db_member(tmp_path):
    db = Database(tmp_path / "store.sqlite3")
    with db.transaction() as s:
        s.add(Tier(code="normal", name="普通", rank=0))
        member = Member(member_no="M00000001", tier_code="normal")
        s.add(member)
    yield db, member.id
    db.close()


def test_expiry_policies():
    assert ledger.expiry_for(date(2026, 1, 1), "end_of_next_year") == date(2027, 12, 31)
    assert ledger.expiry_for(date(2026, 12, 31), "end_of_next_year") == date(2027, 12, 31)
    assert ledger.expiry_for(date(2026, 1, 1), "days:30") == date(2026, 1, 31)
    assert ledger.expiry_for(date(2026, 1, 1), "never") is None


def test_redeem_spends_the_lots_that_expire_first(db_member):
    db, mid = db_member
    today = date(2026, 6, 1)
    with db.transaction() as s:
        late = ledger.earn(s, mid, 500, expires_on=date(2027, 12, 31))
        early = ledger.earn(s, mid, 300, expires_on=date(2026, 12, 31))
        entries = ledger.redeem(s, mid, 400, today, sale_id=None, reason="t")
        assert [(e.lot_id, e.points) for e in entries] == [(early.id, -300), (late.id, -100)]
        assert ledger.balance(s, mid, today) == 400
        remaining = {lot.id: lot.remaining for lot in ledger.lots(s, mid)}
        assert remaining == {early.id: 0, late.id: 400}


def test_balance_never_goes_negative(db_member):
    db, mid = db_member
    with db.transaction() as s:
        ledger.earn(s, mid, 100, expires_on=None)
        with pytest.raises(StateError) as err:
            ledger.redeem(s, mid, 101, date(2026, 1, 1), sale_id=None)
        assert err.value.code == "points_insufficient"
        assert ledger.balance(s, mid, date(2026, 1, 1)) == 100


def test_expired_lots_are_not_spendable_and_expire_rows_are_written(db_member):
    db, mid = db_member
    with db.transaction() as s:
        ledger.earn(s, mid, 200, expires_on=date(2026, 12, 31))
        ledger.earn(s, mid, 50, expires_on=date(2027, 12, 31))
        assert ledger.expiring_within(s, mid, date(2026, 12, 15), 30) == 200
        assert ledger.balance(s, mid, date(2027, 1, 1)) == 50
        assert ledger.expire_due(s, mid, date(2027, 1, 1)) == 200
        assert ledger.expire_due(s, mid, date(2027, 1, 1)) == 0
        assert ledger.balance(s, mid, date(2027, 1, 1)) == 50

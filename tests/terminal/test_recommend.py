"""The member's usual items, from the local sales history."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from terminal.recommend import usual_items
from terminal.returns import process_return
from terminal.store.database import Database
from terminal.store.models import Member
from tests.terminal.tillkit import make_till, member_no, ring


def member_id(db: Database, mno: str) -> str:
    with db.sessions() as s:
        return s.scalars(select(Member.id).where(Member.member_no == mno)).one()


def test_usual_items_are_the_most_visited_not_in_the_basket(demo_db: Database) -> None:
    till = make_till(demo_db)
    mno = member_no(demo_db)
    for items in (
        [("SKU000300", 1), ("SKU000002", 2)],
        [("SKU000300", 1), ("SKU000010", 1)],
        [("SKU000300", 3), ("SKU000002", 1), ("SKU000020", 1)],
    ):
        ring(till, items, member=mno)
    other = ring(till, [("SKU000030", 1)], member=mno)
    process_return(
        demo_db,
        till.settings,
        till.cashier,
        receipt_no=other.receipt_no,
        reason="x",
        approver=till.supervisor,
    )
    mid = member_id(demo_db, mno)
    today = till.now.date()
    with demo_db.sessions() as s:
        usual = usual_items(s, mid, today)
        assert [u.sku for u in usual[:2]] == ["SKU000300", "SKU000002"]
        assert usual[0].visits == 3 and usual[1].visits == 2
        assert "SKU000030" not in {u.sku for u in usual}  # returned in full
        in_basket = usual_items(s, mid, today, exclude_skus=["SKU000300"])
        assert in_basket[0].sku == "SKU000002" and len(in_basket) == 3
        # half a year later the history has aged out
        assert usual_items(s, mid, today + timedelta(days=400)) == []
        # someone else's history is not this member's
        assert usual_items(s, member_id(demo_db, member_no(demo_db, nth=1)), today) == []

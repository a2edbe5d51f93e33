"""The records HQ receives: golden examples that a renamed or retyped field breaks.

``golden/records/*.json`` are hand-checked examples of each record. Every one
must validate against its model, and the outbox payloads the till really
writes must have exactly the golden's shape (the same keys at every level),
so a field renamed in the model or in the code that fills it fails here, not
at HQ. To change a record on purpose: bump its ``schema_version`` if an older
HQ could misread it, and update the golden file by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from terminal import members, registration
from terminal.auth import Actor
from terminal.pii import MemberVault
from terminal.records import RECORD_TYPES
from terminal.store.database import Database
from terminal.store.models import OutboxRow
from terminal.tenders import Tender
from tests.conftest import DEMO_NOW
from tests.terminal.tillkit import make_till, member_no, ring

GOLDEN = Path(__file__).parent / "golden" / "records"


def golden(kind: str, name: str | None = None) -> dict[str, Any]:
    return json.loads((GOLDEN / f"{name or kind}.json").read_text(encoding="utf-8"))


def shape(value: Any) -> Any:
    """The keys of a JSON value at every level (list items merged), without the values."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        merged: dict[str, Any] = {}
        for item in value:
            s = shape(item)
            if isinstance(s, dict):
                merged.update(s)
        return [merged] if merged else []
    return None


@pytest.mark.parametrize("name", sorted(p.stem for p in GOLDEN.glob("*.json")))
def test_every_golden_example_validates_against_its_model(name: str) -> None:
    example = golden(name)
    model = RECORD_TYPES[example["record"]]
    again = model.model_validate(example).payload()
    assert again == example  # and nothing is lost or renamed on the way through


def outbox(db: Database, kind: str) -> list[dict[str, Any]]:
    with db.sessions() as s:
        return [r.payload for r in s.scalars(select(OutboxRow).where(OutboxRow.kind == kind))]


def test_sales_and_returns_have_the_golden_shape(demo_db: Database) -> None:
    till = make_till(demo_db)
    mno = member_no(demo_db, "gold")
    sale = ring(
        till,
        [("SKU000300", 2), ("SKU000002", 1)],
        member=mno,
        coupon="CP100001",
        tenders=[Tender("wechat", 500, "4200000001"), Tender("cash", 20_000)],
    )
    from terminal.returns import process_return

    process_return(
        demo_db,
        till.settings,
        till.cashier,
        receipt_no=sale.receipt_no,
        reason="顾客退货",
        approver=till.supervisor,
    )
    sale_payload, return_payload = outbox(demo_db, "sale")
    assert shape(sale_payload) == shape(golden("sale"))
    assert shape(return_payload) == shape(golden("sale", "sale_return"))


def test_members_and_erasures_have_the_golden_shape(demo_db: Database) -> None:
    vault = MemberVault.ephemeral()
    with demo_db.transaction() as s:
        m = registration.register_member(
            s,
            vault,
            phone="13800138000",
            name="王小明",
            birthday_month=5,
            birthday_day=1,
            consent_data=True,
            consent_marketing=True,
            actor=None,
            now=DEMO_NOW,
        ).member
    manager = Actor(make_till(demo_db, open_shift=False).manager.user_id, "3001", "店长", "manager")
    with demo_db.transaction() as s:
        members.erase_member(s, vault, m.member_no, actor=manager, reason="顾客申请", now=DEMO_NOW)
    (member,) = outbox(demo_db, "member")
    (erasure,) = outbox(demo_db, "member_erasure")
    member_golden = golden("member")
    assert member["personal"] is None  # erasure emptied the queued record too
    member["personal"] = member_golden["personal"]
    assert shape(member) == shape(member_golden)
    assert shape(erasure) == shape(golden("member_erasure"))


def test_member_value_records_have_the_golden_shape(demo_db: Database) -> None:
    """A sale with every kind of member value, its return, a top-up and its refund."""
    from terminal import topups
    from terminal.demo import DEMO_PAY_PIN
    from terminal.returns import process_return

    till = make_till(demo_db)
    up = topups.top_up(
        demo_db,
        till.settings,
        till.cashier,
        member_no="M00000001",
        amount=50_000,
        tenders=[Tender("wechat", 50_000, "4200000009")],
        clock=lambda: till.now,
    )
    co = till.checkout()
    co.attach_member("M00000001")
    co.add("SKU000154", 3)  # limited special price: a rule use
    co.add("SKU000505", 3)  # 个护满100返10元券: a coupon issued
    co.add_reward("RW-NOODLE")  # a reward line
    co.add_reward("RW-COUPON10")  # a coupon for points
    co.verify_payment_pin(DEMO_PAY_PIN)
    due = co.quote().payable
    sale = co.pay([Tender("stored_value", 5000), Tender("cash", due - 5000)])
    process_return(
        demo_db,
        till.settings,
        till.cashier,
        receipt_no=sale.receipt_no,
        reason="顾客退货",
        approver=till.supervisor,
        clock=lambda: till.now,
    )
    topups.refund_topup(
        demo_db,
        till.settings,
        till.cashier,
        receipt_no=up.receipt_no,
        reason="退卡",
        amount=10_000,
        approver=till.manager,
        clock=lambda: till.now,
    )
    sale_payload, return_payload = outbox(demo_db, "sale")
    topup, refund = outbox(demo_db, "stored_value")
    assert shape(sale_payload) == shape(golden("sale", "sale_value"))
    assert shape(return_payload) == shape(golden("sale", "sale_value_return"))
    assert shape(topup) == shape(golden("stored_value", "stored_value_topup"))
    assert shape(refund) == shape(golden("stored_value", "stored_value_topup_refund"))
    assert sale_payload["coupons_issued"] and sale_payload["rule_uses"]
    assert {c["status"] for c in return_payload["coupons_issued"]} == {"void"}

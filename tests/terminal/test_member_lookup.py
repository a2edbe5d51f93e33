"""Finding members by number, phone and last 4 digits; masking; the panel; data requests."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from terminal import auth, ledger, members
from terminal.errors import InvalidInput, NotFound, PermissionDenied, StateError
from terminal.members import (
    birthday_month,
    erase_member,
    find_by_last4,
    find_by_phone,
    mask_name,
    mask_phone,
    member_data_report,
    member_info,
    member_panel,
)
from terminal.pii import MemberVault
from terminal.registration import register_member
from terminal.store.database import Database
from terminal.store.models import AuditEvent, Coupon, Member, OutboxRow, PointsEntry, Sale
from terminal.tenders import Tender
from tests.conftest import DEMO_NOW
from tests.terminal.tillkit import barcode_of, make_till

TODAY = date(2026, 11, 23)
CASHIER = auth.Actor("u-c", "1001", "收银员", "cashier")
MANAGER = auth.Actor("u-m", "3001", "店长", "manager")


@pytest.fixture
def vault() -> MemberVault:
    return MemberVault.ephemeral()


def reg(db: Database, vault: MemberVault, phone: str, name: str, **kw: object) -> Member:
    with db.transaction() as session:
        return register_member(
            session,
            vault,
            phone=phone,
            name=name,
            consent_data=True,
            actor=None,
            now=DEMO_NOW,
            **kw,  # type: ignore[arg-type]
        ).member


# --- masking ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("王五", "王*"),
        ("王小明", "王**"),
        ("欧阳娜娜", "欧阳**"),
        ("欧阳锋", "欧阳*"),
        ("欧阳", "欧*"),
        ("司马相如", "司马**"),
        ("王", "*"),
        ("", ""),
        ("Alice", "A****"),
    ],
)
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13812345678", "138****5678"), ("19900001111", "199****1111"), ("1234", "****"), ("", "")],
)
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


# --- lookups ------------------------------------------------------------------------------


def test_find_by_phone_in_any_written_form(demo_db: Database, vault: MemberVault) -> None:
    member = reg(demo_db, vault, "13812345678", "王小明")
    with demo_db.sessions() as session:
        for form in ("13812345678", "+86 138 1234 5678", "86-138-1234-5678", "138 1234-5678"):
            assert find_by_phone(session, vault, form).id == member.id
        with pytest.raises(NotFound) as info:
            find_by_phone(session, vault, "13812345679")
        assert info.value.code == "no_member_with_phone"
        assert "13" not in str(info.value)  # the number typed is never repeated
        with pytest.raises(InvalidInput) as bad:
            find_by_phone(session, vault, "1381234567")
        assert bad.value.code == "bad_phone"


def test_find_by_phone_refuses_blocked_and_erased(demo_db: Database, vault: MemberVault) -> None:
    blocked = reg(demo_db, vault, "13812345678", "王小明")
    gone = reg(demo_db, vault, "13912345678", "李雷")
    with demo_db.transaction() as session:
        session.get(Member, blocked.id).status = "blocked"  # type: ignore[union-attr]
        erase_member(session, vault, gone.member_no, actor=MANAGER, reason="顾客申请")
    with demo_db.sessions() as session:
        with pytest.raises(StateError) as info:
            find_by_phone(session, vault, "13812345678")
        assert info.value.code == "member_blocked"
        with pytest.raises(NotFound):
            find_by_phone(session, vault, "13912345678")
        with pytest.raises(NotFound):
            members.find_member(session, gone.member_no)


def test_last4_lists_all_active_matches_masked(demo_db: Database, vault: MemberVault) -> None:
    a = reg(demo_db, vault, "13800005678", "王小明")
    b = reg(demo_db, vault, "13911115678", "欧阳娜娜")
    c = reg(demo_db, vault, "18622225678", "李雷")
    reg(demo_db, vault, "18622221234", "韩梅梅")
    with demo_db.transaction() as session:
        session.get(Member, c.id).status = "blocked"  # type: ignore[union-attr]
    with demo_db.sessions() as session:
        found = find_by_last4(session, vault, "5678")
        assert not found.more
        assert [(m.member_no, m.masked_name, m.masked_phone) for m in found.matches] == [
            (a.member_no, "王**", "138****5678"),
            (b.member_no, "欧阳**", "139****5678"),
        ]
        assert found.matches[0].tier_name == "普通"
        limited = find_by_last4(session, vault, "5678", limit=1)
        assert len(limited.matches) == 1 and limited.more
        with pytest.raises(NotFound):
            find_by_last4(session, vault, "0000")
        with pytest.raises(InvalidInput):
            find_by_last4(session, vault, "567")


def test_search_by_any_form_the_till_accepts(demo_db: Database, vault: MemberVault) -> None:
    a = reg(demo_db, vault, "13800005678", "王小明")
    with demo_db.sessions() as session:
        for text in (
            a.member_no.lower(),
            "5678",
            "138 0000 5678",
            "138-0000-5678",
            "+8613800005678",
        ):
            found = members.search(session, vault, text)
            assert [m.member_no for m in found.matches] == [a.member_no], text
            assert found.matches[0].masked_phone == "138****5678"


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("M00000042", "code", "M00000042"),
        ("m00000042", "code", "M00000042"),
        ("138-0013-8000", "phone", "13800138000"),
        ("+86 138 0013 8000", "phone", "13800138000"),
        ("8000", "last4", "8000"),
        ("80 00", "last4", "8000"),
    ],
)
def test_one_rule_for_what_typed_text_names(text: str, kind: str, value: str) -> None:
    assert members.member_query(text) == members.MemberQuery(kind, value)


@pytest.mark.parametrize("text", ["", "hello", "123", "23800138000", "６９０１"])
def test_text_that_names_no_member_is_refused_without_echo(text: str) -> None:
    with pytest.raises(InvalidInput) as info:
        members.member_query(text)
    assert info.value.code == "not_a_member_query"
    assert not text or text not in str(info.value)


# --- the panel ----------------------------------------------------------------------------


def test_member_panel_figures(demo_db: Database, vault: MemberVault) -> None:
    m = reg(demo_db, vault, "13812345678", "王小明", birthday_month=11, birthday_day=5)
    other = reg(demo_db, vault, "13912345678", "李雷", birthday_month=12, birthday_day=1)
    with demo_db.transaction() as session:
        soon = ledger.earn(session, m.id, 500, expires_on=date(2026, 12, 10))
        ledger.earn(session, m.id, 300, expires_on=date(2027, 12, 31))
        ledger.earn(session, m.id, 100, expires_on=date(2026, 11, 1))  # already expired
        assert soon is not None
        session.add(PointsEntry(member_id=m.id, kind="redeem", points=-200, lot_id=soon.id))
        for code, status in (("CP100001", "issued"), ("CP950001", "redeemed")):
            coupon = session.get(Coupon, code)
            assert coupon is not None
            coupon.member_id, coupon.status = m.id, status
    with demo_db.sessions() as session:
        member = members.find_member(session, m.member_no)
        panel = member_panel(session, vault, member, TODAY)
        assert panel.masked_name == "王**" and panel.masked_phone == "138****5678"
        assert panel.points_balance == 600  # 300 left of 500, 300, the expired 100 not counted
        assert panel.points_expiring == 300  # the 500-lot (10 Dec) is within 30 days
        assert panel.points_balance == ledger.balance(session, m.id, TODAY)
        assert panel.points_expiring == ledger.expiring_within(session, m.id, TODAY, 30)
        assert [c.code for c in panel.coupons] == ["CP100001"]
        assert panel.coupons[0].name == "满50减10元券"
        assert panel.birthday_month is True
        assert panel.tier.code == "normal" and panel.benefits == "积分1倍"
        assert birthday_month(vault, member) == 11
        assert (
            member_info(session, member, TODAY, birthday_month(vault, member)).birthday_month == 11
        )
        o = members.find_member(session, other.member_no)
        assert member_panel(session, vault, o, TODAY).birthday_month is False
        assert member_panel(session, vault, o, TODAY).points_balance == 0


@pytest.mark.parametrize(
    ("discount_bp", "mult_bp", "text", "english"),
    [
        (500, 15_000, "95折 · 积分1.5倍", "5% off · points ×1.5"),
        (1000, 10_000, "9折 · 积分1倍", "10% off · points ×1"),
        (200, 12_000, "98折 · 积分1.2倍", "2% off · points ×1.2"),
        (750, 20_000, "92.5折 · 积分2倍", "7.5% off · points ×2"),
        (0, 10_000, "积分1倍", "points ×1"),
    ],
)
def test_benefits_text(discount_bp: int, mult_bp: int, text: str, english: str) -> None:
    from terminal.pricing.model import TierInfo

    tier = TierInfo(code="x", name="x", discount_bp=discount_bp, points_multiplier_bp=mult_bp)
    assert members.benefits_text(tier) == text
    assert members.benefits_text(tier, "en") == english


def test_member_without_personal_data_has_an_empty_panel(
    demo_db: Database, vault: MemberVault
) -> None:
    with demo_db.sessions() as session:
        member = members.find_member(session, "M00000001")
        panel = member_panel(session, vault, member, TODAY)
        assert panel.masked_name == "" and panel.birthday_month is False
        assert panel.points_balance > 0


# --- personal-data requests ---------------------------------------------------------------


def test_data_report_needs_member_data(demo_db: Database, vault: MemberVault) -> None:
    m = reg(demo_db, vault, "13812345678", "王小明", birthday_month=3, birthday_day=8)
    with demo_db.transaction() as session, pytest.raises(PermissionDenied):
        member_data_report(session, vault, m.member_no, actor=CASHIER)
    with demo_db.transaction() as session:
        report = member_data_report(session, vault, m.member_no, actor=MANAGER, today=TODAY)
    assert report["name"] == "王小明" and report["phone"] == "13812345678"
    assert report["birthday"] == "03-08" and report["tier"]["code"] == "normal"
    assert {c["kind"]: c["text_version"] for c in report["consents"]} == {
        "data_processing": "dp-2026.1",
        "marketing": "mk-2026.1",
    }
    assert report["points"]["balance"] == 0 and report["sales_count"] == 0
    with demo_db.sessions() as session:
        viewed = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "member_data_viewed")
        ).one()
        assert viewed.user_id == MANAGER.user_id and viewed.target == m.id
        assert "王小明" not in str(viewed.details)


def test_erasure(demo_db: Database, vault: MemberVault) -> None:
    m = reg(demo_db, vault, "13812345678", "王小明", birthday_month=3, birthday_day=8)
    till = make_till(demo_db)
    checkout = till.checkout()
    checkout.attach_member(m.member_no)
    checkout.add(barcode_of(demo_db, "SKU000001"))
    sale = checkout.pay([Tender("cash", 100_000)])
    with demo_db.transaction() as session, pytest.raises(PermissionDenied):
        erase_member(session, vault, m.member_no, actor=CASHIER, reason="顾客申请")
    with demo_db.transaction() as session, pytest.raises(InvalidInput):
        erase_member(session, vault, m.member_no, actor=MANAGER, reason=" ")
    with demo_db.transaction() as session:
        erase_member(session, vault, m.member_no, actor=MANAGER, reason="顾客申请")
    with demo_db.sessions() as session:
        row = session.get(Member, m.id)
        assert row is not None and row.status == "erased" and row.member_no == m.member_no
        assert (row.name_enc, row.phone_enc, row.birthday_enc) == (None, None, None)
        assert (row.phone_index, row.phone_last4_index) == (None, None)
        assert session.get(Sale, sale.sale_id).member_id == m.id  # type: ignore[union-attr]
        assert session.scalar(
            select(func.count()).select_from(PointsEntry).where(PointsEntry.member_id == m.id)
        )
        erasure = session.scalars(select(OutboxRow).where(OutboxRow.kind == "member_erasure")).one()
        assert erasure.payload["member_id"] == m.id
        registration = session.scalars(select(OutboxRow).where(OutboxRow.record_id == m.id)).one()
        assert registration.payload["personal"] is None
        assert (
            session.scalars(select(AuditEvent).where(AuditEvent.action == "member_erased"))
            .one()
            .target
            == m.id
        )
        with pytest.raises(NotFound):
            find_by_phone(session, vault, "13812345678")
        with pytest.raises(NotFound):
            find_by_last4(session, vault, "5678")
    with demo_db.transaction() as session, pytest.raises(NotFound):
        erase_member(session, vault, m.member_no, actor=MANAGER, reason="again")
    with demo_db.transaction() as session, pytest.raises(NotFound):
        member_data_report(session, vault, m.member_no, actor=MANAGER)
    # the phone is free again for a new registration
    assert reg(demo_db, vault, "13812345678", "王小明").member_no != m.member_no


# --- issue 8: a damaged member row is that member's problem only -------------------------


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE member SET name_enc = X'01020304' WHERE member_no = :no",  # bytes garbled
        "UPDATE member SET created_at = 'not a time' WHERE member_no = :no",  # wrong type
        "UPDATE member SET birthday_enc = X'00' WHERE member_no = :no",
    ],
)
def test_a_damaged_member_record_is_one_clear_refusal(
    demo_db: Database, vault: MemberVault, damage: str
) -> None:
    from sqlalchemy import text

    from terminal.errors import StateError
    from tests.terminal.tillkit import make_till

    hurt = reg(demo_db, vault, "13800005678", "王小明", birthday_month=3, birthday_day=1)
    fine = reg(demo_db, vault, "13900001111", "李雷")
    with demo_db.transaction() as s:
        s.execute(text(damage), {"no": hurt.member_no})
    till = make_till(demo_db)
    co = till.checkout()
    co.vault = vault
    co.add("SKU000002")
    with pytest.raises(StateError) as info:
        co.attach_member(hurt.member_no)
        with demo_db.sessions() as s:
            members.member_panel(s, vault, members.find_member(s, hurt.member_no), co.today)
    assert info.value.code == "member_record_damaged"
    assert hurt.member_no in str(info.value)
    co.detach_member()
    co.attach_member(fine.member_no)  # everyone else is served as usual
    with demo_db.sessions() as s:
        panel = members.member_panel(s, vault, members.find_member(s, fine.member_no), co.today)
    assert panel.masked_name == "李*"

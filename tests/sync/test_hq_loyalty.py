"""Loyalty at HQ, end to end: tiers, expiry, referral and activity points, welcome and
birthday coupons, from a real uvicorn HQ on PostgreSQL to real tills."""

from __future__ import annotations

import base64
import math
import os
import threading
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select

from sync.hq import cli, feed, loyalty, loyalty_settings, personal
from sync.hq.db import HqDatabase
from sync.hq.models import (
    HqBase,
    HqEntity,
    HqMemberPersonal,
    HqPoints,
    HqRecord,
    HqStore,
    HqTerminal,
)
from terminal import ledger, members
from terminal.registration import register_member
from terminal.store.models import Member, PointsEntry, Product
from tests.conftest import DEMO_NOW
from tests.sync.hqkit import HqServer, Till, enrolled_till, hq_cli, hq_cli_refused
from tests.terminal.tillkit import ring

TODAY = DEMO_NOW.date()


def _hq_balance(hq_db: HqDatabase, member_id: str) -> int:
    with hq_db.transaction() as session:
        return loyalty.balances(session, [member_id]).get(member_id, 0)


def _hq_tier(hq_db: HqDatabase, member_id: str) -> str:
    with hq_db.transaction() as session:
        row = session.get(HqEntity, ("member", member_id))
        assert row is not None
        return str(row.data["tier_code"])


def _normal_member(hq_db: HqDatabase, below: int, nth: int = 0) -> tuple[str, str, int]:
    """A member of the lowest tier whose chain balance is under ``below``: (id, no, balance)."""
    with hq_db.transaction() as session:
        rows = session.execute(
            select(HqEntity.key, HqEntity.data["member_no"].as_string())
            .where(
                HqEntity.entity == "member",
                HqEntity.data["tier_code"].as_string() == "normal",
            )
            .order_by(HqEntity.key)
        ).all()
        points = loyalty.balances(session)
    found = [(k, no, points.get(k, 0)) for k, no in rows if points.get(k, 0) < below]
    return found[nth]


def _panel(till: Till, member_id: str, today: date = TODAY) -> members.MemberPanel:
    with till.db.sessions() as session:
        member = session.get(Member, member_id)
        assert member is not None
        return members.member_panel(session, till.vault, member, today)


def _basket(till: Till, at_least: int) -> list[tuple[str, int]]:
    """A basket of one earning product costing at least ``at_least`` fen."""
    with till.db.sessions() as session:
        sku, price = session.execute(
            select(Product.sku, Product.price)
            .where(
                Product.sold_by == "unit",
                Product.earns_points.is_(True),
                Product.price.between(500, 2_000),
            )
            .order_by(Product.sku)
            .limit(1)
        ).one()
    return [(sku, math.ceil(at_least / price))]


def _register(
    till: Till, phone: str, *, referrer: str | None = None, birthday: tuple[int, int] | None = None
) -> tuple[str, str]:
    with till.db.transaction() as session:
        done = register_member(
            session,
            till.vault,
            phone=phone,
            name="测试会员",
            birthday_month=birthday[0] if birthday else None,
            birthday_day=birthday[1] if birthday else None,
            referrer_no=referrer,
            consent_data=True,
            actor=till.shop.cashier,
            now=DEMO_NOW,
            terminal_id=till.shop.settings.terminal_id,
        )
        return done.member.id, done.member.member_no


def test_the_schema_matches_the_models(hq_db: HqDatabase) -> None:
    with hq_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"version_table": "hq_alembic_version"})
        assert compare_metadata(context, HqBase.metadata) == []


def test_sales_arriving_over_the_spend_threshold_upgrade_the_member_at_every_till(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    b = enrolled_till(hq_db, hq.url, tmp_path / "b.sqlite3", "S102", "T01")
    assert "tier.spend.silver" in hq_cli(hq_db, capsys, "loyalty", "show")
    out = hq_cli(hq_db, capsys, "loyalty", "set", "tier.spend.silver", "10000")  # 100 yuan
    assert out.strip() == "tier.spend.silver = 10000"
    a.sync()
    b.sync()
    big_id, big_no, _ = _normal_member(hq_db, below=1_000, nth=0)
    small_id, small_no, _ = _normal_member(hq_db, below=1_000, nth=1)
    assert _panel(a, big_id).tier.code == "normal"

    big = ring(a.shop, _basket(a, 12_000), member=big_no)  # 120 yuan: over 100 yuan of spend
    small = ring(a.shop, _basket(a, 3_000), member=small_no)
    assert big.payable >= 10_000 > small.payable
    a.sync()

    assert _hq_tier(hq_db, big_id) == "silver"
    assert _hq_tier(hq_db, small_id) == "normal"
    assert _panel(a, big_id).tier.code == "silver"  # the till that sold pulled it back
    b.sync()
    assert _panel(b, big_id).tier.code == "silver"
    assert _panel(b, small_id).tier.code == "normal"
    assert f"spend {big.payable} fen" in hq_cli(hq_db, capsys, "points", "show", big_no)


def test_staff_grant_activity_points_and_take_them_back_only_with_a_reason(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    member_id, member_no, start = _normal_member(hq_db, below=1_500)
    with pytest.raises(SystemExit):  # argparse: --reason is required
        cli.main(["--db", hq_db.url, "points", "grant", member_no, "100"])
    assert "reason" in hq_cli_refused(
        hq_db, capsys, "points", "grant", member_no, "100", "--reason", " "
    )

    # enough to reach silver's 2,000 points
    out = hq_cli(
        hq_db, capsys, "points", "grant", member_no, str(2_000 - start), "--reason", "植树活动"
    )
    assert "balance 2000" in out and "tier normal -> silver" in out
    a.sync()
    assert _panel(a, member_id).points_balance == 2_000
    assert _panel(a, member_id).tier.code == "silver"
    with a.db.sessions() as session:
        reasons = set(
            session.scalars(select(PointsEntry.reason).where(PointsEntry.member_id == member_id))
        )
    assert "植树活动" in reasons

    refused = hq_cli_refused(
        hq_db, capsys, "points", "revoke", member_no, "2001", "--reason", "录入错误"
    )
    assert "has 2000 points" in refused
    hq_cli(hq_db, capsys, "points", "revoke", member_no, "500", "--reason", "录入错误")
    assert _hq_balance(hq_db, member_id) == 1_500
    a.sync()
    assert _panel(a, member_id).points_balance == 1_500
    assert _panel(a, member_id).tier.code == "silver"  # tiers only go up


def test_expiry_drops_the_balance_at_hq_and_at_the_till_once(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    member_id, member_no, start = _normal_member(hq_db, below=1_500)
    assert start > 0
    earned = ring(a.shop, _basket(a, 5_000), member=member_no).points_earned
    hq_cli(hq_db, capsys, "loyalty", "set", "points.expiry", "days:1000")  # a lot that outlives
    hq_cli(hq_db, capsys, "points", "grant", member_no, "300", "--reason", "门店活动")
    a.sync()
    assert _hq_balance(hq_db, member_id) == start + earned + 300
    with a.db.sessions() as session:
        opening = [lot for lot in ledger.lots(session, member_id) if lot.remaining == start]
    assert len(opening) == 1 and opening[0].expires_on == date(2027, 12, 31)

    # 31 Dec 2027 + 7 days of grace: the opening and earned lots go, HQ's grant stays
    assert "0 lot(s) expired" in hq_cli(hq_db, capsys, "loyalty", "run", "--today", "2028-01-07")
    out = hq_cli(hq_db, capsys, "loyalty", "run", "--today", "2028-01-08")
    assert "0 lot(s) expired" not in out
    assert _hq_balance(hq_db, member_id) == 300
    _, pulled = a.sync()
    assert pulled.changes > 0
    with a.db.sessions() as session:
        lots = {lot.id: lot.remaining for lot in ledger.lots(session, member_id)}
        entries = session.scalar(
            select(func.sum(PointsEntry.points)).where(PointsEntry.member_id == member_id)
        )
    assert lots[opening[0].id] == 0 and entries == 300
    assert _panel(a, member_id).points_balance == 300

    with hq_db.transaction() as session:
        before = session.scalar(select(func.count()).select_from(HqPoints))
    assert "0 lot(s) expired" in hq_cli(hq_db, capsys, "loyalty", "run", "--today", "2028-01-09")
    with hq_db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(HqPoints)) == before
    _, again = a.sync()
    assert again.changes == 0
    assert _hq_balance(hq_db, member_id) == 300


def test_a_referred_member_s_first_sale_grants_the_referrer_once(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    b = enrolled_till(hq_db, hq.url, tmp_path / "b.sqlite3", "S102", "T01")
    hq_cli(hq_db, capsys, "loyalty", "set", "referral.points", "300")
    a.sync()
    b.sync()
    referrer_id, referrer_no, start = _normal_member(hq_db, below=1_000)
    _, new_no = _register(a, "13912345678", referrer=referrer_no)
    a.sync()
    assert _hq_balance(hq_db, referrer_id) == start  # registered, no sale yet

    ring(a.shop, _basket(a, 2_000), member=new_no)
    a.sync()
    assert _hq_balance(hq_db, referrer_id) == start + 300
    ring(a.shop, _basket(a, 2_000), member=new_no)
    a.sync()
    assert _hq_balance(hq_db, referrer_id) == start + 300
    b.sync()
    assert _panel(b, referrer_id).points_balance == start + 300
    assert _panel(a, referrer_id).points_balance == start + 300

    # a member nobody referred grants nothing
    _, plain_no = _register(a, "13912345679")
    ring(a.shop, _basket(a, 2_000), member=plain_no)
    a.sync()
    assert _hq_balance(hq_db, referrer_id) == start + 300


def test_a_new_member_s_welcome_coupon_reaches_their_tills(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    b = enrolled_till(hq_db, hq.url, tmp_path / "b.sqlite3", "S102", "T01")
    refused = hq_cli_refused(hq_db, capsys, "loyalty", "set", "welcome.enabled", "on")
    assert "welcome.definition" in refused
    assert "no coupon definition" in hq_cli_refused(
        hq_db, capsys, "loyalty", "set", "welcome.definition", "CD-NOPE"
    )
    hq_cli(hq_db, capsys, "loyalty", "set", "welcome.definition", "CD-10")

    a.sync()
    before_id, _ = _register(a, "13700000001")  # welcome coupons still off
    a.sync()
    assert _panel(a, before_id).coupons == ()

    hq_cli(hq_db, capsys, "loyalty", "set", "welcome.enabled", "on")
    member_id, member_no = _register(a, "13700000002")
    a.sync()
    b.sync()
    held = _panel(b, member_id).coupons
    assert [(c.code, c.name) for c in held] == [(f"WEL-{member_no}", "满50减10元券")]
    assert _panel(a, member_id).coupons == held
    with hq_db.transaction() as session:  # imported (existing) members get none
        welcome = session.scalars(
            select(HqEntity.key).where(HqEntity.entity == "coupon", HqEntity.key.like("WEL-%"))
        ).all()
    assert welcome == [f"WEL-{member_no}"]


@pytest.fixture
def data_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSTERM_HQ_DATA_KEY", base64.b64encode(os.urandom(32)).decode())


def test_a_birthday_coupon_once_a_year_at_the_start_of_the_birthday_month(
    hq: HqServer,
    hq_db: HqDatabase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    data_key: None,
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    hq_cli(hq_db, capsys, "loyalty", "set", "birthday.definition", "CD-95")
    hq_cli(hq_db, capsys, "loyalty", "set", "birthday.enabled", "on")
    a.sync()
    dec_id, dec_no = _register(a, "13600000001", birthday=(12, 5))
    mar_id, _ = _register(a, "13600000002", birthday=(3, 10))
    a.sync()
    with hq_db.transaction() as session:
        sealed = {
            m: bytes(s)
            for m, s in session.execute(
                select(HqMemberPersonal.member_id, HqMemberPersonal.birthday_sealed)
            )
        }
    assert set(sealed) == {dec_id, mar_id}
    assert all(b"12-05" not in s and b"03-10" not in s for s in sealed.values())
    assert "birthdays kept: 2" in hq_cli(hq_db, capsys, "loyalty", "show")

    assert "0 birthday coupon(s)" in hq_cli(
        hq_db, capsys, "loyalty", "run", "--today", "2026-11-30"
    )
    assert "1 birthday coupon(s)" in hq_cli(
        hq_db, capsys, "loyalty", "run", "--today", "2026-12-01"
    )
    assert "0 birthday coupon(s)" in hq_cli(
        hq_db, capsys, "loyalty", "run", "--today", "2026-12-20"
    )
    a.sync()
    assert [c.code for c in _panel(a, dec_id).coupons] == [f"BD2026-{dec_no}"]
    assert _panel(a, mar_id).coupons == ()

    assert "1 birthday coupon(s)" in hq_cli(
        hq_db, capsys, "loyalty", "run", "--today", "2027-12-02"
    )
    a.sync()
    assert [c.code for c in _panel(a, dec_id).coupons] == [f"BD2026-{dec_no}", f"BD2027-{dec_no}"]


def test_without_a_data_key_hq_keeps_no_birthdays_and_says_so(
    hq: HqServer,
    hq_db: HqDatabase,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("POSTERM_HQ_DATA_KEY", raising=False)
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    hq_cli(hq_db, capsys, "loyalty", "set", "birthday.definition", "CD-95")
    hq_cli(hq_db, capsys, "loyalty", "set", "birthday.enabled", "on")
    a.sync()
    _register(a, "13600000003", birthday=(12, 5))
    a.sync()
    assert "NOT SET" in hq_cli(hq_db, capsys, "loyalty", "show")
    out = hq_cli(hq_db, capsys, "loyalty", "run", "--today", "2026-12-01")
    assert "0 birthday coupon(s) (no HQ data key" in out
    with hq_db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(HqMemberPersonal)) == 0


def test_a_fault_in_a_loyalty_rule_never_costs_a_sale(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    member_id, member_no, start = _normal_member(hq_db, below=1_000)

    def broken(*_args: object, **_kwargs: object) -> list[loyalty.TierChange]:
        raise RuntimeError("a bug in a tier rule")

    monkeypatch.setattr(loyalty, "evaluate_tiers", broken)
    sale = ring(a.shop, _basket(a, 2_000), member=member_no)
    pushed, _ = a.sync()
    assert (pushed.sent, pushed.parked) == (1, 0)
    assert _hq_balance(hq_db, member_id) == start + sale.points_earned


def _migrate(db: HqDatabase, revision: str, *, down: bool = False) -> None:
    from alembic import command
    from alembic.config import Config

    from sync.hq.db import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)


def test_sales_hq_held_before_the_upgrade_count_for_the_12_month_spend(pg_url: str) -> None:
    db = HqDatabase(pg_url)
    try:
        _migrate(db, "0001", down=True)
        with db.transaction() as session:
            store = HqStore(code="S101", name="S101")
            session.add(store)
            session.flush()
            till = HqTerminal(store_id=store.id, code="T01")
            session.add(till)
            session.flush()
            for n, (member, payable) in enumerate(
                [("m-1", 12_000), ("m-1", -2_000), (None, 5_000)] + [("m-2", 100)] * 2500
            ):
                session.add(
                    HqRecord(
                        id=f"r-{n:05d}",
                        terminal_id=till.id,
                        store_id=store.id,
                        kind="sale",
                        payload={
                            "member_id": member,
                            "business_day": "2026-11-20",
                            "payable": payable,
                        },
                        created_at=DEMO_NOW,
                    )
                )
        _migrate(db, "head")
        with db.transaction() as session:
            spend = loyalty.spend_12_months(session, TODAY)
        assert spend == {"m-1": 10_000, "m-2": 250_000}
    finally:
        db.close()


def test_two_tills_pushing_a_referred_member_s_first_sales_at_once_grant_once(
    hq_db: HqDatabase,
) -> None:
    referrer_id, referrer_no, start = _normal_member(hq_db, below=1_000)
    with hq_db.transaction() as session:
        new = session.get(HqEntity, ("member", _normal_member(hq_db, below=1_000, nth=1)[0]))
        assert new is not None
        referred = {**new.data, "id": "referred-1", "member_no": "M09000001"}
        feed.publish(session, "member", "referred-1", {**referred, "referrer_no": referrer_no})
    settings_ = loyalty_settings.Settings(dict(loyalty_settings.DEFAULTS))
    outcome: list[list[str]] = []

    def second() -> None:  # the other till's push, while the first has not committed
        with hq_db.transaction() as session:
            outcome.append(loyalty.referrals(session, ["referred-1"], TODAY, settings_))

    with hq_db.transaction() as session:
        assert loyalty.referrals(session, ["referred-1"], TODAY, settings_) == [referrer_id]
        other = threading.Thread(target=second)
        other.start()
        other.join(0.5)  # it waits on the first's once-guard
        assert other.is_alive()
    other.join(10)
    assert outcome == [[]]
    assert _hq_balance(hq_db, referrer_id) == start + 200


def test_a_birthday_hq_cannot_read_as_a_month_skips_that_member_not_the_daily_job(
    hq_db: HqDatabase, capsys: pytest.CaptureFixture[str], data_key: None
) -> None:
    """A till that pushed a birthday in another spelling (or garbage) costs that member
    their coupon only: the other members still get theirs, and the job says how many."""
    hq_cli(hq_db, capsys, "loyalty", "set", "birthday.definition", "CD-95")
    hq_cli(hq_db, capsys, "loyalty", "set", "birthday.enabled", "on")
    key = personal.data_key()
    assert key is not None
    with hq_db.transaction() as session:
        good, bad = session.scalars(
            select(HqEntity.key)
            .where(HqEntity.entity == "member", HqEntity.data["status"].as_string() == "active")
            .order_by(HqEntity.key)
            .limit(2)
        ).all()
        personal.upsert(
            session,
            [
                personal.sealed_row(key, good, {"birthday": "12-05"}),
                personal.sealed_row(key, bad, {"birthday": "Dec 5th"}),
            ],
        )
        good_no = session.get(HqEntity, ("member", good)).data["member_no"]  # type: ignore[union-attr]

    out = hq_cli(hq_db, capsys, "loyalty", "run", "--today", "2026-12-01")

    assert "1 birthday coupon(s)" in out
    with hq_db.transaction() as session:
        run = loyalty.marketing.birthday_coupons(
            session, date(2026, 12, 2), loyalty_settings.load(session)
        )
        assert session.get(HqEntity, ("coupon", f"BD2026-{good_no}")) is not None
    assert (run.issued, run.unreadable) == ([], 1)


def test_loyalty_show_with_a_malformed_data_key_still_lists_the_settings_and_names_the_key(
    hq_db: HqDatabase, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POSTERM_HQ_DATA_KEY", "not-a-key")
    out = hq_cli(hq_db, capsys, "loyalty", "show")
    assert "referral.points" in out
    assert "HQ data key (POSTERM_HQ_DATA_KEY): MALFORMED: no birthdays kept" in out
    assert "not-a-key" not in out


@pytest.mark.parametrize(
    "key",
    ["points.expire_grace_days", "welcome.valid_days", "referral.points"],
)
def test_a_whole_number_setting_too_big_to_use_is_refused_and_the_daily_run_still_works(
    hq_db: HqDatabase, capsys: pytest.CaptureFixture[str], key: str
) -> None:
    refused = hq_cli_refused(hq_db, capsys, "loyalty", "set", key, "99999999999")
    assert f"{key} is at most" in refused
    assert f"{key} " in hq_cli(hq_db, capsys, "loyalty", "show")
    assert "lot(s) expired" in hq_cli(hq_db, capsys, "loyalty", "run", "--today", "2026-06-01")


def test_points_too_many_for_one_ledger_entry_are_refused_in_one_line(
    hq_db: HqDatabase, capsys: pytest.CaptureFixture[str]
) -> None:
    member_id, member_no, start = _normal_member(hq_db, below=1_500)
    refused = hq_cli_refused(
        hq_db, capsys, "points", "grant", member_no, "3000000000", "--reason", "录入错误"
    )
    assert "at most" in refused and "Traceback" not in refused
    assert _hq_balance(hq_db, member_id) == start

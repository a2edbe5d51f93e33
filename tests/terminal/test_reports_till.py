"""Reports of sales rung up at a real till (Checkout), set up from a config file's values.

The generated history of test_reports writes its rows in bulk; here the sale
goes through the till, so the business day comes from ``[store]
business_day_start`` and the loyalty figures the generator never makes
(rewards bought with points, stored value spent from the bonus) are checked
against the raw rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from sqlalchemy import select

from terminal import reports
from terminal.checkout_settings import CheckoutSettings
from terminal.config import TerminalConfig
from terminal.membercodes import demo_app_key, demo_key_id, encode_dynamic, install_demo_keys
from terminal.reports import Context, Period, Scope
from terminal.store.database import Database
from terminal.store.models import Member
from terminal.tenders import Tender
from tests.conftest import DEMO_NOW, SHANGHAI
from tests.terminal.tillkit import Shop, make_till, member_no, ring

SEED = bytes(range(32))
APP_MEMBER = "M00000001"  # holds 500.00 + 50.00 bonus and the demo payment PIN


def utc_text(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def measures(db: Database, till: Shop, name: str, period: Period, scope: Scope) -> dict:
    with db.sessions() as s:
        (table,) = reports.run(s, till.manager, name, period, Context(scope))
    return {r["key"]: r["value"] for r in table.rows}


def test_a_sale_after_midnight_counts_for_the_day_before_by_the_config(demo_db: Database) -> None:
    config = TerminalConfig.model_validate({"store": {"business_day_start": "04:00"}})
    scope = Scope.of_config(config)
    day = DEMO_NOW.date()
    base = make_till(demo_db)
    late = datetime.combine(day + timedelta(days=1), datetime.min.time(), SHANGHAI)
    late += timedelta(hours=1, minutes=30)  # 01:30 on the next calendar day
    till = Shop(
        demo_db,
        CheckoutSettings.from_config(config, base.settings.terminal_id),
        base.cashier,
        base.supervisor,
        base.manager,
        late,
    )
    sale = ring(till, [("SKU000002", 3)], member=member_no(demo_db, "gold"))
    assert sale.points_earned > 0
    conn = sqlite3.connect(demo_db.path)
    (payable,) = conn.execute(
        "SELECT payable FROM sale WHERE receipt_no = ?", (sale.receipt_no,)
    ).fetchone()
    conn.close()

    def sales_of(d: date) -> dict:
        with demo_db.sessions() as s:
            return reports.run(s, till.manager, "sales", Period.day(d), Context(scope))[0].rows[0]

    assert (sales_of(day)["sales"], sales_of(day)["amount"]) == (1, payable)
    assert sales_of(day + timedelta(days=1))["sales"] == 0
    with demo_db.sessions() as s:
        (hourly,) = reports.run(s, till.manager, "hourly", Period.day(day), Context(scope))
    assert hourly.by("hour")["01:00"]["sales"] == 1
    # the points earned at 01:30 (a ledger row with a time only) are placed in the same day
    issued = measures(demo_db, till, "points", Period.day(day), scope)["points_issued"]
    after = measures(demo_db, till, "points", Period.day(day + timedelta(days=1)), scope)
    assert issued == sale.points_earned and after["points_issued"] == 0


@pytest.fixture
def till(demo_db: Database) -> Iterator[Shop]:
    with demo_db.transaction() as s:
        rows = s.execute(
            select(Member.id, Member.member_no).where(Member.member_no == APP_MEMBER)
        ).all()
        install_demo_keys(s, SEED, rows, created_at=datetime.now(UTC))
    yield make_till(demo_db)


def test_rewards_stored_value_bonus_and_points_liability_at_the_stores_rate(till: Shop) -> None:
    db = till.db
    co = till.checkout()
    co.attach_member(member_no(db, "gold"))
    co.add_reward("RW-NOODLE")  # a product for 500 points
    co.pay([])
    co = till.checkout()
    co.add("SKU000300", 2)
    member = APP_MEMBER
    co.identify(
        encode_dynamic(member, demo_key_id(SEED, member), demo_app_key(SEED, member), till.now)
    )
    co.pay([Tender("stored_value", co.quote().payable)])  # principal and bonus, 10:1

    day = DEMO_NOW.date()
    config = TerminalConfig.model_validate({"pricing": {"points_per_yuan": 30}})
    scope = Scope.of_config(config)
    got = measures(db, till, "points", Period.day(day), scope)

    start = datetime.combine(day, datetime.min.time(), SHANGHAI)
    bounds = (utc_text(start), utc_text(start + timedelta(days=1)))
    conn = sqlite3.connect(db.path)
    (rewards,) = conn.execute(
        "SELECT count(*) FROM sale_line l JOIN sale s ON s.id = l.sale_id"
        " WHERE s.business_day = ? AND s.kind = 'sale' AND l.reward_id IS NOT NULL",
        (day.isoformat(),),
    ).fetchone()
    (reward_points,) = conn.execute(
        "SELECT SUM(reward_points) FROM sale WHERE business_day = ? AND kind = 'sale'",
        (day.isoformat(),),
    ).fetchone()
    (bonus_spent,) = conn.execute(
        "SELECT -SUM(amount) FROM stored_value_entry WHERE kind = 'spend' AND bucket = 'bonus'"
        " AND created_at >= ? AND created_at < ?",
        bounds,
    ).fetchone()
    (outstanding,) = conn.execute(
        "SELECT SUM(points) FROM points_entry WHERE created_at < ?", (bounds[1],)
    ).fetchone()
    conn.close()
    assert (got["rewards_redeemed"], got["rewards_points"]) == (rewards, reward_points) == (1, 500)
    assert got["sv_spent_bonus"] == bonus_spent > 0
    assert got["points_outstanding"] == outstanding
    # 30 points = 1 yuan: outstanding × 100 / 30 fen, half up
    liability = (Decimal(outstanding) * 100 / 30).quantize(Decimal(1), ROUND_HALF_UP)
    assert got["points_liability"] == int(liability) != outstanding

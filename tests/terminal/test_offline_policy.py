"""HQ's offline redemption policy and member-number blocks, as the till enforces them.

What the feed and enrolment write (``hq_policy`` rows, ``member_range``
blocks, the link in ``sync_state``) is written here directly; the way there
over a real HQ is tests/sync/test_hq_policy.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from terminal import ledger, member_ranges, offline_policy
from terminal.demo import DEMO_PAY_PIN
from terminal.errors import StateError
from terminal.members import find_member
from terminal.pii import MemberVault
from terminal.registration import register_member
from terminal.store.database import Database
from terminal.store.models import HqPolicy, OutboxRow, SyncState
from terminal.tenders import Tender
from tests.conftest import DEMO_NOW
from tests.terminal.tillkit import Shop, make_till, ring

SV_MEMBER = "M00000001"  # 550.00 of stored value from HQ and the demo payment PIN
SKU = "SKU000002"


@pytest.fixture
def till(demo_db: Database) -> Iterator[Shop]:
    yield make_till(demo_db)


def enrol(db: Database, *, last_sync: datetime | None = None) -> None:
    """What enrolment and a successful sync leave in the store."""
    with db.transaction() as s:
        s.add(SyncState(key=offline_policy.HQ_URL_KEY, value="https://hq.example"))
        s.add(SyncState(key=offline_policy.CREDENTIAL_KEY, value="sealed"))
        if last_sync is not None:
            s.add(SyncState(key=offline_policy.LAST_SUCCESS_KEY, value=last_sync.isoformat()))


def set_last_sync(db: Database, at: datetime) -> None:
    with db.transaction() as s:
        row = s.get(SyncState, offline_policy.LAST_SUCCESS_KEY)
        if row is None:
            s.add(SyncState(key=offline_policy.LAST_SUCCESS_KEY, value=at.isoformat()))
        else:
            row.value = at.isoformat()


def policy(db: Database, **values: int) -> None:
    """HQ's policy as the feed writes it."""
    with db.transaction() as s:
        for name, value in values.items():
            s.merge(HqPolicy(name=name, value=value))


def points_of(db: Database, member_no: str) -> tuple[str, int]:
    with db.sessions() as s:
        member = find_member(s, member_no)
        return member.id, ledger.balance(s, member.id, DEMO_NOW.date())


def rich_member(db: Database, at_least: int, skip: int = 0) -> str:
    """A member whose opening balance from HQ is at least ``at_least`` points."""
    from terminal.store.models import Member

    with db.sessions() as s:
        found = [
            m.member_no
            for m in s.scalars(select(Member).order_by(Member.member_no))
            if ledger.balance(s, m.id, DEMO_NOW.date()) >= at_least
        ]
    return found[skip]


def sale_with_points(till: Shop, member: str, points: int, qty: int = 20) -> int:
    sale = ring(till, [(SKU, qty)], member=member, points=points)
    assert sale.priced.points_redeemed == points
    return sale.points_earned


def ack_outbox(db: Database) -> None:
    """HQ acknowledged everything pushed so far."""
    with db.transaction() as s:
        s.execute(update(OutboxRow).values(sent_at=datetime.now(UTC)))


# --- the allowance: confirmed balance less unsynced redemptions --------------------------------


def test_offline_points_allowance_is_confirmed_balance_less_unsynced_redemptions(till):
    enrol(till.db, last_sync=DEMO_NOW.astimezone(UTC))
    member = rich_member(till.db, 3000)
    member_id, opening = points_of(till.db, member)
    earned = sale_with_points(till, member, 500)
    assert earned > 0
    with till.db.sessions() as s:
        # the redemption counts at once; the points earned here wait until HQ has them
        assert ledger.balance(s, member_id, DEMO_NOW.date()) == opening - 500 + earned
        assert offline_policy.points_allowance(s, member_id, DEMO_NOW.date()) == opening - 500
    co = till.checkout()
    co.add(SKU, 200)
    co.attach_member(member)
    with pytest.raises(StateError) as err:
        co.set_redeem_points(opening - 500 + 1)
    assert err.value.code == "points_offline_allowance"
    assert str(opening - 500) in err.value.text("zh_CN")
    assert str(opening - 500) in err.value.text("en")
    co.set_redeem_points(opening - 500)  # exactly the allowance is fine
    assert co.redeemable_points()[0] <= opening - 500

    ack_outbox(till.db)  # HQ took the sale: its earn and redemption are confirmed now
    with till.db.sessions() as s:
        assert offline_policy.points_allowance(s, member_id, DEMO_NOW.date()) == (
            opening - 500 + earned
        )


def test_a_standalone_till_keeps_its_configured_per_sale_limit(till):
    member = rich_member(till.db, 3000)
    _, opening = points_of(till.db, member)
    sale_with_points(till, member, 500)  # never synced: a standalone till has no HQ
    co = till.checkout()
    co.add(SKU, 200)
    co.attach_member(member)
    co.set_redeem_points(opening - 500)  # no allowance: the balance is the till's own
    with pytest.raises(StateError) as err:
        co.set_redeem_points(till.settings.offline_redeem_limit + 1)
    assert err.value.code == "offline_limit"


def test_reachable_hq_lifts_the_allowance_but_not_the_daily_cap(till):
    enrol(till.db)  # enrolled, never synced
    policy(till.db, offline_max_hours=24, daily_cap_points=800)
    member = rich_member(till.db, 3000)
    sale_with_points(till, member, 500)
    co = till.checkout()
    co.hq_reachable = lambda: True
    co.add(SKU, 200)
    co.attach_member(member)
    with pytest.raises(StateError) as err:
        co.set_redeem_points(301)  # never synced while enrolled: the cap holds
    assert err.value.code == "points_daily_cap"
    co.set_redeem_points(300)


# --- the daily cap while long offline ---------------------------------------------------------


def test_daily_points_cap_applies_only_while_the_till_has_not_synced_for_long(till):
    now = DEMO_NOW.astimezone(UTC)
    enrol(till.db, last_sync=now - timedelta(hours=25))
    policy(till.db, offline_max_hours=24, daily_cap_points=1000)
    member = rich_member(till.db, 5000)
    other = rich_member(till.db, 5000, skip=1)
    sale_with_points(till, member, 600)

    co = till.checkout()
    co.add(SKU, 200)
    co.attach_member(member)
    with pytest.raises(StateError) as err:
        co.set_redeem_points(401)
    assert err.value.code == "points_daily_cap"
    zh, en = err.value.text("zh_CN"), err.value.text("en")
    assert "1000" in zh and "400" in zh and "24" in zh
    assert "at most 1000 points per member per day, 400 left today" in en
    assert co.redeemable_points()[0] == 400
    co.set_redeem_points(400)
    co.pay([Tender("cash", co.quote().payable + 1000)])

    with pytest.raises(StateError) as err:  # the day's cap is used up for this member
        sale_with_points(till, member, 10)
    assert err.value.code == "points_daily_cap" and "0 left today" in err.value.text("en")
    sale_with_points(till, other, 1000)  # another member has a cap of their own

    set_last_sync(till.db, now - timedelta(hours=23))  # synced within the time HQ set
    sale_with_points(till, member, 1500)


def test_the_daily_cap_counts_per_business_day_and_is_checked_again_at_payment(till):
    now = DEMO_NOW.astimezone(UTC)
    enrol(till.db, last_sync=now - timedelta(days=3))
    policy(till.db, offline_max_hours=48, daily_cap_points=700)
    member = rich_member(till.db, 5000)
    sale_with_points(till, member, 700)
    co = till.checkout()
    co.add(SKU, 20)
    co.attach_member(member)
    with pytest.raises(StateError):
        co.set_redeem_points(100)
    till.now = DEMO_NOW + timedelta(days=1)  # the next business day: a fresh cap
    co.set_redeem_points(500)
    other = till.checkout()  # meanwhile another basket for the member spends the day's cap
    other.add(SKU, 20)
    other.attach_member(member)
    other.set_redeem_points(300)
    other.pay([Tender("cash", other.quote().payable + 1000)])
    with pytest.raises(StateError) as err:
        co.pay([Tender("cash", co.quote().payable + 1000)])
    assert err.value.code == "points_daily_cap" and "400 left today" in err.value.text("en")


def test_daily_stored_value_cap_names_the_cap(till):
    now = DEMO_NOW.astimezone(UTC)
    enrol(till.db, last_sync=now - timedelta(hours=13))
    policy(till.db, offline_max_hours=12, daily_cap_stored_value=10_000)
    co = till.checkout()
    co.add(SKU, 3)
    co.attach_member(SV_MEMBER)
    co.verify_payment_pin(DEMO_PAY_PIN)
    due = co.quote().payable
    assert due < 10_000
    with pytest.raises(StateError) as err:
        co.check_stored_value(10_001)
    assert err.value.code == "sv_daily_cap"
    assert "100.00" in err.value.text("zh_CN") and "100.00" in err.value.text("en")
    co.check_stored_value(due)
    co.pay([Tender("stored_value", due)])

    co.add(SKU, 30)
    co.attach_member(SV_MEMBER)
    co.verify_payment_pin(DEMO_PAY_PIN)
    left = 10_000 - due
    payable = co.quote().payable
    assert payable > left + 1
    assert co.stored_value() is not None and co.stored_value()[1] == left  # type: ignore[index]
    with pytest.raises(StateError) as err:
        co.check_stored_value(left + 1)
    assert err.value.code == "sv_daily_cap"
    with pytest.raises(StateError) as err:  # paying more than is left is refused too
        co.pay([Tender("stored_value", left + 1), Tender("cash", payable - left - 1)])
    assert err.value.code == "sv_daily_cap"
    set_last_sync(till.db, now - timedelta(hours=1))
    co.check_stored_value(left + 1)


def test_no_policy_from_hq_means_no_cap(till):
    enrol(till.db, last_sync=DEMO_NOW.astimezone(UTC) - timedelta(days=30))
    member = rich_member(till.db, 5000)
    sale_with_points(till, member, 3000)  # only the allowance (HQ's opening balance) holds


# --- member numbers from HQ's blocks -------------------------------------------------------------


def register(db: Database, vault: MemberVault, phone: str) -> str:
    with db.transaction() as s:
        result = register_member(
            s,
            vault,
            phone=phone,
            name="会员",
            consent_data=True,
            actor=None,
            now=DEMO_NOW,
        )
    return result.member.member_no


def give_block(db: Database, first: int, last: int) -> None:
    with db.transaction() as s:
        member_ranges.save(s, [(first, last)])


def test_registration_takes_numbers_from_hqs_blocks_and_refuses_when_used_up(demo_db):
    vault = MemberVault.ephemeral()
    give_block(demo_db, 50_001, 50_003)
    assert [register(demo_db, vault, f"1391234567{n}") for n in range(3)] == [
        "M00050001",
        "M00050002",
        "M00050003",
    ]
    with pytest.raises(StateError) as err:
        register(demo_db, vault, "13912345679")
    assert err.value.code == "member_range_used_up"
    assert "M00050003" in err.value.text("zh_CN") and "sync with HQ" in err.value.text("en")
    give_block(demo_db, 90_001, 100_000)  # the next block HQ gave
    assert register(demo_db, vault, "13912345679") == "M00090001"


def test_a_till_without_blocks_numbers_after_its_highest_member(demo_db):
    vault = MemberVault.ephemeral()
    assert register(demo_db, vault, "13912345670") == "M00000201"  # the demo holds ..M00000200


def test_the_till_asks_for_more_when_less_than_a_fifth_of_a_block_is_left(demo_db):
    vault = MemberVault.ephemeral()
    with demo_db.sessions() as s:
        assert member_ranges.needs_more(s)  # none at all
    give_block(demo_db, 1_001, 1_010)
    for n in range(8):
        with demo_db.sessions() as s:
            assert not member_ranges.needs_more(s), n
        register(demo_db, vault, f"1391234560{n}")
    with demo_db.sessions() as s:
        assert member_ranges.numbers_left(s) == 2
        assert not member_ranges.needs_more(s)  # 2 of 10 left: exactly 20%
    register(demo_db, vault, "13912345608")
    with demo_db.sessions() as s:
        assert member_ranges.needs_more(s) and member_ranges.highest_last(s) == 1_010


def test_asking_more_than_the_whole_balance_takes_the_balance_as_before(till):
    enrol(till.db, last_sync=DEMO_NOW.astimezone(UTC))
    member = rich_member(till.db, 1000)
    _, balance = points_of(till.db, member)
    co = till.checkout()
    co.add(SKU, 500)
    co.attach_member(member)
    priced = co.set_redeem_points(balance + 5000)  # the allowance is the whole balance here
    assert priced.points_redeemed == balance


def test_rewards_paid_with_points_count_against_the_daily_cap(till):
    enrol(till.db, last_sync=DEMO_NOW.astimezone(UTC) - timedelta(hours=30))
    policy(till.db, offline_max_hours=24, daily_cap_points=1000)
    member = rich_member(till.db, 5000)
    co = till.checkout()
    co.attach_member(member)
    co.add_reward("RW-COUPON10")  # 800 points
    with pytest.raises(StateError) as err:
        co.add_reward("RW-NOODLE")  # 500 more: over the day's 1000
    assert err.value.code == "points_daily_cap" and "1000 left today" in err.value.text("en")
    assert co.quote().reward_points == 800  # the refused reward is not on the basket

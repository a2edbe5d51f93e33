"""HQ's member-number blocks and offline redemption policy, end to end.

Real tills, a real uvicorn HQ on loopback, the real PostgreSQL: blocks are
handed out at enrolment and never overlap (also when many tills enrol and ask
at once), members registered offline on two tills get numbers HQ and every
till accept, and a policy set with ``posterm-hq policy`` reaches a till by
sync, which then refuses a redemption over the cap while long offline.
"""

from __future__ import annotations

import itertools
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sync.agent import SyncAgent
from sync.client import HqClient
from sync.hq import admin
from sync.hq.cli import main as hq_main
from sync.hq.db import HqDatabase
from sync.hq.models import HqMemberRange, HqRecord
from sync.protocol import EnrollRequest
from terminal import ledger, offline_policy
from terminal.errors import StateError
from terminal.registration import register_member
from terminal.status import TillStatus
from terminal.store.models import HqPolicy, Member, MemberRange
from tests.sync.hqkit import HqServer, Till, enrolled_till
from tests.terminal.tillkit import ring

SKU = "SKU000002"


def _blocks(till: Till) -> list[tuple[int, int]]:
    with till.db.sessions() as session:
        return [(r.first, r.last) for r in session.scalars(select(MemberRange))]


def _register(till: Till, phone: str) -> str:
    with till.db.transaction() as session:
        return register_member(
            session,
            till.vault,
            phone=phone,
            name="会员",
            consent_data=True,
            actor=till.shop.cashier,
            now=till.shop.now,
            terminal_id=till.shop.settings.terminal_id,
        ).member.member_no


def _disjoint(blocks: list[tuple[int, int]]) -> bool:
    ordered = sorted(blocks)
    return all(a_last < b_first for (_, a_last), (b_first, _) in itertools.pairwise(ordered))


def test_members_registered_offline_on_two_tills_get_numbers_unique_in_the_chain(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    b = enrolled_till(hq_db, hq.url, tmp_path / "b.sqlite3", "S102", "T01")
    (block_a,), (block_b,) = _blocks(a), _blocks(b)
    assert _disjoint([block_a, block_b])
    assert block_a[1] - block_a[0] + 1 == 10_000  # the default block
    assert min(block_a[0], block_b[0]) > 200  # above the members HQ holds (M00000001..200)

    # both tills offline (no sync since enrolment): three registrations each
    in_a = [_register(a, f"1391234560{n}") for n in range(3)]
    in_b = [_register(b, f"1391234561{n}") for n in range(3)]
    assert not set(in_a) & set(in_b)
    assert all(block_a[0] <= int(no[1:]) <= block_a[1] for no in in_a)
    assert all(block_b[0] <= int(no[1:]) <= block_b[1] for no in in_b)

    for till in (a, b, a):  # HQ takes every member; each till takes the other's
        pushed, _ = till.sync()
        assert pushed.parked == 0
    with hq_db.transaction() as session:
        assert (
            session.scalar(
                select(func.count()).select_from(HqRecord).where(HqRecord.kind == "member")
            )
            == 6
        )
    for till in (a, b):
        with till.db.sessions() as session:
            numbers = set(session.scalars(select(Member.member_no)))
        assert set(in_a) | set(in_b) <= numbers


def test_blocks_never_overlap_when_many_tills_enrol_and_ask_at_once(
    hq: HqServer, hq_db: HqDatabase
) -> None:
    n = 8
    codes = {}
    with hq_db.transaction() as session:
        admin.add_store(session, "S200", "S200")
        for i in range(n):
            admin.add_terminal(session, "S200", f"T{i:02d}")
            codes[i] = admin.enroll_code(session, "S200", f"T{i:02d}")
    gate = threading.Barrier(n, timeout=30)
    credentials: dict[int, str] = {}
    given: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def till(i: int) -> None:
        try:
            client = HqClient(hq.url)
            gate.wait()
            answer = client.enroll(
                EnrollRequest(
                    code=codes[i], store_code="S200", terminal_code=f"T{i:02d}", terminal_id=f"t{i}"
                )
            )
            credentials[i] = answer.credential
            (first,) = answer.member_ranges
            client = HqClient(hq.url, answer.credential)
            gate.wait()
            (more,) = client.member_range(first.last).ranges  # all ask for another at once
            again = client.member_range(first.last).ranges  # the answer lost: the same block
            assert [(r.first, r.last) for r in again] == [(more.first, more.last)]
            given.extend([(first.first, first.last), (more.first, more.last)])
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=till, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    assert len(given) == 2 * n and _disjoint(given)
    with hq_db.transaction() as session:
        held = [(r.first, r.last) for r in session.scalars(select(HqMemberRange))]
    assert sorted(held) == sorted(given)  # nothing handed out that a till did not get


def _agent(till: Till) -> SyncAgent:
    return SyncAgent(till.db, till.vault, TillStatus())


def _last_sync(till: Till) -> datetime:
    with till.db.sessions() as session:
        last = offline_policy.last_sync(session)
    assert last is not None
    return last


def _rich_member(till: Till, at_least: int) -> str:
    with till.db.sessions() as session:
        for member in session.scalars(select(Member).order_by(Member.member_no)):
            if ledger.balance(session, member.id, till.shop.now.date()) >= at_least:
                return member.member_no
    raise AssertionError("no member with enough points")


def test_policy_set_at_hq_reaches_the_till_which_caps_redemption_while_long_offline(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    till = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    assert hq_main(["--db", hq_db.url, "policy", "set", "offline_max_hours", "24"]) == 0
    assert hq_main(["--db", hq_db.url, "policy", "set", "daily_cap_points", "1000"]) == 0
    assert hq_main(["--db", hq_db.url, "policy", "show"]) == 0
    shown = capsys.readouterr().out
    assert "offline_max_hours" in shown and "1000" in shown
    assert _agent(till).run_once().ok
    with till.db.sessions() as session:
        assert offline_policy.read(session) == offline_policy.Policy(24, 1000, None)
    member = _rich_member(till, 5000)
    synced = _last_sync(till)

    till.shop.now = synced + timedelta(hours=25)  # no sync for longer than HQ allows
    co = till.shop.checkout()
    co.add(SKU, 200)
    co.attach_member(member)
    with pytest.raises(StateError) as err:
        co.set_redeem_points(1001)
    assert err.value.code == "points_daily_cap"
    assert "at most 1000 points per member per day" in err.value.text("en")
    assert "1000" in err.value.text("zh_CN")
    ring(till.shop, [(SKU, 20)], member=member, points=1000)  # up to the cap is fine

    till.shop.now = synced + timedelta(hours=1)  # recently synced: no daily cap
    sale = ring(till.shop, [(SKU, 200)], member=member, points=1500)
    assert sale.priced.points_redeemed == 1500

    # HQ lifts the cap: the next sync removes it at the till, however long it stays offline
    assert hq_main(["--db", hq_db.url, "policy", "unset", "daily_cap_points"]) == 0
    assert _agent(till).run_once().ok
    with till.db.sessions() as session:
        assert session.get(HqPolicy, "daily_cap_points") is None
    till.shop.now = _last_sync(till) + timedelta(days=3)
    ring(till.shop, [(SKU, 20)], member=member, points=1001)

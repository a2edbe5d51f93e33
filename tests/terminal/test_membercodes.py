"""Member codes: format, every refusal reason, rotation, skew edges, replay, fuzzing."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import segno
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from terminal.classifier import DYNAMIC_MARKER
from terminal.membercodes import (
    DYNAMIC_LENGTH,
    PREFIX,
    STEP,
    MemberCodeRefused,
    accept,
    demo_app_key,
    demo_key_id,
    encode_dynamic,
    install_demo_keys,
    key_id_for,
    parse,
    step_of,
    step_start,
    verify,
)
from terminal.membercodes.base45 import ALPHABET, Base45Error, b45decode, b45encode
from terminal.membercodes.codec import BODY_BYTES
from terminal.membercodes.demo_keys import DEMO_SALT
from terminal.store.database import Database
from terminal.store.models import AuditEvent, Member, MemberKey, SeenCode
from tests.conftest import DEMO_NOW

SEED = bytes(range(32))
NOW = DEMO_NOW.astimezone(UTC)
KEYED = [f"M{k:08d}" for k in range(1, 6)]


@pytest.fixture
def db(demo_db: Database) -> Iterator[Database]:
    """The demo store with app keys installed for members 1-5."""
    with demo_db.transaction() as s:
        rows = s.execute(
            select(Member.id, Member.member_no).where(Member.member_no.in_(KEYED))
        ).all()
        assert install_demo_keys(s, SEED, rows, created_at=NOW) == len(KEYED)
    yield demo_db


def code(member_no: str = "M00000001", at: datetime = NOW) -> str:
    return encode_dynamic(
        member_no, demo_key_id(SEED, member_no), demo_app_key(SEED, member_no), at
    )


def refused(db: Database, text: str, now: datetime = NOW) -> str:
    with pytest.raises(MemberCodeRefused) as info, db.transaction() as s:
        verify(s, text, now)
    assert "\n" not in str(info.value) and "/" in str(info.value)
    assert "\u4e00" <= str(info.value)[0] <= "\u9fff"  # Chinese first
    return info.value.code


def member_id(db: Database, member_no: str) -> str:
    return db.scalar("SELECT id FROM member WHERE member_no = :n", n=member_no)


# --- format -------------------------------------------------------------------------------


def test_dynamic_code_shape_and_qr_version() -> None:
    text = code()
    assert text.startswith(PREFIX) and len(text) == DYNAMIC_LENGTH == 121
    assert DYNAMIC_MARKER.fullmatch(PREFIX)
    assert set(text) <= set(ALPHABET)
    qr = segno.make(text, error="m", boost_error=False, micro=False)
    assert qr.mode == "alphanumeric"
    assert qr.version == 5  # documented in docs/member-codes.md; must stay <= 7
    assert qr.version <= 7


def test_parse_round_trip() -> None:
    parsed = parse(code("M00000042"))
    assert parsed.kind == "dynamic" and parsed.member_no == "M00000042"
    assert parsed.key_id == demo_key_id(SEED, "M00000042") and parsed.step == step_of(NOW)
    assert parse("M00000042").kind == "static"


def test_demo_key_is_hkdf_sha256_of_member_no() -> None:
    expected = HKDF(hashes.SHA256(), 32, DEMO_SALT, b"M00000007").derive(SEED)
    assert demo_app_key(SEED, "M00000007").private_bytes_raw() == expected
    assert demo_app_key(b"other seed", "M00000007").private_bytes_raw() != expected


def test_install_demo_keys_limit(demo_db: Database) -> None:
    with demo_db.transaction() as s:
        rows = s.execute(select(Member.id, Member.member_no).order_by(Member.member_no)).all()
        assert install_demo_keys(s, SEED, iter(rows), limit=7) == 7
    assert demo_db.scalar("SELECT count(*) FROM member_key") == 7


@given(st.binary(max_size=200))
def test_base45_round_trip(data: bytes) -> None:
    assert b45decode(b45encode(data)) == data


@pytest.mark.parametrize("bad", ["0", "GGW", ":::", "ZZ", "a00", "00\n"])
def test_base45_refuses_non_canonical(bad: str) -> None:
    with pytest.raises(Base45Error):
        b45decode(bad)


def _respell(text: str, index: int, chunk: str) -> str:
    body = text[len(PREFIX) :]
    return PREFIX + body[: 3 * index] + chunk + body[3 * index + 3 :]


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t + "00",  # trailing characters
        lambda t: t + "000",  # trailing byte pair
        lambda t: t[:-3],  # truncated
        lambda t: t.lower(),  # outside the alphabet
        lambda t: "mc1:" + t[4:],
        lambda t: "MC2:" + t[4:],  # a version this till does not know
        lambda t: _respell(t, 5, "GGW"),  # chunk value 65536: aliases 0x0000
        lambda t: _respell(t, 20, ":::"),  # chunk value 91124
        lambda t: t[:4] + "\u0660" + t[5:],  # a non-ASCII digit
    ],
)
def test_non_canonical_spellings_refused(mangle: object) -> None:
    with pytest.raises(MemberCodeRefused) as info:
        parse(mangle(code()))  # type: ignore[operator]
    assert info.value.code == "malformed"


def test_member_number_out_of_range_refused() -> None:
    key = Ed25519PrivateKey.generate()
    body = bytes(6) + (100_000_000).to_bytes(4, "big") + step_of(NOW).to_bytes(4, "big")
    text = PREFIX + b45encode(body + key.sign(PREFIX.encode() + body))
    with pytest.raises(MemberCodeRefused) as info:
        parse(text)
    assert info.value.code == "malformed"


@given(st.one_of(st.text(max_size=600), st.binary(max_size=300), st.integers(), st.none()))
def test_parse_fuzz_only_refuses(value: object) -> None:
    try:
        parse(value)
    except MemberCodeRefused as exc:
        assert exc.code == "malformed"


@given(st.text(alphabet=ALPHABET, min_size=117, max_size=117))
def test_parse_fuzz_well_shaped(body: str) -> None:
    try:
        parsed = parse(PREFIX + body)
    except MemberCodeRefused as exc:
        assert exc.code == "malformed"
    else:
        assert parsed.kind == "dynamic" and len(parsed.signature) == 64
        assert len(parsed.signed) == len(PREFIX) + BODY_BYTES - 64


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.one_of(st.text(max_size=200), st.text(alphabet=ALPHABET, min_size=117, max_size=117)))
def test_verify_fuzz_only_refuses(db: Database, tail: str) -> None:
    for text in (tail, PREFIX + tail):
        with db.transaction() as s, contextlib.suppress(MemberCodeRefused):
            verify(s, text, NOW)


# --- acceptance ---------------------------------------------------------------------------


def test_static_and_dynamic_accepted(db: Database) -> None:
    with db.transaction() as s:
        static = verify(s, "M00000003", NOW)
        dynamic = verify(s, code("M00000003"), NOW, terminal_id="T")
    assert static.kind == "static" and static.key_id is None
    assert dynamic.kind == "dynamic" and dynamic.key_id == demo_key_id(SEED, "M00000003")
    assert static.member_id == dynamic.member_id == member_id(db, "M00000003")
    assert static.member_no == dynamic.member_no == "M00000003"


def test_scanner_noise_is_stripped(db: Database) -> None:
    with db.transaction() as s:
        assert verify(s, "\ufeff" + code() + "\r\n", NOW).kind == "dynamic"
        assert verify(s, " M00000001\t", NOW).kind == "static"


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "hello", "M0000001", "MC1:", "X" * 600, "M00000001x"])
def test_malformed(db: Database, text: str) -> None:
    assert refused(db, text) == "malformed"


def test_unknown_key(db: Database) -> None:
    stranger = Ed25519PrivateKey.generate()
    kid = key_id_for(stranger.public_key().public_bytes_raw())
    assert refused(db, encode_dynamic("M00000001", kid, stranger, NOW)) == "unknown_key"
    # a demo member without an installed key
    assert refused(db, code("M00000100")) == "unknown_key"


def test_forged_signature(db: Database) -> None:
    kid = demo_key_id(SEED, "M00000001")
    thief = Ed25519PrivateKey.generate()  # e.g. a stolen till: it has no app key
    assert refused(db, encode_dynamic("M00000001", kid, thief, NOW)) == "forged"
    # member 2's key vouching for member 1
    other = encode_dynamic(
        "M00000001", demo_key_id(SEED, "M00000002"), demo_app_key(SEED, "M00000002"), NOW
    )
    assert refused(db, other) == "forged"


def test_altered_field_breaks_signature(db: Database) -> None:
    text = code()
    raw = bytearray(b45decode(text[len(PREFIX) :]))
    raw[13] ^= 1  # the time step's last bit: a screenshot "refreshed" by hand
    assert refused(db, PREFIX + b45encode(bytes(raw))) == "forged"
    raw[13] ^= 1
    raw[40] ^= 0x80  # inside the signature
    assert refused(db, PREFIX + b45encode(bytes(raw))) == "forged"


def test_unknown_member(db: Database) -> None:
    assert refused(db, "M99999999") == "unknown_member"
    with db.transaction() as s:
        s.execute(update(Member).where(Member.member_no == "M00000004").values(status="erased"))
    assert refused(db, "M00000004") == "unknown_member"
    assert refused(db, code("M00000004")) == "unknown_member"


def test_member_blocked(db: Database) -> None:
    with db.transaction() as s:
        s.execute(update(Member).where(Member.member_no == "M00000005").values(status="blocked"))
    assert refused(db, "M00000005") == "member_blocked"
    assert refused(db, code("M00000005")) == "member_blocked"


def test_key_rotation(db: Database) -> None:
    """Two keys valid at once; revoking one leaves the other working."""
    mid = member_id(db, "M00000002")
    new = Ed25519PrivateKey.generate()
    new_id = key_id_for(new.public_key().public_bytes_raw())
    old_id = demo_key_id(SEED, "M00000002")
    with db.transaction() as s:
        s.add(
            MemberKey(
                key_id=new_id,
                member_id=mid,
                public_key=new.public_key().public_bytes_raw(),
                created_at=NOW,
            )
        )
    at = NOW
    with db.transaction() as s:
        assert verify(s, code("M00000002", at), NOW).key_id == old_id
        assert verify(s, encode_dynamic("M00000002", new_id, new, at), NOW).key_id == new_id
    later = NOW + 10 * STEP
    with db.transaction() as s:  # revocation scheduled for the future: still valid now
        s.execute(update(MemberKey).where(MemberKey.key_id == old_id).values(revoked_at=later))
    with db.transaction() as s:
        assert verify(s, code("M00000002", NOW + STEP), NOW + STEP).key_id == old_id
    assert refused(db, code("M00000002", later), later) == "key_revoked"
    with db.transaction() as s:
        fresh = encode_dynamic("M00000002", new_id, new, later)
        assert verify(s, fresh, later).key_id == new_id


# --- time window --------------------------------------------------------------------------


def test_skew_window_edges(db: Database) -> None:
    step = step_of(NOW)
    made = step_start(step) + timedelta(seconds=7)
    text = code("M00000001", made)
    tick = timedelta(microseconds=1)
    late_ok = step_start(step + 2) - tick  # last instant of step + 1
    early_ok = step_start(step - 1)  # first instant of step - 1: the till is one step behind
    assert refused(db, text, step_start(step + 2)) == "expired"
    assert refused(db, text, step_start(step + 5)) == "expired"
    assert refused(db, text, step_start(step - 1) - tick) == "not_yet_valid"
    for now in (late_ok, early_ok):  # each accepted once; SeenCode removed between
        with db.transaction() as s:
            assert verify(s, text, now).kind == "dynamic"
            s.execute(SeenCode.__table__.delete())


# --- replay -------------------------------------------------------------------------------


def test_replay_at_same_terminal_is_refused_and_audited(db: Database) -> None:
    text = code("M00000003")
    assert accept(db, text, NOW, terminal_id="till-1").kind == "dynamic"
    with pytest.raises(MemberCodeRefused) as info:
        accept(db, text, NOW + timedelta(seconds=20), terminal_id="till-1")
    assert info.value.code == "replay"
    with db.sessions() as s:
        events = list(
            s.scalars(select(AuditEvent).where(AuditEvent.action == "member_code_replay"))
        )
    assert len(events) == 1
    event = events[0]
    mid = member_id(db, "M00000003")
    assert event.terminal_id == "till-1" and event.target == mid
    assert event.details["member_id"] == mid
    assert event.details["key_id"] == demo_key_id(SEED, "M00000003")
    assert set(event.details) == {"member_id", "key_id", "step", "first_seen_at"}


def test_replay_after_window_is_expired_and_seen_rows_pruned(db: Database) -> None:
    text = code()
    accept(db, text, NOW)
    assert db.scalar("SELECT count(*) FROM seen_code") == 1
    much_later = NOW + 10 * STEP
    with pytest.raises(MemberCodeRefused) as info:
        accept(db, text, much_later)
    assert info.value.code == "expired"
    accept(db, code("M00000002", much_later), much_later)
    assert db.scalar("SELECT count(*) FROM seen_code") == 1  # the old row was pruned


def test_verify_in_callers_transaction_records_seen_code(db: Database) -> None:
    with db.transaction() as s:
        verify(s, code(), NOW)
        assert s.scalar(select(SeenCode.member_id)) == member_id(db, "M00000001")
    with db.transaction() as s:
        with pytest.raises(MemberCodeRefused) as info:
            verify(s, code(), NOW + STEP)
        assert info.value.code == "replay"
        assert info.value.key_id == demo_key_id(SEED, "M00000001")

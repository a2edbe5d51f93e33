"""Verifying a scanned member code at the till, offline.

Order of checks (the first failing one is the reason shown): format, key
known, key belongs to the member in the code, signature, key not revoked,
time window, member status, replay. A dynamic code that passes is recorded
as seen (:class:`SeenCode`) in the caller's write transaction; a second scan
of it within its window is refused as a replay, logged, and audited.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import delete, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from terminal import audit
from terminal.classifier import MAX_SCAN_LENGTH, clean
from terminal.membercodes.codec import (
    SKEW_STEPS,
    ParsedCode,
    parse,
    step_of,
    step_start,
)
from terminal.membercodes.errors import MemberCodeRefused
from terminal.store.database import Database
from terminal.store.models import Member, MemberKey, SeenCode

log = logging.getLogger(__name__)

REPLAY_ACTION = "member_code_replay"


@dataclass(frozen=True)
class VerifiedCode:
    """A member code the till accepted."""

    member_id: str
    member_no: str
    kind: Literal["static", "dynamic"]
    key_id: str | None = None


def _check_status(member: Member, key_id: str | None) -> None:
    if member.status == "blocked":
        raise MemberCodeRefused("member_blocked", member_id=member.id, key_id=key_id)
    if member.status != "active":  # erased
        raise MemberCodeRefused("unknown_member", member_id=member.id, key_id=key_id)


def _verify_static(session: Session, parsed: ParsedCode) -> VerifiedCode:
    member = session.scalar(select(Member).where(Member.member_no == parsed.member_no))
    if member is None:
        raise MemberCodeRefused("unknown_member", parsed.member_no)
    _check_status(member, None)
    return VerifiedCode(member.id, member.member_no, "static")


def replay_digest(parsed: ParsedCode) -> str:
    """What identifies a dynamic code for the replay check: its signed fields.

    The signature is left out on purpose: whoever holds the key could sign the
    same fields again with other bytes, and it would still be the same code.
    """
    return hashlib.sha256(parsed.signed).hexdigest()


def _check_signature(key: MemberKey, parsed: ParsedCode, member_id: str) -> None:
    try:
        public = Ed25519PublicKey.from_public_bytes(key.public_key)
        public.verify(parsed.signature, parsed.signed)
    except ValueError as exc:  # a stored key of the wrong length
        raise MemberCodeRefused("unknown_key", "bad key", member_id=member_id) from exc
    except InvalidSignature as exc:
        raise MemberCodeRefused("forged", member_id=member_id, key_id=key.key_id) from exc


def _check_window(step: int, now: datetime, member_id: str, key_id: str) -> None:
    current = step_of(now)
    if step < current - SKEW_STEPS:
        raise MemberCodeRefused("expired", member_id=member_id, key_id=key_id)
    if step > current + SKEW_STEPS:
        raise MemberCodeRefused("not_yet_valid", member_id=member_id, key_id=key_id)


def _check_replay(
    session: Session,
    parsed: ParsedCode,
    member: Member,
    now: datetime,
    terminal_id: str | None,
    record: bool = True,
) -> None:
    """Record the code as seen; refuse it if it already was (one INSERT, no read first).

    With ``record=False`` (a quote, which sells nothing) only look: a code seen
    before is refused, a new one is left unrecorded for the sale that uses it.
    """
    assert parsed.key_id is not None and parsed.step is not None
    conn = session.connection()
    if not record:
        seen = conn.execute(
            select(SeenCode.digest).where(
                SeenCode.digest == replay_digest(parsed), SeenCode.expires_at > now
            )
        ).first()
        if seen is not None:
            raise MemberCodeRefused("replay", member_id=member.id, key_id=parsed.key_id)
        return
    conn.execute(delete(SeenCode).where(SeenCode.expires_at <= now))  # prune
    digest = replay_digest(parsed)
    inserted = conn.execute(
        sqlite_insert(SeenCode)
        .values(
            digest=digest,
            member_id=member.id,
            seen_at=now,
            # the first instant the code is no longer accepted anyway
            expires_at=step_start(parsed.step + SKEW_STEPS + 1),
        )
        .on_conflict_do_nothing(index_elements=["digest"])
    )
    if inserted.rowcount == 1:
        return
    first_seen = conn.execute(select(SeenCode.seen_at).where(SeenCode.digest == digest)).scalar()
    first_seen_at = first_seen.isoformat() if first_seen is not None else ""
    log.warning(
        "member code replay: member %s key %s step %s (first seen %s)",
        member.id,
        parsed.key_id,
        parsed.step,
        first_seen_at,
    )
    audit.record(
        session,
        REPLAY_ACTION,
        user_id=None,
        terminal_id=terminal_id,
        target=member.id,
        at=now,
        member_id=member.id,
        key_id=parsed.key_id,
        step=parsed.step,
        first_seen_at=first_seen_at,
    )
    raise MemberCodeRefused("replay", member_id=member.id, key_id=parsed.key_id)


def verify(
    session: Session,
    text: str,
    now: datetime,
    *,
    terminal_id: str | None = None,
    record: bool = True,
) -> VerifiedCode:
    """Verify a scanned member code (static or dynamic) at ``now`` (aware).

    ``session`` must be a write transaction (``db.transaction()``): an accepted
    dynamic code is recorded there. On a replay the audit event is added to
    ``session`` before :class:`MemberCodeRefused` is raised, so a caller that
    lets the exception roll its transaction back loses the audit row; use
    :func:`accept`, or catch the refusal and commit, to keep it. ``record=False``
    checks everything but records nothing (any session will do).
    """
    if not isinstance(text, str) or len(text) > MAX_SCAN_LENGTH:
        raise MemberCodeRefused("malformed")
    parsed = parse(clean(text))
    if parsed.kind == "static":
        return _verify_static(session, parsed)
    assert parsed.key_id is not None and parsed.step is not None
    found = session.execute(
        select(MemberKey, Member)
        .outerjoin(Member, Member.id == MemberKey.member_id)
        .where(MemberKey.key_id == parsed.key_id)
    ).first()
    if found is None:
        raise MemberCodeRefused("unknown_key", key_id=parsed.key_id)
    key, member = found
    if member is None:
        raise MemberCodeRefused("unknown_member", key_id=key.key_id)
    if member.member_no != parsed.member_no:  # a member's key vouching for someone else
        raise MemberCodeRefused("forged", member_id=member.id, key_id=key.key_id)
    _check_signature(key, parsed, member.id)
    if key.revoked_at is not None and key.revoked_at <= now:
        raise MemberCodeRefused("key_revoked", member_id=member.id, key_id=key.key_id)
    _check_window(parsed.step, now, member.id, key.key_id)
    _check_status(member, key.key_id)
    _check_replay(session, parsed, member, now, terminal_id, record)
    return VerifiedCode(member.id, member.member_no, "dynamic", key.key_id)


def accept(
    db: Database, text: str, now: datetime, *, terminal_id: str | None = None
) -> VerifiedCode:
    """Verify a scan in its own write transaction; a replay's audit row is kept."""
    replay: MemberCodeRefused | None = None
    with db.transaction() as session:
        try:
            return verify(session, text, now, terminal_id=terminal_id)
        except MemberCodeRefused as exc:
            if exc.code != "replay":
                raise
            replay = exc  # leave the block normally: the audit event commits
    assert replay is not None
    raise replay

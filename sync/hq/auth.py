"""Terminal credentials at HQ: one-time enrolment codes and bearer tokens, stored hashed.

Both secrets are random (a code 10 characters from a 31-letter alphabet, a
token 256 bits), so a plain SHA-256 is enough to keep a stolen database from
yielding a usable credential; no slow hash is needed for random secrets.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.hq.models import HqStore, HqTerminal
from sync.protocol import EnrollRequest, EnrollResponse, MemberRange
from terminal.store.types import utcnow

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 10
CODE_LIFETIME = timedelta(hours=72)


class Refusal(Exception):
    """An answer other than success: HTTP status, stable code, English sentence."""

    def __init__(
        self, status: int, code: str, message: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_enroll_code(session: Session, terminal: HqTerminal, now: datetime | None = None) -> str:
    """A fresh one-time code for ``terminal`` (replacing any earlier unused one)."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    terminal.enroll_code_hash = digest(code)
    terminal.enroll_expires_at = (now or utcnow()) + CODE_LIFETIME
    return code


def enroll(session: Session, request: EnrollRequest, now: datetime | None = None) -> EnrollResponse:
    """Trade a one-time code for a credential; the code is spent whatever follows."""
    now = now or utcnow()
    code = request.code.strip().upper().replace("-", "")
    terminal = session.scalars(
        select(HqTerminal).where(HqTerminal.enroll_code_hash == digest(code))
    ).first()
    if terminal is None or terminal.enroll_expires_at is None or terminal.enroll_expires_at < now:
        raise Refusal(403, "enroll_code_invalid", "enrolment code unknown, used or expired")
    if terminal.revoked_at is not None:
        raise Refusal(403, "revoked", "this terminal was revoked at HQ")
    store = session.get(HqStore, terminal.store_id)
    assert store is not None
    if store.code != request.store_code or terminal.code != request.terminal_code:
        raise Refusal(
            409,
            "wrong_terminal",
            f"this code is for store {store.code} terminal {terminal.code}, "
            f"not {request.store_code} {request.terminal_code}",
        )
    token = secrets.token_urlsafe(32)
    terminal.enroll_code_hash = None
    terminal.enroll_expires_at = None
    terminal.token_hash = digest(token)
    terminal.local_terminal_id = request.terminal_id
    terminal.enrolled_at = now
    terminal.program_version = request.program_version
    from sync.hq import policy  # not at the top: policy imports this module

    block = policy.allocate(session, terminal)  # a fresh block of member numbers
    return EnrollResponse(
        credential=token,
        store_code=store.code,
        terminal_code=terminal.code,
        member_ranges=[MemberRange(first=block.first, last=block.last)],
    )


def authenticate(session: Session, authorization: str | None) -> HqTerminal:
    """The terminal a ``Bearer`` credential belongs to, or a Refusal saying why not."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Refusal(401, "no_credential", "this call needs the terminal's credential")
    terminal = session.scalars(
        select(HqTerminal).where(HqTerminal.token_hash == digest(token.strip()))
    ).first()
    if terminal is None:
        raise Refusal(401, "bad_credential", "credential unknown: enrol this terminal again")
    if terminal.revoked_at is not None:
        raise Refusal(403, "revoked", "this terminal was revoked at HQ: ask HQ to re-enrol it")
    return terminal

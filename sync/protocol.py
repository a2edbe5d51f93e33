"""The HQ sync protocol, defined once for both ends.

The till (``sync/client.py``) and the reference HQ server (``sync/hq/``) both
import these pydantic models, so the two ends cannot drift; golden JSON
examples in ``tests/sync/golden/`` make a renamed or retyped field fail a test.

Rules of the wire (see ``docs/sync.md``):

- Every request carries :data:`VERSION_HEADER` with the protocol version the
  sender speaks. HQ answers a version outside ``[MIN_VERSION, VERSION]`` with
  HTTP 426 and an :class:`UpgradeNeeded` body, never a crash.
- Every call but enrolment carries ``Authorization: Bearer <credential>``.
- Bodies are JSON (gzip allowed both ways); amounts are integer fen, times
  ISO 8601 with offset. Records pushed are the versioned records of
  :mod:`terminal.records`; HQ de-duplicates on their UUID.
- The feed cursor is HQ's own sequence number, never a clock.
- Errors are an :class:`ErrorBody` with a stable ``code`` and an English
  ``message``; 503 answers carry ``Retry-After`` (seconds).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

VERSION = 1
"""The protocol version this code speaks."""
MIN_VERSION = 1
"""The oldest protocol version HQ still serves."""
VERSION_HEADER = "X-Posterm-Protocol"
PROGRAM_HEADER = "X-Posterm-Version"
"""The posterm version of the till (HQ shows it per terminal)."""
TIME_HEADER = "X-Posterm-Time"
"""The till's clock when it sent the request (HQ records the skew)."""

MAX_BATCH = 500
"""Most records HQ accepts in one push."""
MAX_PAGE = 5000
"""Most changes HQ sends in one feed page."""


class _Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ErrorBody(_Wire):
    """What every refusal says: a stable code and a sentence for the log and the manager."""

    code: str
    message: str


class UpgradeNeeded(_Wire):
    """HTTP 426: the till speaks a protocol version HQ no longer (or not yet) serves."""

    code: Literal["upgrade_needed"] = "upgrade_needed"
    message: str
    min_version: int
    max_version: int


class EnrollRequest(_Wire):
    """A till trades a one-time enrolment code for its own credential."""

    code: str = Field(min_length=4, max_length=64)
    store_code: str = Field(min_length=1, max_length=16)
    terminal_code: str = Field(min_length=1, max_length=16)
    terminal_id: str = Field(min_length=1, max_length=36)
    """The till's own Terminal row id: every record it pushes names it."""
    program_version: str = Field(default="", max_length=32)


class MemberRange(_Wire):
    """A block of member numbers (``M`` + 8 digits) HQ gave one till: ``first``..``last``."""

    first: int = Field(ge=1, le=99_999_999)
    last: int = Field(ge=1, le=99_999_999)

    @model_validator(mode="after")
    def _in_order(self) -> MemberRange:
        if self.first > self.last:  # an HQ answer the till must not keep (hq_bad_answer)
            raise ValueError("first is above last")
        return self


class EnrollResponse(_Wire):
    credential: str
    """The bearer token; HQ keeps only its hash, the till keeps it encrypted."""
    store_code: str
    terminal_code: str
    member_ranges: list[MemberRange] = Field(default_factory=list)
    """Member numbers for this till (a fresh block); empty from an HQ that gives none."""


class MemberRangeRequest(_Wire):
    """``POST /v1/member-range``: the till has used most of its numbers.

    ``after`` is the end of the highest block the till holds (0: none). HQ
    answers with this till's blocks above it, giving a new one only when
    there is none, so a request repeated after a lost answer gets the same block.
    """

    after: int = Field(default=0, ge=0, le=99_999_999)


class MemberRangeResponse(_Wire):
    ranges: list[MemberRange]


RecordKind = Literal["sale", "stored_value", "member", "member_erasure", "z_report"]


class PushRecord(_Wire):
    """One outbox row: its UUID, kind and the record (a :mod:`terminal.records` payload)."""

    id: str = Field(min_length=1, max_length=36)
    kind: RecordKind
    payload: dict[str, Any]
    created_at: AwareDatetime


class PushBatch(_Wire):
    """Outbox rows in outbox order; at most :data:`MAX_BATCH`."""

    records: list[PushRecord] = Field(max_length=MAX_BATCH)


Outcome = Literal["accepted", "duplicate", "conflict", "rejected"]


class RecordResult(_Wire):
    """What HQ did with one record.

    ``accepted``: applied now. ``duplicate``: applied before (the till marks it
    sent all the same). ``conflict``: applied, and HQ recorded a conflict for
    its staff (e.g. a coupon already redeemed in another store): the sale is
    kept. ``rejected``: not applied, ``reason`` says why; the till parks it.
    """

    id: str
    outcome: Outcome
    reason: str = ""


class PushResponse(_Wire):
    results: list[RecordResult]
    hq_time: datetime


FeedOp = Literal["upsert", "delete"]

FEED_ENTITIES: dict[str, int] = {
    "category": 0,
    "tier": 1,
    "product": 2,
    "product_barcode": 3,
    "member": 4,
    "member_key": 5,
    "coupon_definition": 6,
    "coupon": 7,
    "promotion": 8,
    "reward": 9,
    "points_entry": 10,
    "stored_value_entry": 11,
    "promotion_total": 12,
    "hq_policy": 13,
}
"""The tables of the till's store that HQ owns, by rank: a parent ranks before its children.

Ledger entities (``points_entry``, ``stored_value_entry``) are append-only:
a till keeps a row it already has (its own entries come back through the feed).
``promotion_total`` is counted by HQ (a limited promotion's uses over every till).
``hq_policy`` holds HQ's settings for every till (the offline redemption
policy, see ``terminal/offline_policy.py``); a till that does not know an
entity skips it.
"""
LEDGER_ENTITIES = frozenset({"points_entry", "stored_value_entry"})
PRIVATE_COLUMNS: dict[str, frozenset[str]] = {
    "member": frozenset(
        {"name_enc", "phone_enc", "birthday_enc", "phone_index", "phone_last4_index"}
    ),
}
"""Columns never sent in the feed: sealed with one till's own keys, meaningless to another."""


class Change(_Wire):
    """One entity's latest state (or its deletion) at feed position ``seq``.

    ``entity`` names a table of the till's store that HQ owns (``product``,
    ``member``, ``points_entry``...); ``key`` its primary key; ``data`` the
    row's columns as JSON (bytes base64, times ISO 8601).
    """

    seq: int
    entity: str
    key: str
    op: FeedOp
    data: dict[str, Any] = Field(default_factory=dict)


class FeedPage(_Wire):
    """Changes after the asked cursor, in ``seq`` order.

    ``cursor`` is what to ask next time; ``more`` says another page is
    waiting now; ``total`` is how many changes were after the asked cursor
    (for a bootstrap's progress).
    """

    changes: list[Change]
    cursor: int
    more: bool
    total: int


class ResyncNeeded(_Wire):
    """HTTP 410: the cursor is older than what HQ keeps; pull again from 0."""

    code: Literal["resync"] = "resync"
    message: str
    floor: int


class TerminalHello(_Wire):
    """``GET /v1/me``: who HQ thinks this till is."""

    store_code: str
    terminal_code: str
    hq_time: datetime

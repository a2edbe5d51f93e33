"""The demo store's member-app keys, derived from one seed so the till can play the app.

In production a member's private key never leaves the phone and the till only
gets public keys (MemberKey rows, through sync). For the demo store the data
directory also holds a seed (``<data>/keys/demo-app-seed``, 0600) from which
every demo member's app key is derived, so ``posterm member-code --dynamic``
can show the code the member's phone would show.

Derivation: HKDF-SHA256 (RFC 5869), salt ``posterm demo app key v1``, input
key material the seed, info the member number, 32 bytes -> the Ed25519 private
key. Extract runs once per seed; expand of one 32-byte block is a single
HMAC, done here with :mod:`hmac` directly for speed (same output as
``cryptography``'s HKDF; a test checks it). The key id is the first 6 bytes of
SHA-256 over the raw public key, as hex.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, insert
from sqlalchemy.orm import Session

from terminal.membercodes.codec import KEY_ID_BYTES
from terminal.store.models import MemberKey

DEMO_SALT = b"posterm demo app key v1"
SEED_FILE = "demo-app-seed"
SEED_BYTES = 32
BATCH = 10_000


def _prk(seed: bytes) -> bytes:
    return hmac.new(DEMO_SALT, seed, hashlib.sha256).digest()


def _expand(prk: bytes, member_no: str) -> bytes:
    return hmac.new(prk, member_no.encode("ascii") + b"\x01", hashlib.sha256).digest()


def demo_app_key(seed: bytes, member_no: str) -> Ed25519PrivateKey:
    """The demo member's app private key (deterministic for seed and member number)."""
    return Ed25519PrivateKey.from_private_bytes(_expand(_prk(seed), member_no))


def key_id_for(public_key: bytes) -> str:
    """A key id for a raw Ed25519 public key: 12 hex characters (6 bytes)."""
    return hashlib.sha256(public_key).digest()[:KEY_ID_BYTES].hex()


def demo_key_id(seed: bytes, member_no: str) -> str:
    return key_id_for(demo_app_key(seed, member_no).public_key().public_bytes_raw())


def _id_and_no(row: Any) -> tuple[str, str]:
    if isinstance(row, Mapping):
        return row["id"], row["member_no"]
    if isinstance(row, Sequence):
        return row[0], row[1]
    return row.id, row.member_no


def _key_rows(
    seed: bytes, members: Iterable[Any], created_at: datetime
) -> Iterator[dict[str, Any]]:
    prk = _prk(seed)
    for row in members:
        member_id, member_no = _id_and_no(row)
        private = Ed25519PrivateKey.from_private_bytes(_expand(prk, member_no))
        public = private.public_key().public_bytes_raw()
        yield {
            "key_id": key_id_for(public),
            "member_id": member_id,
            "public_key": public,
            "created_at": created_at,
            "revoked_at": None,
        }


def install_demo_keys(
    conn_or_session: Connection | Session,
    seed: bytes,
    member_rows: Iterable[Any],
    *,
    limit: int | None = None,
    created_at: datetime | None = None,
) -> int:
    """Write one MemberKey row per demo member (bulk inserts, the caller's transaction).

    ``member_rows`` yields mappings with ``id`` and ``member_no``, ``(id,
    member_no)`` tuples or Member objects. ``limit`` caps how many members get
    a key (public key derivation costs ~35 µs each: about 40 s for 1,000,000
    members). Returns the number of keys written.
    """
    created_at = created_at or datetime.now(UTC)
    rows = _key_rows(seed, member_rows if limit is None else islice(member_rows, limit), created_at)
    written = 0
    while batch := list(islice(rows, BATCH)):
        conn_or_session.execute(insert(MemberKey), batch)
        written += len(batch)
    return written


def write_seed(keys_dir: Path) -> bytes:
    """Create ``keys_dir/demo-app-seed`` (0600) with a fresh random seed; return it."""
    keys_dir.mkdir(parents=True, exist_ok=True)
    path = keys_dir / SEED_FILE
    seed = os.urandom(SEED_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(seed)
    return seed


def read_seed(keys_dir: Path) -> bytes | None:
    """The demo seed, or None when this data directory holds none."""
    path = keys_dir / SEED_FILE
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None

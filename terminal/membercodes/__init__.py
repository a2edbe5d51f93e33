"""Member codes: static card numbers and signed, rotating member-app codes.

Public API (see docs/member-codes.md for the format and threat model):

* :func:`parse` — pure, strict parsing; :class:`ParsedCode`
* :func:`encode_dynamic` — what the member app computes
* :func:`verify` (caller's write session) and :func:`accept` (own
  transaction) — :class:`VerifiedCode` or :class:`MemberCodeRefused`
* :func:`demo_app_key`, :func:`install_demo_keys` — the demo store's app keys
"""

from terminal.membercodes.codec import (
    DYNAMIC_LENGTH,
    PREFIX,
    SKEW_STEPS,
    STEP,
    ParsedCode,
    encode_dynamic,
    parse,
    step_of,
    step_start,
)
from terminal.membercodes.demo_keys import (
    demo_app_key,
    demo_key_id,
    install_demo_keys,
    key_id_for,
    read_seed,
    write_seed,
)
from terminal.membercodes.errors import MemberCodeRefused
from terminal.membercodes.verify import VerifiedCode, accept, verify

__all__ = [
    "DYNAMIC_LENGTH",
    "PREFIX",
    "SKEW_STEPS",
    "STEP",
    "MemberCodeRefused",
    "ParsedCode",
    "VerifiedCode",
    "accept",
    "demo_app_key",
    "demo_key_id",
    "encode_dynamic",
    "install_demo_keys",
    "key_id_for",
    "parse",
    "read_seed",
    "step_of",
    "step_start",
    "verify",
    "write_seed",
]

"""The one refusal a scanned member code can end in, with a reason a cashier can act on."""

from __future__ import annotations

from typing import Literal

from terminal.errors import PosError

RefusalCode = Literal[
    "malformed",
    "unknown_key",
    "forged",
    "expired",
    "not_yet_valid",
    "replay",
    "unknown_member",
    "member_blocked",
    "key_revoked",
]


class MemberCodeRefused(PosError):
    """A scanned member code was refused; ``code`` says why (see :data:`RefusalCode`).

    The words are in the message catalogue (``terminal/messages/members.py``);
    ``detail`` is technical (which check failed), for the log, never shown.
    ``member_id`` and ``key_id`` are set when known, for the audit trail and
    logs (never personal data).
    """

    code = "malformed"

    def __init__(
        self,
        code: RefusalCode,
        detail: str = "",
        *,
        member_id: str | None = None,
        key_id: str | None = None,
    ) -> None:
        super().__init__(code)
        self.detail = detail
        self.member_id = member_id
        self.key_id = key_id

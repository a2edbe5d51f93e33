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

# Chinese first (the cashier), English after the slash; each says what to do next.
MESSAGES: dict[str, str] = {
    "malformed": "会员码无法识别，请会员刷新后重新出示 / "
    "unreadable member code: ask the member to refresh it",
    "unknown_key": "会员码密钥未知，请会员刷新或报会员号 / "
    "unknown member-app key: ask the member to refresh or give the member number",
    "forged": "会员码签名无效，不能使用 / member code signature is invalid (forged or altered)",
    "expired": "会员码已过期，请会员刷新后重新出示 / "
    "member code expired: ask the member to refresh it",
    "not_yet_valid": "会员码时间超前，请检查收银机时间 / "
    "member code is from the future: check the till clock",
    "replay": "该会员码已使用过，请会员刷新后重新出示 / "
    "member code already used here: ask the member to refresh it",
    "unknown_member": "未找到会员 / unknown member",
    "member_blocked": "该会员已冻结，请联系店长 / member is blocked: call the manager",
    "key_revoked": "会员码密钥已停用，请会员重新登录会员 App / "
    "member-app key revoked: ask the member to sign in to the app again",
}


class MemberCodeRefused(PosError):
    """A scanned member code was refused; ``code`` says why (see :data:`RefusalCode`).

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
        message = MESSAGES[code] + (f" ({detail})" if detail else "")
        super().__init__(message, code=code)
        self.member_id = member_id
        self.key_id = key_id

"""Why a call to HQ did not succeed, as the till tells it (codes in terminal/messages/sync.py)."""

from __future__ import annotations

from terminal.errors import PosError


class SyncError(PosError):
    """A failed exchange with HQ. ``retry_after``: seconds HQ asked to wait, if it did.

    ``transient`` errors (network, overload) are retried with backoff; the
    others (revoked, upgrade needed, refused) need a person and are retried
    only slowly.
    """

    code = "hq_refused"

    def __init__(
        self,
        code: str | None = None,
        /,
        *,
        transient: bool = False,
        retry_after: float | None = None,
        **params: object,
    ) -> None:
        super().__init__(code, **params)
        self.transient = transient
        self.retry_after = retry_after


class ResyncNeeded(SyncError):
    """HQ no longer keeps changes after our cursor: pull again from zero."""

    code = "hq_refused"

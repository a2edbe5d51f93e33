"""The till's HTTP client for HQ (``requests``): TLS verified, gzip, versioned, authenticated.

Plain ``http://`` is allowed only to a loopback address (a test HQ on this
machine); anything else must be ``https://`` and is verified against the
system's CA store, or against the CA bundle the till was configured with.
Every answer other than success becomes a :class:`~sync.errors.SyncError`
saying what a person can do about it.
"""

from __future__ import annotations

import gzip
import ipaddress
import json
import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from pydantic import BaseModel, ValidationError

from sync import protocol
from sync.errors import ResyncNeeded, SyncError
from terminal import __version__

if TYPE_CHECKING:
    import requests

M = TypeVar("M", bound=BaseModel)

TIMEOUT = (5.0, 60.0)
"""Connect and read timeouts (s): a read waits for HQ to apply a whole batch."""

MAX_RETRY_AFTER = 3600.0
"""The longest wait the till takes from ``Retry-After`` (s): a longer one (a proxy's, or
"inf") would stop the till syncing for days, or not fit a timer at all."""


def check_url(url: str) -> str:
    """``url`` without a trailing slash; SyncError unless https, or http to loopback."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return url.rstrip("/")
    if parts.scheme == "http":
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if loopback:
            return url.rstrip("/")
    raise SyncError("hq_insecure_url", url=url[:80])


class HqClient:
    """Calls to one HQ. ``credential`` None: only :meth:`enroll` works."""

    def __init__(
        self,
        url: str,
        credential: str | None = None,
        *,
        ca_bundle: str | None = None,
        waiting: int | None = None,
    ) -> None:
        import requests

        self.url = check_url(url)
        self.credential = credential
        self.waiting = waiting
        self.session = requests.Session()
        self.session.verify = ca_bundle or True
        self.session.headers.update(
            {
                protocol.VERSION_HEADER: str(protocol.VERSION),
                protocol.PROGRAM_HEADER: __version__,
                "Accept-Encoding": "gzip",
                "User-Agent": f"posterm/{__version__}",
            }
        )
        if credential:
            self.session.headers["Authorization"] = f"Bearer {credential}"

    def close(self) -> None:
        self.session.close()

    # --- calls ------------------------------------------------------------------------

    def enroll(self, request: protocol.EnrollRequest) -> protocol.EnrollResponse:
        return self._call("POST", "/v1/enroll", protocol.EnrollResponse, body=request)

    def me(self) -> protocol.TerminalHello:
        return self._call("GET", "/v1/me", protocol.TerminalHello)

    def push(self, batch: protocol.PushBatch) -> protocol.PushResponse:
        return self._call("POST", "/v1/push", protocol.PushResponse, body=batch)

    def member_range(self, after: int) -> protocol.MemberRangeResponse:
        return self._call(
            "POST",
            "/v1/member-range",
            protocol.MemberRangeResponse,
            body=protocol.MemberRangeRequest(after=after),
        )

    def feed(self, cursor: int, limit: int = 1000) -> protocol.FeedPage:
        return self._call(
            "GET", "/v1/feed", protocol.FeedPage, params={"cursor": cursor, "limit": limit}
        )

    # --- the exchange -------------------------------------------------------------------

    def _call(
        self,
        method: str,
        path: str,
        answer: type[M],
        *,
        body: BaseModel | None = None,
        params: dict[str, Any] | None = None,
    ) -> M:
        import requests

        headers = {protocol.TIME_HEADER: datetime.now(UTC).isoformat()}
        if self.waiting is not None:
            headers["X-Posterm-Waiting"] = str(self.waiting)
        data = None
        if body is not None:
            data = gzip.compress(body.model_dump_json().encode(), compresslevel=5)
            headers["Content-Type"] = "application/json"
            headers["Content-Encoding"] = "gzip"
        try:
            response = self.session.request(
                method, self.url + path, data=data, params=params, headers=headers, timeout=TIMEOUT
            )
        except requests.exceptions.SSLError as exc:
            raise SyncError("hq_unreachable", detail=f"TLS: {_short(exc)}") from exc
        except requests.exceptions.RequestException as exc:
            raise SyncError("hq_unreachable", transient=True, detail=_short(exc)) from exc
        if response.status_code == 200:
            try:
                return answer.model_validate_json(response.content)
            except ValidationError as exc:
                raise SyncError(
                    "hq_bad_answer", transient=True, detail=f"{exc.error_count()} field(s)"
                ) from exc
        raise _refusal(response)


def _short(exc: Exception) -> str:
    return str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__


def _retry_after(response: requests.Response) -> float | None:
    """HQ's ``Retry-After`` in seconds, at most :data:`MAX_RETRY_AFTER`; None if not a number."""
    raw = response.headers.get("Retry-After", "")
    try:
        wait = float(raw)
    except ValueError:
        return None
    if math.isnan(wait):
        return None
    return min(max(0.0, wait), MAX_RETRY_AFTER)


def _refusal(response: requests.Response) -> SyncError:
    try:
        body = json.loads(response.content)
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    code, message = str(body.get("code", "")), str(body.get("message", response.reason or ""))
    status = response.status_code
    if status == 426:
        return SyncError("hq_upgrade_needed", detail=message[:200])
    if status == 410 and code == "resync":
        return ResyncNeeded("hq_refused", detail=message[:200])
    if code == "revoked":
        return SyncError("hq_revoked")
    if status == 401:
        return SyncError("hq_bad_credential")
    if status == 503 or status == 429:
        wait = _retry_after(response)
        return SyncError(
            "hq_busy", transient=True, retry_after=wait, seconds=int(wait if wait else 0)
        )
    if status >= 500:
        return SyncError("hq_unreachable", transient=True, detail=f"HTTP {status}")
    return SyncError("hq_refused", detail=f"{code or status}: {message}"[:200])

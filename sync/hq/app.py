"""HQ's HTTP API (FastAPI): enrol, push, feed; every call versioned and authenticated.

Endpoints are plain ``def``: FastAPI runs them on its thread pool, each with
its own database transaction. Overload (more than ``max_in_flight``
requests at once) and an unreachable database answer 503 with
``Retry-After``; a protocol version HQ does not serve answers 426 with an
:class:`~sync.protocol.UpgradeNeeded` body.
"""

from __future__ import annotations

import gzip
import logging
import threading
from collections.abc import Awaitable, Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from sqlalchemy.exc import InterfaceError, OperationalError
from starlette.middleware.gzip import GZipMiddleware

from sync import protocol
from sync.hq import auth, feed, ingest, policy
from sync.hq.db import HqDatabase
from sync.hq.models import HqTerminal
from sync.protocol import (
    VERSION_HEADER,
    EnrollRequest,
    EnrollResponse,
    ErrorBody,
    FeedPage,
    MemberRangeRequest,
    MemberRangeResponse,
    PushBatch,
    PushResponse,
    ResyncNeeded,
    TerminalHello,
    UpgradeNeeded,
)
from terminal import __version__
from terminal.store.types import utcnow

log = logging.getLogger(__name__)

MAX_CURSOR = 2**62
"""Feed numbers are 64-bit in the database; a cursor above this is a bad request."""
MAX_WAITING = 2**31 - 1
"""The most records a till may say it has waiting (an INTEGER column; more is clamped)."""


class _GzipRequest(Request):
    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            raw = await super().body()
            if "gzip" in self.headers.get("content-encoding", ""):
                try:
                    raw = gzip.decompress(raw)
                except (OSError, EOFError) as exc:
                    raise auth.Refusal(400, "bad_gzip", "request body is not valid gzip") from exc
            self._body = raw
        return self._body


class _GzipRoute(APIRoute):
    """Routes that accept gzip-compressed request bodies (responses are gzipped by middleware)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            return await original(_GzipRequest(request.scope, request.receive))

        return handler


def _error(status: int, body: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(status_code=status, content=body.model_dump(mode="json"), headers=headers)


_REFUSALS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (400, 401, 403, 409, 422, 503)
}


def _invalid(exc: RequestValidationError) -> ErrorBody:
    """A request HQ cannot read, said like every other refusal: the fields, never the values
    (a body may hold a member's personal data)."""
    where = sorted({".".join(str(part) for part in error["loc"]) for error in exc.errors()})
    shown = ", ".join(where[:5]) + (f" and {len(where) - 5} more" if len(where) > 5 else "")
    return ErrorBody(code="invalid_request", message=f"invalid or missing: {shown}")


def _aware(text: str | None) -> datetime | None:
    """The till's clock from its header; None when absent or unreadable (never an error)."""
    try:
        sent = datetime.fromisoformat(text or "")
    except ValueError:
        return None
    return sent if sent.tzinfo is not None else None


def _caller(
    request: Request,
    authorization: Annotated[str | None, Header()] = None,
    x_posterm_time: Annotated[str | None, Header()] = None,
    x_posterm_version: Annotated[str | None, Header()] = None,
    x_posterm_waiting: Annotated[int | None, Header()] = None,
    x_posterm_protocol: Annotated[int | None, Header()] = None,
) -> HqTerminal:
    """The calling terminal; records its contact, clock, version and backlog."""
    with request.app.state.db.transaction() as session:
        found = auth.authenticate(session, authorization)
        now = utcnow()
        found.last_contact = now
        sent = _aware(x_posterm_time)
        if sent is not None:
            found.clock_skew_s = max(-(2**31), min(2**31 - 1, round((sent - now).total_seconds())))
        if x_posterm_version:
            found.program_version = x_posterm_version[:32]
        if x_posterm_waiting is not None:
            found.records_waiting = min(max(0, x_posterm_waiting), MAX_WAITING)
        found.protocol_version = x_posterm_protocol or 0
        session.flush()  # written before the object leaves the session
        session.expunge(found)
        return found


Caller = Annotated[HqTerminal, Depends(_caller)]


def create_app(db: HqDatabase, *, max_in_flight: int = 32) -> FastAPI:
    """The HQ API on ``db``."""
    app = FastAPI(
        title="posterm HQ",
        version=f"{protocol.VERSION}",
        description=(
            "Reference HQ of the posterm store terminals: enrolment, exactly-once push of "
            f"sales and other records, and a change feed. Every /v1 call sends {VERSION_HEADER}."
        ),
    )
    app.state.db = db
    app.router.route_class = _GzipRoute
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    in_flight = threading.BoundedSemaphore(max_in_flight)

    @app.middleware("http")
    async def gate(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Any:
        if not request.url.path.startswith("/v1/"):
            return await call_next(request)
        raw = request.headers.get(VERSION_HEADER, "")
        version = int(raw) if raw.isdigit() else 0
        if not protocol.MIN_VERSION <= version <= protocol.VERSION:
            return _error(
                426,
                UpgradeNeeded(
                    message=(
                        f"this HQ speaks sync protocol {protocol.MIN_VERSION}-{protocol.VERSION}, "
                        f"the terminal sent {raw or 'none'}: upgrade posterm"
                    ),
                    min_version=protocol.MIN_VERSION,
                    max_version=protocol.VERSION,
                ),
            )
        if not in_flight.acquire(blocking=False):
            return _error(
                503,
                ErrorBody(code="busy", message="HQ is busy, retry later"),
                {"Retry-After": "1"},
            )
        try:
            return await call_next(request)
        finally:
            in_flight.release()

    @app.exception_handler(RequestValidationError)
    async def unreadable(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return _error(422, _invalid(exc))

    @app.exception_handler(auth.Refusal)
    async def refused(_request: Request, exc: auth.Refusal) -> JSONResponse:
        return _error(exc.status, ErrorBody(code=exc.code, message=exc.message), exc.headers)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def db_down(_request: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable: %s", str(exc).splitlines()[0])
        return _error(
            503,
            ErrorBody(code="unavailable", message="HQ's database is unavailable, retry later"),
            {"Retry-After": "5"},
        )

    @app.get("/health", tags=["ops"])
    def health() -> dict[str, str]:
        """Liveness: answers without a credential or a version header."""
        return {"status": "ok", "version": __version__}

    @app.post(
        "/v1/enroll",
        response_model=EnrollResponse,
        responses=_REFUSALS,
        tags=["terminal"],
    )
    def enroll(request: EnrollRequest) -> EnrollResponse:
        """Trade a one-time enrolment code for this terminal's credential."""
        with db.transaction() as session:
            return auth.enroll(session, request)

    @app.get("/v1/me", response_model=TerminalHello, responses=_REFUSALS, tags=["terminal"])
    def me(caller: Caller) -> TerminalHello:
        """Who HQ takes the caller for (checks the credential)."""
        from sync.hq.models import HqStore

        with db.transaction() as session:
            store = session.get(HqStore, caller.store_id)
            assert store is not None
            return TerminalHello(store_code=store.code, terminal_code=caller.code, hq_time=utcnow())

    @app.post("/v1/push", response_model=PushResponse, responses=_REFUSALS, tags=["terminal"])
    def push(batch: PushBatch, caller: Caller) -> PushResponse:
        """Apply outbox records in order; one result per record (never a refused sale)."""
        with db.transaction() as session:
            results = ingest.ingest(session, caller, batch.records)
        return PushResponse(results=results, hq_time=utcnow())

    @app.post(
        "/v1/member-range",
        response_model=MemberRangeResponse,
        responses=_REFUSALS,
        tags=["terminal"],
    )
    def member_range(request: MemberRangeRequest, caller: Caller) -> MemberRangeResponse:
        """This till's member-number blocks above ``after``; a new block when it has none."""
        with db.transaction() as session:
            return MemberRangeResponse(ranges=policy.member_ranges(session, caller, request.after))

    @app.get(
        "/v1/feed",
        response_model=FeedPage,
        responses={**_REFUSALS, 410: {"model": ResyncNeeded}},
        tags=["terminal"],
    )
    def changes(
        caller: Caller,
        cursor: Annotated[int, Query(ge=0, le=MAX_CURSOR)] = 0,
        limit: Annotated[int, Query(ge=1, le=protocol.MAX_PAGE)] = 1000,
    ) -> Any:
        """Changes after ``cursor`` (0: everything, for a new terminal), oldest first."""
        try:
            with db.transaction() as session:
                return feed.page(session, cursor, limit)
        except feed.CursorTooOld as exc:
            return _error(
                410,
                ResyncNeeded(
                    message=f"cursor {cursor} is older than HQ keeps ({exc.floor}): pull from 0",
                    floor=exc.floor,
                ),
            )

    return app

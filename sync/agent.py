"""The background sync agent: push and pull on a timer and right after each commit.

Runs on its own thread (never the GUI's). After a failure it waits with
exponential backoff and full jitter (``random(0, min(cap, base * 2**n))``),
or what HQ asked for in ``Retry-After`` if that is longer. It fills the HQ
part of :class:`~terminal.status.TillStatus`: online or offline (since when),
records waiting, the last error in words.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sync import engine, policy, state
from sync.client import HqClient
from sync.errors import SyncError
from terminal import events
from terminal.errors import PosError
from terminal.pii import MemberVault
from terminal.status import TillStatus
from terminal.store.database import Database
from terminal.store.types import utcnow

log = logging.getLogger(__name__)


def _transient(exc: PosError) -> bool:
    """Worth retrying soon: the network or HQ's load, not something a person must fix."""
    return bool(getattr(exc, "transient", False))


@dataclass(frozen=True)
class Backoff:
    """Waits between failed rounds: full jitter, capped; ``rng`` for tests."""

    base: float = 2.0
    cap: float = 300.0
    rng: Callable[[], float] = random.random

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        if failures <= 0:
            return 0.0
        wait = self.rng() * min(self.cap, self.base * 2 ** (failures - 1))
        return max(wait, retry_after or 0.0)


@dataclass
class RoundResult:
    ok: bool
    push: engine.PushOutcome | None = None
    pull: engine.PullOutcome | None = None
    error: PosError | None = None


class SyncAgent:
    """Syncs ``db`` with the HQ it is enrolled with, every ``interval`` s and when nudged."""

    def __init__(
        self,
        db: Database,
        vault: MemberVault,
        status: TillStatus,
        *,
        interval: float = 60.0,
        backoff: Backoff | None = None,
        bus: events.EventBus | None = None,
        progress: engine.Progress | None = None,
    ) -> None:
        self.db = db
        self.vault = vault
        self.status = status
        self.interval = interval
        self.backoff = backoff or Backoff()
        self.progress = progress
        self.failures = 0
        self.last_success: datetime | None = None
        self._wake = threading.Event()
        self._retry = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._bus = bus or events.bus
        self._unsubscribe: Callable[[], None] | None = None

    # --- one round ----------------------------------------------------------------------

    def run_once(self) -> RoundResult:
        """Push then pull once; updates the status whatever happens."""
        with self.db.sessions() as session:
            link = state.load_link(session, self.vault)
            waiting = engine.waiting(session)
        if link is None:
            self.status.set("hq", "not_configured", "hq_not_enrolled", waiting=waiting)
            return RoundResult(ok=False, error=SyncError("hq_not_enrolled"))
        client = HqClient(link.url, link.credential, ca_bundle=link.ca_bundle, waiting=waiting)
        try:
            pushed = engine.push(self.db, client, self.vault)
            pulled = engine.pull(self.db, client, progress=self.progress)
            policy.refill_member_ranges(self.db, client)
        except PosError as exc:  # HQ's answer, or the store (busy, full disk...) said no
            self.failures += 1
            self._show_failure(exc)
            return RoundResult(ok=False, error=exc)
        finally:
            client.close()
        self.failures = 0
        self.last_success = utcnow()
        with self.db.transaction() as session:
            state.put(session, state.LAST_SUCCESS, self.last_success.isoformat())
            state.put(session, state.LAST_ERROR, "")
        self._show_success()
        return RoundResult(ok=True, push=pushed, pull=pulled)

    def _counts(self) -> tuple[int, int]:
        with self.db.sessions() as session:
            return engine.waiting(session), engine.parked_count(session)

    def _show_success(self) -> None:
        waiting, parked = self._counts()
        if parked:
            self.status.set("hq", "warning", "hq_parked", waiting=waiting, parked=parked)
        elif waiting:
            self.status.set("hq", "ok", "hq_online", waiting=waiting)
        else:
            self.status.set("hq", "ok", "hq_synced", waiting=0)

    def _show_failure(self, exc: PosError) -> None:
        log.info("sync failed (%s): %s", exc.code, exc.text("en"))
        waiting: int | None = None  # unknown: the status keeps the last count
        try:
            waiting, _ = self._counts()
            with self.db.transaction() as session:
                state.put(session, state.LAST_ERROR, f"{utcnow().isoformat()} {exc}")
        except Exception:  # the store is what failed (busy, full disk): the status bar still tells
            log.exception("could not record the sync failure in the store")
        self.status.set(
            "hq",
            "offline" if _transient(exc) else "warning",
            exc.code,
            waiting=waiting,
            **exc.params,
        )

    def next_delay(self, last: RoundResult) -> float:
        """How long to wait before the next round after ``last``."""
        if last.ok:
            return self.interval
        if last.error is not None and not _transient(last.error):
            return max(self.interval, self.backoff.cap)  # a person must act: retry slowly
        retry_after = getattr(last.error, "retry_after", None)
        return self.backoff.delay(self.failures, retry_after)

    # --- the thread ---------------------------------------------------------------------

    def nudge(self, **_details: object) -> None:
        """Sync soon (after a commit); cheap, from any thread."""
        self._wake.set()

    def retry_now(self) -> None:
        """Sync now, even while backing off after failures (a person just enrolled the till
        again or fixed the address): unlike :meth:`nudge`, this cuts the backoff short."""
        self._retry.set()
        self._wake.set()

    def start(self) -> SyncAgent:
        self._unsubscribe = self._bus.subscribe("outbox_changed", self.nudge)
        self._thread = threading.Thread(target=self._loop, name="sync-agent", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._stop.set()
        self._retry.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            self._retry.clear()
            try:
                result = self.run_once()
            except Exception as exc:  # a bug must not kill the agent: log, back off, go on
                log.exception("sync round failed")
                self.failures += 1
                # not HQ's doing: the till's own code failed (a bug, a store it could not read)
                error = exc if isinstance(exc, PosError) else SyncError("sync_till_error")
                result = RoundResult(ok=False, error=error)
                self._show_failure(error)  # or the till keeps selling on online rules
            delay = self.next_delay(result)
            if not result.ok and self.failures:
                # after a failure a commit does not cut the backoff short; retry_now does
                self._retry.wait(delay)
            else:
                self._wake.wait(delay)

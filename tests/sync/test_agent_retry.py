"""After failures the agent backs off; a person's retry (re-enrolling) cuts the wait short."""

from __future__ import annotations

import threading

from sync.agent import RoundResult, SyncAgent
from sync.errors import SyncError
from terminal import messages
from terminal.events import EventBus
from terminal.status import TillStatus


def test_retry_now_ends_a_backoff_that_commits_do_not() -> None:
    agent = SyncAgent(None, None, TillStatus(), bus=EventBus())  # type: ignore[arg-type]
    rounds: list[str] = []
    first, second = threading.Event(), threading.Event()

    def run_once() -> RoundResult:
        rounds.append("round")
        if len(rounds) == 1:
            agent.failures = 1
            first.set()
            return RoundResult(ok=False, error=SyncError("hq_unreachable"))
        second.set()
        return RoundResult(ok=True)

    agent.run_once = run_once  # type: ignore[method-assign]
    agent.next_delay = lambda _last: 3600.0  # type: ignore[method-assign]  # an hour's backoff
    agent.start()
    try:
        assert first.wait(60)
        agent.nudge()  # a sale committed: no round before the backoff ends
        agent.retry_now()  # the manager enrolled the till again
        assert second.wait(60), "retry_now did not end the backoff"
        assert len(rounds) == 2
    finally:
        agent.stop()


def test_a_failure_in_the_tills_own_sync_code_is_not_blamed_on_hq() -> None:
    """A bug in the round (not HQ's answer) used to show "HQ refused: internal"."""
    status = TillStatus()
    before = status.get("hq").code
    agent = SyncAgent(None, None, status, bus=EventBus())  # type: ignore[arg-type]
    failed = threading.Event()

    def run_once() -> RoundResult:
        failed.set()
        raise RuntimeError("a bug in the till's sync code")

    agent.run_once = run_once  # type: ignore[method-assign]
    agent.next_delay = lambda _last: 3600.0  # type: ignore[method-assign]
    agent.start()
    try:
        assert failed.wait(60)
        for _ in range(6000):  # the status is set right after the round: wait for that, no timing
            if status.get("hq").code != before:
                break
            threading.Event().wait(0.01)
        hq = status.get("hq")
        assert (hq.state, hq.code) == ("warning", "sync_till_error")
        assert "HQ refused" not in messages.render(hq.code, dict(hq.params), "en")
    finally:
        agent.stop()

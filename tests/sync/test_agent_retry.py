"""After failures the agent backs off; a person's retry (re-enrolling) cuts the wait short."""

from __future__ import annotations

import threading

from sync.agent import RoundResult, SyncAgent
from sync.errors import SyncError
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

"""What the till does when HQ answers nonsense or the till's own link cannot be read.

No PostgreSQL here: a tiny HQ on loopback answers whatever the test says.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from sync import engine, state
from sync.agent import SyncAgent
from sync.client import HqClient
from sync.errors import SyncError
from terminal import member_ranges
from terminal.events import EventBus
from terminal.pii import MemberVault
from terminal.status import TillStatus
from terminal.store.database import Database
from tests.sync.hqkit import new_store


class FakeHq:
    """Answers GET /v1/feed with ``pages`` in turn (the last one again and again)."""

    def __init__(self) -> None:
        self.pages: list[dict[str, Any]] = [{"changes": [], "cursor": 0, "more": False, "total": 0}]
        self.ranges: list[dict[str, int]] = []
        self.busy: str | None = None
        """When set: every call is answered 503 with this ``Retry-After``."""
        self.feed_calls = 0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                pass

            def _busy(self) -> None:
                raw = b'{"code": "busy", "message": "busy"}'
                self.send_response(503)
                self.send_header("Retry-After", str(fake.busy))
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def _answer(self, status: int, body: object) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:
                if fake.busy is not None:
                    self._busy()
                elif self.path.startswith("/v1/feed"):
                    fake.feed_calls += 1
                    page = fake.pages[min(fake.feed_calls, len(fake.pages)) - 1]
                    self._answer(200, page)
                else:
                    self._answer(404, {"code": "not_found", "message": "no"})

            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if fake.busy is not None:
                    self._busy()
                elif self.path.startswith("/v1/member-range"):
                    self._answer(200, {"ranges": fake.ranges})
                else:
                    self._answer(404, {"code": "not_found", "message": "no"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_hq() -> Iterator[FakeHq]:
    hq = FakeHq()
    yield hq
    hq.close()


def _linked_till(tmp_path: Path, url: str) -> tuple[Database, MemberVault]:
    db = new_store(tmp_path / "till.sqlite3", "S001", "T01")
    vault = MemberVault.ephemeral()
    with db.transaction() as session:
        state.save_link(session, vault, state.Link(url, "cred"))
    return db, vault


def _page(changes: list[dict[str, Any]], cursor: int, *, more: bool = False) -> dict[str, Any]:
    return {"changes": changes, "cursor": cursor, "more": more, "total": len(changes)}


def test_a_feed_row_hq_garbled_is_a_coded_message_and_the_till_sells_offline(
    fake_hq: FakeHq, tmp_path: Path
) -> None:
    db, vault = _linked_till(tmp_path, fake_hq.url)
    bad = {"seq": 1, "entity": "category", "key": "c1", "op": "upsert",
           "data": {"id": "c1", "name": "x", "updated_at": "yesterday-ish"}}  # fmt: skip
    fake_hq.pages = [_page([bad], 1)]
    status = TillStatus(EventBus())
    status.set("hq", "ok", "hq_synced", waiting=0)  # the round before went well
    result = SyncAgent(db, vault, status, bus=EventBus()).run_once()
    assert isinstance(result.error, SyncError)
    assert result.error.code == "hq_bad_answer"
    assert not status.hq_reachable()
    assert status.get("hq").code == "hq_bad_answer"
    with db.sessions() as session:
        assert state.cursor(session) == 0  # nothing of that page was taken


def test_a_feed_that_says_more_without_moving_on_is_not_followed_forever(
    fake_hq: FakeHq, tmp_path: Path
) -> None:
    db, _vault = _linked_till(tmp_path, fake_hq.url)
    stuck = _page([], 0, more=True)
    fake_hq.pages = [stuck] * 5 + [_page([], 0)]  # ends after 5 pages, should HQ be followed
    client = HqClient(fake_hq.url, "cred")
    try:
        with pytest.raises(SyncError) as refused:
            engine.pull(db, client)
    finally:
        client.close()
    assert refused.value.code == "hq_bad_answer"
    assert fake_hq.feed_calls == 1


def test_a_round_that_fails_before_reaching_hq_still_takes_the_till_offline(
    tmp_path: Path,
) -> None:
    """The sealed credential does not open (the key file was replaced): the status bar must
    stop saying HQ is in sync, or the till keeps selling on online rules."""
    db, _vault = _linked_till(tmp_path, "http://127.0.0.1:9")
    status = TillStatus(EventBus())
    status.set("hq", "ok", "hq_synced", waiting=0)
    agent = SyncAgent(db, MemberVault.ephemeral(), status, bus=EventBus(), interval=3600)
    agent.start()
    try:
        for _ in range(300):
            if status.get("hq").state != "ok":
                break
            time.sleep(0.1)
    finally:
        agent.stop()
    assert not status.hq_reachable()
    assert status.get("hq").code == "member_key_missing"  # the coded reason, in words


def test_a_member_number_block_hq_gave_backwards_is_not_kept_and_the_round_goes_on(
    fake_hq: FakeHq, tmp_path: Path
) -> None:
    db, vault = _linked_till(tmp_path, fake_hq.url)
    fake_hq.ranges = [{"first": 20_000, "last": 10_001}]
    status = TillStatus(EventBus())
    result = SyncAgent(db, vault, status, bus=EventBus()).run_once()
    assert result.ok, result.error
    assert status.get("hq").code == "hq_synced"
    with db.sessions() as session:
        assert member_ranges.blocks(session) == []  # registrations number as before


@pytest.mark.parametrize("asked", ["inf", "1e300", "86400000"])
def test_a_retry_after_beyond_reason_is_a_wait_the_agent_can_keep(
    fake_hq: FakeHq, tmp_path: Path, asked: str
) -> None:
    """A proxy or a broken HQ asks for forever: the till says HQ is busy and tries again
    within the hour, instead of the round (or the agent's thread) dying on the number."""
    db, vault = _linked_till(tmp_path, fake_hq.url)
    fake_hq.busy = asked
    status = TillStatus(EventBus())
    agent = SyncAgent(db, vault, status, bus=EventBus())
    result = agent.run_once()
    assert isinstance(result.error, SyncError) and result.error.code == "hq_busy"
    assert status.get("hq").state == "offline"
    assert 0 < agent.next_delay(result) <= 3600

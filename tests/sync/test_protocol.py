"""The wire: version gate, credentials, per-record answers, parking, Retry-After, the spec."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select

from sync import engine, protocol
from sync.agent import Backoff, SyncAgent
from sync.client import HqClient, check_url
from sync.errors import SyncError
from sync.hq import admin
from sync.hq.cli import openapi_json
from sync.hq.db import HqDatabase
from sync.hq.models import HqRecord
from terminal.status import TillStatus
from terminal.store.models import OutboxRow
from tests.sync.hqkit import HqServer, enrolled_till
from tests.terminal.tillkit import ring

ROOT = Path(__file__).resolve().parents[2]


def test_the_openapi_spec_in_docs_is_current() -> None:
    kept = (ROOT / "docs" / "hq-openapi.json").read_text(encoding="utf-8")
    assert kept == openapi_json(), "run: posterm-hq openapi --out docs/hq-openapi.json"


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://hq.example.com/", True),
        ("http://127.0.0.1:8765", True),
        ("http://localhost:8765", True),
        ("http://[::1]:8765", True),
        ("http://192.168.1.10:8765", False),
        ("http://hq.example.com", False),
        ("ftp://hq.example.com", False),
    ],
)
def test_plain_http_only_to_loopback(url: str, ok: bool) -> None:
    if ok:
        assert not check_url(url).endswith("/")
    else:
        with pytest.raises(SyncError) as refused:
            check_url(url)
        assert refused.value.code == "hq_insecure_url"


def test_an_old_terminal_is_told_to_upgrade_not_crashed(hq: HqServer) -> None:
    answer = requests.get(f"{hq.url}/v1/feed", headers={protocol.VERSION_HEADER: "0"}, timeout=10)
    assert answer.status_code == 426
    body = protocol.UpgradeNeeded.model_validate_json(answer.content)
    assert body.max_version == protocol.VERSION and "upgrade posterm" in body.message
    client = HqClient(hq.url, "whatever")
    client.session.headers[protocol.VERSION_HEADER] = "99"
    with pytest.raises(SyncError) as refused:
        client.feed(0)
    assert refused.value.code == "hq_upgrade_needed" and not refused.value.transient


def test_every_call_needs_a_known_credential(hq: HqServer) -> None:
    for credential in (None, "forged"):
        with pytest.raises(SyncError) as refused:
            HqClient(hq.url, credential).me()
        assert refused.value.code == "hq_bad_credential"


def test_a_record_naming_another_till_is_parked_and_the_rest_go_on(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    sku = "SKU000001"
    sales = [ring(a.shop, [(sku, 1)]) for _ in range(3)]
    with a.db.transaction() as session:  # the middle one claims to come from another till
        row = session.scalars(
            select(OutboxRow).where(OutboxRow.record_id == sales[1].sale_id)
        ).one()
        row.payload = {**row.payload, "terminal_id": "someone-else"}
    pushed, _ = a.sync()
    assert (pushed.sent, pushed.parked) == (2, 1)
    with a.db.sessions() as session:
        parked = engine.parked(session)
        assert [p.record_id for p in parked] == [sales[1].sale_id]
        assert "other_terminal" in parked[0].last_error
        assert engine.waiting(session) == 0
    pushed, _ = a.sync()  # parked: never sent again
    assert pushed.sent == pushed.parked == 0


def test_a_record_the_till_cannot_read_is_parked_at_the_till_and_the_rest_go_on(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    """A damaged outbox row (its payload no longer JSON) used to fail every push, so no
    later sale reached HQ; now the till parks it, says why, and sends the others."""
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    sales = [ring(a.shop, [("SKU000001", 1)]) for _ in range(3)]
    raw = sqlite3.connect(a.db.path)
    raw.execute(
        "UPDATE outbox SET payload = ? WHERE record_id = ?", ('{"record": "sa', sales[1].sale_id)
    )
    raw.commit()
    raw.close()
    pushed, _ = a.sync()
    assert (pushed.sent, pushed.parked) == (2, 1)
    with a.db.sessions() as session:
        parked = engine.parked(session)
        assert [p.record_id for p in parked] == [sales[1].sale_id]
        assert parked[0].last_error.startswith(engine.UNREADABLE)
        assert engine.parked_count(session) == 1 and engine.waiting(session) == 0
    with hq_db.transaction() as session:
        at_hq = {r.id for r in session.scalars(select(HqRecord))}
    assert {sales[0].sale_id, sales[2].sale_id} <= at_hq and sales[1].sale_id not in at_hq
    pushed, _ = a.sync()  # parked: never tried again
    assert pushed.sent == pushed.parked == 0


def test_a_request_hq_cannot_read_is_refused_like_any_other_naming_fields_not_values(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    """FastAPI's own 422 said {"detail": [...]} with the values it could not read (a
    phone number among them); HQ answers {"code", "message"} as for every refusal."""
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    client = a.client()
    bad = {"id": "not-a-uuid", "kind": "sale", "payload": {"phone": "13912345678"}}
    answer = client.session.post(f"{hq.url}/v1/push", json={"records": [bad]}, timeout=10)
    assert answer.status_code == 422
    body = protocol.ErrorBody.model_validate_json(answer.content)
    assert body.code == "invalid_request" and "records.0" in body.message
    assert "13912345678" not in answer.text and "not-a-uuid" not in answer.text


def test_a_malformed_record_is_rejected_with_a_reason(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    bad = protocol.PushRecord(
        id="0b4a8d6e-0000-4000-8000-000000000001",
        kind="sale",
        payload={"record": "sale", "id": "0b4a8d6e-0000-4000-8000-000000000001"},
        created_at=datetime.now(UTC),
    )
    answer = a.client().push(protocol.PushBatch(records=[bad]))
    assert answer.results[0].outcome == "rejected"
    assert answer.results[0].reason.startswith("invalid_record")


def test_the_agent_fills_the_status_and_honours_retry_after(
    hq_db: HqDatabase, tmp_path: Path
) -> None:
    busy = HqServer(hq_db, max_in_flight=0).start()  # every /v1 call: 503, Retry-After: 1
    try:
        with hq_db.transaction() as session:
            admin.add_store(session, "S101", "S101")
        ok = HqServer(hq_db).start()
        try:
            a = enrolled_till(hq_db, ok.url, tmp_path / "a.sqlite3", "S101", "T01")
            a.sync()
        finally:
            ok.stop()
        ring(a.shop, [("SKU000001", 1)])
        status = TillStatus()
        agent = SyncAgent(a.db, a.vault, status, backoff=Backoff(base=0.001, rng=lambda: 1.0))
        from sync import state

        with a.db.transaction() as session:
            state.put(session, state.URL, busy.url)
        result = agent.run_once()
        assert result.error is not None and result.error.code == "hq_busy"
        assert result.error.retry_after == 1.0
        assert agent.next_delay(result) == 1.0  # longer than the backoff: HQ's word wins
        hq_part = status.get("hq")
        assert (hq_part.state, hq_part.code, hq_part.waiting) == ("offline", "hq_busy", 1)
    finally:
        busy.stop()


def test_backoff_grows_with_full_jitter_up_to_its_cap() -> None:
    backoff = Backoff(base=2, cap=60, rng=lambda: 1.0)
    assert [backoff.delay(n) for n in range(8)] == [0, 2, 4, 8, 16, 32, 60, 60]
    assert Backoff(base=2, cap=60, rng=lambda: 0.25).delay(3) == 2.0
    assert backoff.delay(1, retry_after=30) == 30


def test_push_and_feed_bodies_are_gzipped(hq: HqServer, hq_db: HqDatabase, tmp_path: Path) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    client = a.client()
    sent: list[requests.PreparedRequest] = []
    received: list[str] = []

    def watch(response: requests.Response, **_kw: object) -> None:
        sent.append(response.request)
        received.append(response.headers.get("Content-Encoding", ""))

    client.session.hooks["response"].append(watch)
    page = client.feed(0, 500)
    assert len(page.changes) == 500 and page.more
    assert received == ["gzip"]
    client.push(protocol.PushBatch(records=[]))
    assert sent[-1].headers["Content-Encoding"] == "gzip"


def test_golden_push_batch_round_trips() -> None:
    golden = ROOT / "tests" / "sync" / "golden" / "push_batch.json"
    batch = protocol.PushBatch.model_validate_json(golden.read_text(encoding="utf-8"))
    assert json.loads(batch.model_dump_json()) == json.loads(golden.read_text(encoding="utf-8"))


def test_the_agent_syncs_right_after_a_commit(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    import threading

    from sync.hq.models import HqRecord
    from terminal import events

    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    status = TillStatus()
    synced = threading.Event()
    agent = SyncAgent(a.db, a.vault, status, interval=3600, bus=events.bus)
    rounds: list[bool] = []
    original = agent.run_once

    def counted() -> Any:
        result = original()
        rounds.append(result.ok)
        synced.set()
        return result

    agent.run_once = counted  # type: ignore[method-assign]
    agent.start()
    try:
        assert synced.wait(60) and rounds == [True]  # the first round: bootstrap
        synced.clear()
        sale = ring(a.shop, [("SKU000001", 1)])  # commits, announces outbox_changed
        assert synced.wait(60), "the agent did not wake up after the commit"
        assert rounds == [True, True]
    finally:
        agent.stop()
    with hq_db.transaction() as session:
        assert session.get(HqRecord, sale.sale_id) is not None
    assert status.get("hq").code == "hq_synced"

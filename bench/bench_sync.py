"""Sync figures: drain a till's queue, HQ ingest with two tills pushing, bootstrap a new till.

    PYTHONPATH=. .venv/bin/python bench/bench_sync.py [--sales 10000] [--members 100000]
        [--products 20000]

Everything runs on this machine: a real uvicorn HQ on loopback (one process,
FastAPI's thread pool) over the local PostgreSQL (a fresh database, dropped at
the end), and tills with real SQLite stores. Queued sales are copies of one
real member sale (new UUIDs for the sale, its lines, payments and points
entries), written straight into the outbox, so the figures measure sync, not
checkout.

1. drain: one till pushes ``--sales`` queued sales (batches of 200). Target < 30 s.
2. ingest: two tills push ``--sales``/2 each at the same time. Target >= 500 sales/s.
3. bootstrap: HQ holds ``--members`` members and ``--products`` products; a new
   till pulls all of it from cursor 0 and applies it. Target < 60 s.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests
from sqlalchemy import insert, select

from sync import engine
from sync.hq import admin, feed
from sync.hq.db import HqDatabase
from terminal.demo import build_demo
from terminal.store.database import Database
from terminal.store.models import Member, OutboxRow, Product
from terminal.store.types import utcnow
from tests.conftest import DEMO_NOW
from tests.sync.hqkit import HqServer, Till, enrolled_till, pg_database
from tests.terminal.tillkit import ring


def _template_sale(till: Till) -> dict[str, Any]:
    with till.db.sessions() as session:
        member = session.scalars(select(Member.member_no).limit(1)).one()
        skus = list(session.scalars(select(Product.sku).where(Product.sold_by == "unit").limit(5)))
    sale = ring(till.shop, [(s, 2) for s in skus], member=member)
    with till.db.transaction() as session:
        row = session.scalars(select(OutboxRow).where(OutboxRow.record_id == sale.sale_id)).one()
        payload = dict(row.payload)
        session.delete(row)
    return payload


def _queue(till: Till, template: dict[str, Any], count: int, prefix: str) -> None:
    def fresh(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**item, "id": str(uuid.uuid4())} for item in items]

    rows = []
    now = utcnow()
    for n in range(count):
        sale_id = str(uuid.uuid4())
        payload = {
            **template,
            "id": sale_id,
            "receipt_no": f"{prefix}-{n:08d}",
            "seq": n + 2,
            "lines": fresh(template["lines"]),
            "payments": fresh(template["payments"]),
            "points": fresh(template["points"]),
        }
        rows.append(
            {
                "record_id": sale_id,
                "kind": "sale",
                "payload": payload,
                "created_at": now,
                "attempts": 0,
                "last_error": "",
                "updated_at": now,
            }
        )
    with till.db.transaction() as session:
        session.execute(insert(OutboxRow), rows)


def _push_all(till: Till) -> int:
    client = till.client()
    try:
        return engine.push(till.db, client, till.vault).sent
    finally:
        client.close()


class _HqProcess:
    """``posterm-hq serve`` in its own process (as a chain runs it), on a free loopback port."""

    def __init__(self, url: str) -> None:
        self.db_url = url
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> _HqProcess:
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sync.hq.cli",
                "--db",
                self.db_url,
                "serve",
                "--port",
                str(self.port),
            ],
            stderr=subprocess.DEVNULL,
        )
        for _ in range(300):
            try:
                if requests.get(f"{self.url}/health", timeout=1).ok:
                    return self
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("posterm-hq serve did not start")

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument(
        "--in-process",
        dest="hq_process",
        action="store_false",
        help="run HQ on a thread of this process (shares the GIL with the tills)",
    )
    args = parser.parse_args()
    print(f"HQ: {'posterm-hq serve, its own process' if args.hq_process else 'in process'}")
    work = Path(tempfile.mkdtemp(prefix="bench-sync-"))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    demo = Database(work / "demo.sqlite3")
    build_demo(demo, products=520, members=200, now=DEMO_NOW)
    demo.close()
    with pg_database() as url:
        hq_db = HqDatabase(url)
        with hq_db.transaction() as session:
            admin.import_store(session, work / "demo.sqlite3")
        server = _HqProcess(url).start() if args.hq_process else HqServer(hq_db).start()
        try:
            a = enrolled_till(hq_db, server.url, work / "a.sqlite3", "S101", "T01")
            a.sync()
            template = _template_sale(a)

            _queue(a, template, args.sales, "A")
            t0 = time.perf_counter()
            sent = _push_all(a)
            took = time.perf_counter() - t0
            print(f"drain: {sent} sales in {took:.1f} s ({sent / took:.0f} sales/s); target < 30 s")

            b = enrolled_till(hq_db, server.url, work / "b.sqlite3", "S102", "T01")
            c = enrolled_till(hq_db, server.url, work / "c.sqlite3", "S103", "T01")
            for till, prefix in ((b, "B"), (c, "C")):
                till.sync()
                _queue(
                    till,
                    {**template, "terminal_id": till.shop.settings.terminal_id},
                    args.sales // 2,
                    prefix,
                )
            counts: list[int] = []
            threads = [
                threading.Thread(target=lambda t=t: counts.append(_push_all(t))) for t in (b, c)
            ]
            t0 = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            took = time.perf_counter() - t0
            total = sum(counts)
            print(
                f"ingest, two tills at once: {total} sales in {took:.1f} s "
                f"({total / took:.0f} sales/s); target >= 500 sales/s"
            )

            with hq_db.transaction() as session:
                feed.publish_many(
                    session,
                    "category",
                    [("BENCH", {"id": "BENCH", "name": "bench", "parent_id": None})],
                )
                feed.publish_many(
                    session,
                    "product",
                    [
                        (
                            pid,
                            {
                                "id": pid,
                                "sku": f"B{n:07d}",
                                "name": f"商品 {n}",
                                "category_id": "BENCH",
                                "price": 100 + n % 5000,
                                "unit": "件",
                                "discountable": True,
                                "earns_points": True,
                                "active": True,
                                "sold_by": "unit",
                                "plu": None,
                                "vat": "13",
                            },
                        )
                        for n in range(args.products)
                        for pid in [str(uuid.uuid4())]
                    ],
                )
                feed.publish_many(
                    session,
                    "member",
                    [
                        (
                            mid,
                            {
                                "id": mid,
                                "member_no": f"B{n:08d}",
                                "tier_code": "normal",
                                "status": "active",
                                "referrer_no": None,
                                "created_at": "2026-01-01T00:00:00+00:00",
                            },
                        )
                        for n in range(args.members)
                        for mid in [str(uuid.uuid4())]
                    ],
                )
            d = enrolled_till(hq_db, server.url, work / "d.sqlite3", "S104", "T01")
            client = d.client()
            t0 = time.perf_counter()
            pulled = engine.pull(d.db, client)
            took = time.perf_counter() - t0
            client.close()
            print(
                f"bootstrap: {pulled.changes} changes ({args.members} members, "
                f"{args.products} products) in {took:.1f} s; target < 60 s"
            )
        finally:
            server.stop()
            hq_db.close()


if __name__ == "__main__":
    main()

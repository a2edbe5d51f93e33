"""Test kit for sync: a real PostgreSQL database per test, a real uvicorn HQ, real tills."""

from __future__ import annotations

import os
import socket
import subprocess
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from sync import engine
from sync.client import HqClient
from sync.enrollment import enroll
from sync.hq import admin, cli
from sync.hq.app import create_app
from sync.hq.db import HqDatabase
from sync.hq.models import HqStore
from terminal import auth, shifts
from terminal.checkout_settings import CheckoutSettings
from terminal.initialise import initialise_store
from terminal.pii import MemberVault
from terminal.store.database import Database
from terminal.store.models import Terminal
from tests.conftest import DEMO_NOW, SHANGHAI
from tests.terminal.tillkit import PINS, Shop, login

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def ensure_postgres() -> None:
    """Start the machine's PostgreSQL cluster when it is down."""
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=1):
            return
    except OSError:
        pass
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=True
    )


@contextmanager
def pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one test; dropped afterwards."""
    ensure_postgres()
    name = f"hqtest_{os.environ.get('PYTEST_XDIST_WORKER', 'w')}_{uuid.uuid4().hex[:10]}"
    admin_engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()


class HqServer:
    """A real uvicorn serving the HQ app on a loopback port, in a thread; restartable."""

    def __init__(self, db: HqDatabase, port: int = 0, **app_options: object) -> None:
        self.db = db
        self.port = port
        self.app_options = app_options
        self._server: object = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> HqServer:
        import uvicorn

        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", self.port))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            create_app(self.db, **self.app_options),  # type: ignore[arg-type]
            log_level="warning",
            timeout_graceful_shutdown=5,
        )
        server = uvicorn.Server(config)
        self._server = server
        self._thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="hq-uvicorn"
        )
        self._thread.start()
        started = threading.Event()
        while not server.started:
            if not self._thread.is_alive():
                raise RuntimeError("HQ server did not start")
            started.wait(0.01)
        return self

    def stop(self) -> None:
        server = self._server
        if server is not None:
            server.should_exit = True  # type: ignore[attr-defined]
        if self._thread is not None:
            self._thread.join(15)
        self._server = None


@dataclass
class Till:
    """A till with its own store, enrolled with HQ."""

    db: Database
    vault: MemberVault
    shop: Shop
    store_code: str
    terminal_code: str
    url: str

    def client(self) -> HqClient:
        from sync import state

        with self.db.sessions() as session:
            link = state.load_link(session, self.vault)
        assert link is not None
        return HqClient(self.url, link.credential)

    def sync(self) -> tuple[engine.PushOutcome, engine.PullOutcome]:
        client = self.client()
        try:
            return engine.push(self.db, client, self.vault), engine.pull(self.db, client)
        finally:
            client.close()


def new_store(path: Path, store_code: str, terminal_code: str) -> Database:
    """An empty till store as ``posterm init`` makes it, with one user per role."""
    db = Database(path)
    initialise_store(
        db,
        store_code=store_code,
        store_name=f"门店 {store_code}",
        address="",
        timezone="Asia/Shanghai",
        terminal_code=terminal_code,
        admin_username=PINS["admin"][0],
        admin_name="admin",
        admin_pin=PINS["admin"][1],
    )
    admin_actor = login(db, "admin")
    with db.transaction() as session:
        for role in ("cashier", "supervisor", "manager"):
            auth.create_user(
                session,
                username=PINS[role][0],
                display_name=role,
                role=role,
                pin=PINS[role][1],
                by=admin_actor,
            )
    return db


def enrolled_till(
    hq: HqDatabase, url: str, path: Path, store_code: str, terminal_code: str
) -> Till:
    """A new till: registered at HQ, enrolled with a one-time code, shift open; not yet pulled."""
    with hq.transaction() as session:
        if not session.scalars(select(HqStore).where(HqStore.code == store_code)).first():
            admin.add_store(session, store_code, store_code)
    with hq.transaction() as session:
        admin.add_terminal(session, store_code, terminal_code)
        code = admin.enroll_code(session, store_code, terminal_code)
    db = new_store(path, store_code, terminal_code)
    vault = MemberVault.ephemeral()
    with db.sessions() as session:
        terminal_id = session.query(Terminal).one().id
    enroll(
        db,
        vault,
        url,
        code,
        store_code=store_code,
        terminal_code=terminal_code,
        terminal_id=terminal_id,
        actor=login(db, "admin"),
    )
    settings = CheckoutSettings(
        terminal_id=terminal_id, receipt_prefix=f"{store_code}{terminal_code}-", tz=SHANGHAI
    )
    shop = Shop(
        db,
        settings,
        login(db, "cashier"),
        login(db, "supervisor"),
        login(db, "manager"),
        DEMO_NOW,
    )
    with db.transaction() as session:
        shifts.open_shift(
            session,
            terminal_id=terminal_id,
            actor=shop.cashier,
            opening_float=50_000,
            now=DEMO_NOW,
        )
    return Till(db, vault, shop, store_code, terminal_code, url)


def hq_cli(hq_db: HqDatabase, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run ``posterm-hq`` on HQ's database; its output (exit code 0 asserted)."""
    capsys.readouterr()
    code = cli.main(["--db", hq_db.url, *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def hq_cli_refused(hq_db: HqDatabase, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    """Run ``posterm-hq`` expecting a refusal (exit code 2); what it said on stderr."""
    capsys.readouterr()
    assert cli.main(["--db", hq_db.url, *args]) == 2
    return capsys.readouterr().err

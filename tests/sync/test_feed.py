"""The change feed: changes, deactivations and deletions reach tills; an old cursor resyncs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from sync import engine, mirror, state
from sync.errors import SyncError
from sync.hq import feed
from sync.hq.db import HqDatabase
from sync.hq.models import HqEntity
from terminal import registration
from terminal.store.models import Category, Member, Product, ProductBarcode
from tests.conftest import DEMO_NOW
from tests.sync.hqkit import HqServer, enrolled_till


def _product(hq_db: HqDatabase, sku: str) -> HqEntity:
    with hq_db.transaction() as session:
        for row in session.scalars(select(HqEntity).where(HqEntity.entity == "product")):
            if row.data["sku"] == sku:
                session.expunge(row)
                return row
    raise AssertionError(sku)


def test_changes_deactivations_and_deletions_reach_the_till(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    one, two = _product(hq_db, "SKU000001"), _product(hq_db, "SKU000002")
    with a.db.sessions() as session:
        barcode = session.scalars(
            select(ProductBarcode.barcode).where(ProductBarcode.product_id == two.key)
        ).first()
    assert barcode is not None
    with hq_db.transaction() as session:
        feed.publish(session, "product", one.key, {**one.data, "price": 1234})
        feed.publish(session, "product", two.key, two.data, deleted=True)
        feed.publish(session, "product_barcode", barcode, {}, deleted=True)
    _, pulled = a.sync()
    assert pulled.changes == 3
    with a.db.sessions() as session:
        assert session.get(Product, one.key).price == 1234  # type: ignore[union-attr]
        # a product sales point at is deactivated, never deleted
        assert session.get(Product, two.key).active is False  # type: ignore[union-attr]
        assert session.get(ProductBarcode, barcode) is None


def test_a_cursor_older_than_hq_keeps_makes_the_till_pull_from_zero(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path
) -> None:
    """Rows deleted at HQ whose tombstones were dropped do not stay alive at the till."""
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    with hq_db.transaction() as session:
        feed.publish(session, "category", "GONE", {"id": "GONE", "name": "停售", "parent_id": None})
    a.sync()
    with a.db.sessions() as session:
        old = state.cursor(session)
        products = session.scalar(select(func.count()).where(Product.active.is_(True)))
        barcodes = session.scalar(select(func.count()).select_from(ProductBarcode))
        members = session.scalar(select(func.count()).select_from(Member))
        assert session.get(Category, "GONE") is not None
    one = _product(hq_db, "SKU000001")
    with hq_db.transaction() as session:
        feed.publish(session, "product", one.key, one.data, deleted=True)
        feed.publish(session, "category", "GONE", {}, deleted=True)
        feed.page(session, 0, 1)  # numbers them
        feed.drop_tombstones(session, old + 10)
    with a.db.transaction() as session:  # registered here, not pushed yet: HQ cannot know it
        local = registration.register_member(
            session,
            a.vault,
            phone="13800138000",
            name="王小明",
            birthday_month=None,
            birthday_day=None,
            consent_data=True,
            consent_marketing=False,
            actor=None,
            now=DEMO_NOW,
        ).member.id
    client = a.client()
    try:
        pulled = engine.pull(a.db, client)
    finally:
        client.close()
    assert pulled.resynced and pulled.changes > 500
    with a.db.sessions() as session:
        assert state.cursor(session) >= old
        assert not mirror.pending(session)
        # HQ forgot the deletions, the full feed did not name the rows: gone here too
        assert session.get(Product, one.key).active is False  # type: ignore[union-attr]
        assert session.get(Category, "GONE") is None
        # everything else as it was
        assert session.scalar(select(func.count()).where(Product.active.is_(True))) == (
            products - 1
        )
        assert session.scalar(select(func.count()).select_from(ProductBarcode)) == barcodes
        assert session.scalar(select(func.count()).select_from(Member)) == members + 1
        assert session.get(Member, local) is not None


def test_a_full_pull_cut_short_starts_again_from_zero_and_still_removes_what_hq_dropped(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    with a.db.sessions() as session:
        old = state.cursor(session)
    one = _product(hq_db, "SKU000001")
    with hq_db.transaction() as session:
        feed.publish(session, "product", one.key, one.data, deleted=True)
        feed.page(session, 0, 1)
        feed.drop_tombstones(session, old + 10)
    monkeypatch.setattr(engine, "CHUNK", 100)
    applied = engine._apply_chunk
    calls = 0

    def cut(*args: object, **kwargs: object) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise SyncError("hq_unreachable", detail="the power went out")
        applied(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "_apply_chunk", cut)
    with pytest.raises(SyncError):
        a.sync()
    with a.db.sessions() as session:
        assert mirror.pending(session)
        assert session.get(Product, one.key).active is True  # type: ignore[union-attr]
    monkeypatch.setattr(engine, "_apply_chunk", applied)
    _, pulled = a.sync()
    assert pulled.resynced and pulled.changes > 500  # from zero again, not from the cut
    with a.db.sessions() as session:
        assert not mirror.pending(session)
        assert session.get(Product, one.key).active is False  # type: ignore[union-attr]


def test_a_change_committed_late_is_never_skipped(hq_db: HqDatabase) -> None:
    """Numbers are given at read time, so a slow writer's change still lands after the cursor."""
    with hq_db.transaction() as session:
        top = feed.page(session, 0, 1).total
        cursor = feed.page(session, top - 1, 10).cursor
    slow = hq_db.engine.connect()
    tx = slow.begin()
    from sqlalchemy.orm import Session

    writer = Session(bind=slow)
    feed.publish(writer, "category", "late", {"id": "late", "name": "late", "parent_id": None})
    writer.flush()
    with hq_db.transaction() as session:
        feed.publish(session, "category", "early", {"id": "early", "name": "e", "parent_id": None})
    with hq_db.transaction() as session:
        first = feed.page(session, cursor, 100)
    assert [c.key for c in first.changes] == ["early"]
    tx.commit()
    writer.close()
    slow.close()
    with hq_db.transaction() as session:
        second = feed.page(session, first.cursor, 100)
    assert [c.key for c in second.changes] == ["late"]


def test_a_pull_is_applied_in_chunks_even_when_a_parent_was_renumbered_after_its_child(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    a.sync()
    with a.db.sessions() as session:
        before = state.cursor(session)
    template = _product(hq_db, "SKU000001")
    category = {"id": "NEW", "name": "新品", "parent_id": None}
    product = {**template.data, "id": "P-NEW", "sku": "SKUNEW01", "category_id": "NEW"}
    with hq_db.transaction() as session:
        feed.publish(session, "category", "NEW", category)
        feed.publish(session, "product", "P-NEW", product)
        feed.page(session, 0, 1)  # numbered: the category first
        feed.publish(session, "category", "NEW", {**category, "name": "新品上市"})
    monkeypatch.setattr(engine, "CHUNK", 1)  # the product alone in the first chunk
    _, pulled = a.sync()
    assert pulled.changes == 2
    with a.db.sessions() as session:
        assert session.get(Product, "P-NEW") is not None
        assert state.cursor(session) == pulled.cursor > before


def test_a_bootstrap_in_small_chunks_loads_the_same_store(
    hq: HqServer, hq_db: HqDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import func

    from sync import engine

    monkeypatch.setattr(engine, "CHUNK", 97)
    a = enrolled_till(hq_db, hq.url, tmp_path / "a.sqlite3", "S101", "T01")
    _, pulled = a.sync()
    assert pulled.changes > 1000
    with a.db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Product)) == 525
        assert state.cursor(session) == pulled.cursor

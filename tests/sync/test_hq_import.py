"""``posterm-hq import``: files loaded at HQ with the till's importer reach the tills by sync."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from sync.hq.cli import main
from sync.hq.db import HqDatabase
from sync.hq.models import HqEntity, HqRecord
from terminal.membercodes import accept, encode_dynamic
from terminal.store.models import Category, Member, MemberKey, Product, PromotionRow, Tier
from tests.conftest import DEMO_NOW
from tests.sync.hqkit import HqServer, enrolled_till
from tests.terminal.tillkit import ring

CATEGORIES = "id,name,parent\nC-DRINK,饮料,C-FOOD\nC-SNACK,零食,C-FOOD\nC-FOOD,食品,\n"
PRODUCTS = (
    "sku,name,category,price,barcodes\n"
    "SKU200001,矿泉水 550ml,C-DRINK,2.00,6970000000017\n"
    "SKU200002,薯片 70g,零食,7.90,\n"  # a category name HQ knows
    "SKU200003,饼干 100g,烘焙,5.50,\n"  # a new category, named in the file
)


@pytest.fixture
def empty_hq(pg_url: str) -> Iterator[tuple[HqDatabase, HqServer, str]]:
    """HQ on a fresh PostgreSQL database, holding nothing yet, and serving."""
    db = HqDatabase(pg_url)
    server = HqServer(db).start()
    yield db, server, pg_url
    server.stop()
    db.close()


def hq_import(
    url: str, kind: str, path: Path, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    code = main(["--db", url, "import", kind, str(path)])
    out = capsys.readouterr()
    return code, out.out, out.err


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def feed_state(db: HqDatabase) -> list[tuple[str, str, bool, str]]:
    with db.transaction() as session:
        return [
            (e.entity, e.key, e.deleted, json.dumps(e.data, sort_keys=True))
            for e in session.scalars(select(HqEntity).order_by(HqEntity.entity, HqEntity.key))
        ]


def test_products_imported_at_hq_reach_a_till_by_sync_and_sell(
    empty_hq: tuple[HqDatabase, HqServer, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, server, url = empty_hq
    assert hq_import(url, "categories", write(tmp_path, "c.csv", CATEGORIES), capsys)[0] == 0
    code, out, _ = hq_import(url, "products", write(tmp_path, "p.csv", PRODUCTS), capsys)
    assert code == 0
    assert "3 created" in out and "1 categories created" in out

    till = enrolled_till(db, server.url, tmp_path / "a.sqlite3", "S101", "T01")
    till.sync()
    with till.db.sessions() as session:
        products = {p.sku: p for p in session.scalars(select(Product))}
        assert {sku: p.price for sku, p in products.items()} == {
            "SKU200001": 200,
            "SKU200002": 790,
            "SKU200003": 550,
        }
        assert products["SKU200002"].category_id == "C-SNACK"  # found by name at HQ
        assert session.get(Category, "烘焙") is not None
        assert session.get(Category, "C-DRINK").parent_id == "C-FOOD"  # type: ignore[union-attr]
    sale = ring(till.shop, [("6970000000017", 2), ("SKU200003", 1)])  # by barcode and SKU
    assert sale.payable == 2 * 200 + 550
    till.sync()
    with db.transaction() as session:
        record = session.get(HqRecord, sale.sale_id)
        assert record is not None and record.payload["payable"] == sale.payable

    # a later file of prices changes the product HQ has (same row), and only that
    code, out, _ = hq_import(
        url, "products", write(tmp_path, "prices.csv", "sku,price\nSKU200001,1.80\n"), capsys
    )
    assert code == 0 and "published: product 1" in out
    _, pulled = till.sync()
    assert pulled.changes == 1
    with till.db.sessions() as session:
        water = session.scalars(select(Product).where(Product.sku == "SKU200001")).one()
        assert (water.id, water.price) == (products["SKU200001"].id, 180)


def test_a_file_with_a_bad_row_names_it_and_leaves_hq_unchanged(
    empty_hq: tuple[HqDatabase, HqServer, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, _, url = empty_hq
    assert hq_import(url, "products", write(tmp_path, "p.csv", PRODUCTS), capsys)[0] == 0
    before = feed_state(db)
    bad = (
        "sku,name,category,price\n"
        "SKU200001,矿泉水,C-DRINK,2.20\n"  # a good change: must not be published alone
        "SKU200009,新品,C-DRINK,3.999\n"
        "SKU200010,,C-DRINK,4\n"
    )
    code, out, err = hq_import(url, "products", write(tmp_path, "bad.csv", bad), capsys)
    assert code == 2 and out == ""
    assert "bad.csv: row 3, price: at most 2 decimal places" in err
    assert "bad.csv: row 4, name: is required for a new record" in err
    assert "nothing was imported" in err
    assert feed_state(db) == before


def test_json_files_import_products_and_promotions(
    empty_hq: tuple[HqDatabase, HqServer, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db, server, url = empty_hq
    products = [
        {"sku": "SKU300001", "name": "牛奶 250ml", "category": "乳制品", "price": 3.50},
        {"sku": "SKU300002", "name": "酸奶 200g", "category": "乳制品", "price": 4},
    ]
    promotions = [
        {
            "id": "P-MILK",
            "kind": "special_price",
            "name": "特价 牛奶",
            "skus": ["SKU300001"],
            "price": 300,
        }
    ]
    for kind, data in (("products", products), ("promotions", promotions)):
        path = write(tmp_path, f"{kind}.json", json.dumps(data, ensure_ascii=False))
        assert hq_import(url, kind, path, capsys)[0] == 0
    unknown = [dict(promotions[0], id="P-GHOST", skus=["SKU399999"])]
    code, _, err = hq_import(
        url, "promotions", write(tmp_path, "x.json", json.dumps(unknown)), capsys
    )
    assert code == 2 and "x.json: row 1, skus: not in the store: SKU399999" in err

    till = enrolled_till(db, server.url, tmp_path / "a.sqlite3", "S101", "T01")
    till.sync()
    with till.db.sessions() as session:
        assert [p.id for p in session.scalars(select(PromotionRow))] == ["P-MILK"]
    assert ring(till.shop, [("SKU300001", 1), ("SKU300002", 1)]).payable == 300 + 400


def test_members_and_their_app_keys_imported_at_hq_let_a_member_pay_with_the_app(
    empty_hq: tuple[HqDatabase, HqServer, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    db, server, url = empty_hq
    tiers = write(tmp_path, "t.csv", "code,name,rank,discount_bp\nstaff,员工,1,1000\n")
    code, _, err = hq_import(url, "tiers", tiers, capsys)
    assert code == 2 and "row 2, rank: this rank belongs to tier silver" in err  # a till's default
    tiers = write(tmp_path, "t.csv", "code,name,rank,discount_bp\nstaff,员工,9,1000\n")
    assert hq_import(url, "tiers", tiers, capsys)[0] == 0
    members = (
        "member_no,phone,name,birthday,tier,marketing\n"
        "M20000001,13900000001,张三,03-15,silver,是\n"
        "M20000002,13900000002,李四,,staff,否\n"
    )
    assert hq_import(url, "members", write(tmp_path, "m.csv", members), capsys)[0] == 0
    app = Ed25519PrivateKey.generate()
    public = app.public_key().public_bytes_raw().hex()
    other = Ed25519PrivateKey.generate().public_key().public_bytes_raw().hex()
    keys = f"member_no,public_key\nM20000001,{public}\nM29999999,{other}\nM20000002,abc\n"
    code, _, err = hq_import(url, "member-keys", write(tmp_path, "bad.csv", keys), capsys)
    assert code == 2
    assert "bad.csv: row 3, member_no: no member M29999999" in err
    assert "bad.csv: row 4, public_key: a public key is 64 hex characters" in err
    with db.transaction() as session:
        assert session.scalars(select(HqEntity).where(HqEntity.entity == "member_key")).all() == []
    keys = f"member_no,public_key\nM20000001,{public}\n"
    code, out, _ = hq_import(url, "member-keys", write(tmp_path, "k.csv", keys), capsys)
    assert code == 0 and "published: member_key 1" in out

    # HQ keeps no personal data of the members it imported
    with db.transaction() as session:
        published = json.dumps(
            [e.data for e in session.scalars(select(HqEntity))], ensure_ascii=False
        )
    for personal in ("13900000001", "张三", "03-15", "name_enc", "phone_enc"):
        assert personal not in published

    till = enrolled_till(db, server.url, tmp_path / "a.sqlite3", "S101", "T01")
    till.sync()
    with till.db.sessions() as session:
        held = {m.member_no: m.tier_code for m in session.scalars(select(Member))}
        assert held == {"M20000001": "silver", "M20000002": "staff"}
        assert session.get(Tier, "staff").discount_bp == 1000  # type: ignore[union-attr]
        (key,) = session.scalars(select(MemberKey)).all()
    payload = encode_dynamic("M20000001", key.key_id, app, DEMO_NOW)
    verified = accept(till.db, payload, DEMO_NOW + timedelta(seconds=5))
    assert verified.member_no == "M20000001"


def test_an_import_at_an_hq_seeded_from_a_store_updates_the_rows_hq_has(
    hq_db: HqDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Existing SKUs and member numbers are found in HQ's rows: updated, same ids, nothing else."""
    url = hq_db.url
    with hq_db.transaction() as session:
        product = session.scalars(
            select(HqEntity).where(HqEntity.entity == "product").order_by(HqEntity.key)
        ).first()
        member = session.scalars(
            select(HqEntity).where(HqEntity.entity == "member").order_by(HqEntity.key)
        ).first()
        assert product is not None and member is not None
        sku, category, price = (
            product.data["sku"],
            product.data["category_id"],
            product.data["price"],
        )
        member_no, tier = member.data["member_no"], member.data["tier_code"]
    before = {(e[0], e[1]): e for e in feed_state(hq_db)}
    prices = f"sku,price\n{sku},{(price + 100) // 100}.{(price + 100) % 100:02d}\n"
    code, out, _ = hq_import(url, "products", write(tmp_path, "p.csv", prices), capsys)
    assert code == 0 and "0 created, 1 updated" in out and "published: product 1" in out
    new_tier = "gold" if tier != "gold" else "silver"
    members = f"member_no,tier\n{member_no},{new_tier}\n"
    code, out, _ = hq_import(url, "members", write(tmp_path, "m.csv", members), capsys)
    assert code == 0 and "published: member 1" in out
    after = {(e[0], e[1]): e for e in feed_state(hq_db)}
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == {("product", product.key), ("member", member.key)}
    assert json.loads(after["product", product.key][3])["price"] == price + 100
    assert json.loads(after["product", product.key][3])["category_id"] == category
    assert json.loads(after["member", member.key][3])["tier_code"] == new_tier
